"""Link a whole batch of reports in memory: the rules of linking.py over sorted (key, report) pairs.

Memory is kept flat for a million reports: keys become 64-bit hashes in arrays (a collision needs about 2^32
keys to be likely), MinHash signatures are computed a chunk of texts at a time and kept as one numpy matrix,
and only the first label of each non-text key is remembered, for showing the indicators that linked.
"""

from __future__ import annotations

import multiprocessing
from array import array
from collections import Counter, deque
from collections.abc import Hashable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from counterpitch.campaigns import minhash
from counterpitch.campaigns.indicators import Key, extract
from counterpitch.campaigns.linking import (
    CAPPED_CODES,
    FAMILY_CODE,
    HOT_SENDERS,
    NAME_CODE,
    TEXT_CODE,
    Cluster,
    Indicator,
    UnionFind,
    band_hashes,
    indicator,
    names_agree,
    sender_token,
    target_of,
    texts_agree,
)
from counterpitch.model import Approach

#: (report id, the approach or its JSON text, reported at, reporter or None).
Item = tuple[int, Approach | str, datetime, Hashable | None]
#: Reports per piece of work handed to a worker process.
WORK_CHUNK = 8_192


@dataclass
class Batch:
    ids: list[int] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    key_hash: array[int] = field(default_factory=lambda: array("q"))
    key_row: array[int] = field(default_factory=lambda: array("q"))
    key_family: array[int] = field(default_factory=lambda: array("b"))
    #: (kind, label, report id) of each non-text key as its lowest report id has it.
    labels: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    pending_rows: list[int] = field(default_factory=list)
    pending: list[npt.NDArray[np.uint32]] = field(default_factory=list)
    sig_rows: list[npt.NDArray[np.int64]] = field(default_factory=list)
    sig_blocks: list[npt.NDArray[np.uint32]] = field(default_factory=list)
    #: When kept (relink.py writes them to the database): each pair's key, None for a text band, and each
    #: pair's band number, -1 for other keys.
    key_text: list[Key | None] | None = None
    key_band: array[int] = field(default_factory=lambda: array("b"))

    def add(self, item: Item) -> None:
        report_id, given, at, reporter = item
        approach = Approach.model_validate_json(given) if isinstance(given, str) else given
        row = len(self.ids)
        f = extract(approach)
        self.ids.append(report_id)
        self.times.append(at)
        self.targets.append(target_of(reporter, approach, report_id))
        self.senders.append(sender_token(f, report_id))
        self.names.append(f.name)
        for k in f.keys:
            h = hash(k.key)
            self.key_hash.append(h)
            self.key_row.append(row)
            self.key_family.append(FAMILY_CODE[k.family])
            known = self.labels.get(h)
            if known is None or report_id < known[2]:
                self.labels[h] = (k.kind, k.label, report_id)
            if self.key_text is not None:
                self.key_text.append(k)
                self.key_band.append(-1)
        if len(f.words) >= minhash.MIN_WORDS:
            self.pending_rows.append(row)
            self.pending.append(minhash.shingles(f.words))

    def flush(self) -> None:
        """Sign the pending texts together and add their band keys."""
        if not self.pending:
            return
        sigs = minhash.signatures(self.pending)
        rows = np.asarray(self.pending_rows, dtype=np.int64)
        self.sig_blocks.append(sigs)
        self.sig_rows.append(rows)
        self.key_hash.frombytes(band_hashes(sigs).tobytes())
        self.key_row.frombytes(np.repeat(rows, minhash.BANDS).tobytes())
        self.key_family.frombytes(np.full(len(rows) * minhash.BANDS, TEXT_CODE, dtype=np.int8).tobytes())
        if self.key_text is not None:
            self.key_text.extend([None] * (len(rows) * minhash.BANDS))
            self.key_band.frombytes(np.tile(np.arange(minhash.BANDS, dtype=np.int8), len(rows)).tobytes())
        self.pending, self.pending_rows = [], []

    def merge(self, part: Batch) -> None:
        """Append a batch collected elsewhere (a worker process), its rows after this one's."""
        offset = len(self.ids)
        self.ids += part.ids
        self.times += part.times
        self.targets += part.targets
        self.senders += part.senders
        self.names += part.names
        self.key_hash.extend(part.key_hash)
        self.key_row.frombytes((np.frombuffer(part.key_row, dtype=np.int64) + offset).tobytes())
        self.key_family.extend(part.key_family)
        for h, known in part.labels.items():
            mine = self.labels.get(h)
            if mine is None or known[2] < mine[2]:
                self.labels[h] = known
        self.sig_rows += [rows + offset for rows in part.sig_rows]
        self.sig_blocks += part.sig_blocks
        if self.key_text is not None and part.key_text is not None:
            self.key_text += part.key_text
            self.key_band.extend(part.key_band)

    def signatures(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
        """Each row's index into the signature matrix (-1: none), and the matrix."""
        index = np.full(len(self.ids), -1, dtype=np.int64)
        if not self.sig_blocks:
            return index, np.empty((0, minhash.NUM_PERM), dtype=np.uint32)
        rows = np.concatenate(self.sig_rows)
        index[rows] = np.arange(len(rows))
        return index, np.vstack(self.sig_blocks)


@dataclass
class Pairs:
    """The batch's (key, report) pairs sorted by key, then report id; one group per key."""

    #: Position of each sorted pair in the batch's arrays.
    order: npt.NDArray[np.int64]
    hashes: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int64]
    families: npt.NDArray[np.int8]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    #: Start of a key's group -> end of the part of it that is indexed (shorter once the key turned hot).
    cut: dict[int, int] = field(default_factory=dict)


