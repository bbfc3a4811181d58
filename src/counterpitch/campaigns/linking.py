"""Which shared keys link two reports, and linking a whole batch of reports at once (union-find).

The rule, the same here and in persist.py (one report at a time, on the database), taking reports in order of
their id: a key's *anchor* is the first report that has it. A later report with the key links to the anchor
when the key's family allows it:

- identity keys (profile URL, e-mail, messenger id, phone) always;
- a name key when the two normalised names score at least watchlist.NAME_THRESHOLD (rapidfuzz
  token_sort_ratio) - the firm is already equal, being part of the key;
- a text key (an LSH band) when the two MinHash signatures estimate a Jaccard similarity of at least
  minhash.THRESHOLD;
- capped keys (firm, mail domain, text) only until more than HOT_SENDERS distinct senders have used the key:
  from then on the key is *hot* and links nothing more (a real employer with many staff, a stock message).

Reports linked directly or through others form one campaign (connected components), so a batch is linked by
sorting (key, report) pairs and joining each key's reports to its anchor: O(n log n) for n pairs.
docs/decisions/0019-campaign-linking.md says why anchors, and how batch and incremental agree.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from counterpitch.campaigns import minhash
from counterpitch.campaigns.indicators import CAPPED, Features
from counterpitch.model import Approach
from counterpitch.watchlist import NAME_THRESHOLD, normalise_email, normalise_person, normalise_profile_url

#: Distinct senders after which a firm, mail domain or text key stops linking (docs/decisions/0020).
HOT_SENDERS = 25
TEXT_LABEL = "near-identical message text"
FAMILIES = ("url", "email", "handle", "phone", "company", "domain", "text", "name")
FAMILY_CODE = {f: i for i, f in enumerate(FAMILIES)}
CAPPED_CODES = frozenset(FAMILY_CODE[f] for f in CAPPED)
TEXT_CODE, NAME_CODE = FAMILY_CODE["text"], FAMILY_CODE["name"]


@dataclass(frozen=True)
class Indicator:
    kind: str
    value: str


@dataclass(frozen=True)
class Cluster:
    """Reports linked into one campaign by a batch."""

    report_ids: tuple[int, ...]
    first_seen: datetime
    last_seen: datetime
    #: Distinct people targeted: reporters, or the recipients named when there is no reporter.
    targets: int
    #: The keys that linked reports of the cluster.
    indicators: tuple[Indicator, ...]


def indicator(kind: str, label: str, family: str) -> Indicator:
    return Indicator("text", TEXT_LABEL) if family == "text" else Indicator(kind, label)


def sender_token(features: Features, report_id: int) -> str:
    """Who sent a report, for counting a key's distinct senders; an unnamed sender counts as new each time."""
    return features.sender or f"report:{report_id}"


def target_of(reporter: Hashable | None, approach: Approach, report_id: int) -> str:
    """Who was targeted: the reporter (one person, however often they report the same sender), else the
    recipient the approach names, else the report itself."""
    if reporter is not None:
        return f"reporter:{reporter}"
    r = approach.recipient
    if r is not None:
        who = normalise_profile_url(r.profile_url or "") or normalise_email(r.email or "")
        who = who or normalise_person(r.name or "")
        if who:
            return f"recipient:{who}"
    return f"report:{report_id}"


def names_agree(a: str, b: str) -> bool:
    return bool(a and b) and fuzz.token_sort_ratio(a, b, processor=None) >= NAME_THRESHOLD


def texts_agree(a: npt.NDArray[np.uint32] | None, b: npt.NDArray[np.uint32] | None) -> bool:
    return a is not None and b is not None and minhash.similarity(a, b) >= minhash.THRESHOLD


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size: near-constant time per operation."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.size: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        self.size.append(1)
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


_BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


def band_hashes(sigs: npt.NDArray[np.uint32]) -> npt.NDArray[np.int64]:
    """(n, BANDS) 64-bit hashes of each signature's bands: the batch's stand-in for the band key strings."""
    bands = sigs[:, : minhash.BANDS * minhash.ROWS].astype(np.uint64).reshape(len(sigs), minhash.BANDS, minhash.ROWS)
    with np.errstate(over="ignore"):
        mixed = (bands * _BAND_MIX).sum(axis=2, dtype=np.uint64)
        mixed = mixed ^ (np.arange(minhash.BANDS, dtype=np.uint64) * np.uint64(0xFF51AFD7ED558CCD) + np.uint64(7))
    out: npt.NDArray[np.int64] = mixed.view(np.int64)
    return out