def collect(items: Iterable[Item], chunk: int = 4096, keep_keys: bool = False, workers: int = 1) -> Batch:
    """Features of every item; with `workers` > 1, computed by that many forked processes, in order."""
    if workers <= 1:
        return _collect(items, chunk, keep_keys)
    batch = Batch(key_text=[] if keep_keys else None)
    # fork: the workers share this process's str hash seed, so their key hashes agree with each other.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque[Future[Batch]] = deque()
        for part in _pieces(items, WORK_CHUNK):
            pending.append(pool.submit(_collect, part, chunk, keep_keys))
            if len(pending) > 2 * workers:
                batch.merge(pending.popleft().result())
        while pending:
            batch.merge(pending.popleft().result())
    return batch


def _collect(items: Iterable[Item], chunk: int, keep_keys: bool) -> Batch:
    batch = Batch(key_text=[] if keep_keys else None)
    for item in items:
        batch.add(item)
        if len(batch.pending) >= chunk:
            batch.flush()
    batch.flush()
    return batch


def _pieces(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    piece: list[Item] = []
    for item in items:
        piece.append(item)
        if len(piece) >= size:
            yield piece
            piece = []
    if piece:
        yield piece


def link_batch(items: Iterable[Item], chunk: int = 4096, workers: int = 1) -> list[Cluster]:
    """Campaigns among `items` (report id, approach, reported at, reporter or None), each of 2 reports or more.

    Reports are taken in order of their id, whatever the order of `items`, so the result is what linking them
    one by one (persist.link_report) gives. `workers` > 1 computes the reports' features in that many
    processes (the linking itself is one pass in this one).
    """
    batch = collect(items, chunk, workers=workers)
    uf = UnionFind()
    for _ in batch.ids:
        uf.add()
    pairs = link(batch, uf)
    return clusters(batch, uf, pairs)


def _sorted(batch: Batch) -> Pairs:
    hashes = np.frombuffer(batch.key_hash, dtype=np.int64)
    rows = np.frombuffer(batch.key_row, dtype=np.int64)
    families = np.frombuffer(batch.key_family, dtype=np.int8)
    ids = np.asarray(batch.ids, dtype=np.int64)
    order = np.lexsort((ids[rows], hashes))
    hashes, rows, families = hashes[order], rows[order], families[order]
    breaks = np.flatnonzero(hashes[1:] != hashes[:-1]) + 1
    return Pairs(order, hashes, rows, families, np.r_[0, breaks], np.r_[breaks, len(hashes)])


def link(batch: Batch, uf: UnionFind) -> Pairs:
    """Join each multi-report key's reports to its anchor (the rules of linking.py)."""
    pairs = _sorted(batch)
    sig_index, sigs = batch.signatures()
    for g in np.flatnonzero(pairs.ends - pairs.starts >= 2):
        s, e = int(pairs.starts[g]), int(pairs.ends[g])
        family = int(pairs.families[s])
        members = pairs.rows[s:e].tolist()
        anchor = members[0]
        seen = {batch.senders[anchor]}
        pairs.cut[s] = e
        for i, r in enumerate(members[1:], start=s + 1):
            if family in CAPPED_CODES and batch.senders[r] not in seen:
                seen.add(batch.senders[r])
                if len(seen) > HOT_SENDERS:
                    pairs.cut[s] = i
                    break
            if family == NAME_CODE and not names_agree(batch.names[anchor], batch.names[r]):
                continue
            if family == TEXT_CODE:
                a, b = sig_index[anchor], sig_index[r]
                if not texts_agree(sigs[a] if a >= 0 else None, sigs[b] if b >= 0 else None):
                    continue
            uf.union(anchor, r)
    return pairs


def clusters(batch: Batch, uf: UnionFind, pairs: Pairs) -> list[Cluster]:
    """The campaigns: components of two reports or more, with the keys two or more of their reports hold."""
    members: dict[int, list[int]] = {}
    for row in range(len(batch.ids)):
        root = uf.find(row)
        if uf.size[root] > 1:
            members.setdefault(root, []).append(row)
    shown: dict[int, dict[Indicator, None]] = {}
    for s, cut in pairs.cut.items():
        h = int(pairs.hashes[s])
        kind, label, _ = batch.labels.get(h, ("text", "", 0))
        roots = Counter(uf.find(r) for r in pairs.rows[s:cut].tolist())
        for root, n in roots.items():
            if n >= 2:
                shown.setdefault(root, {})[indicator(kind, label, "text" if h not in batch.labels else "")] = None
    out = []
    for root, rows in members.items():
        times = [batch.times[r] for r in rows]
        out.append(
            Cluster(
                report_ids=tuple(sorted(batch.ids[r] for r in rows)),
                first_seen=min(times),
                last_seen=max(times),
                targets=len({batch.targets[r] for r in rows}),
                indicators=tuple(sorted(shown.get(root, {}), key=lambda i: (i.kind, i.value))),
            )
        )
    return sorted(out, key=lambda c: c.report_ids[0])
