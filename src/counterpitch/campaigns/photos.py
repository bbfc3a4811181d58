"""One face, many names: a report whose sender's photo is the same picture as an earlier report's joins its campaign.

Personas are abandoned and reborn under new names; the photo is often what they keep. Two stored photos are the
same picture when their pHashes differ in at most `keep.SAME_PHOTO_BITS` bits (docs/decisions/0076). Only photos
in which the photo check found a face link anything: a logo or a blank avatar is shared by strangers.

Like every other key (linking.py), the photo key's anchor is the first report that showed the picture: the new
report holds its own key ("photo:" and its hash) and, when it matches, the anchor's, so the campaign page lists
"the same photo" among the indicators its reports share. Finding the match reads every stored photo's hash (a
64-bit integer each, compared in numpy): photos are rare beside reports, and a million of them is a few
milliseconds; an index for Hamming distance can wait until there are that many.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from counterpitch.campaigns.indicators import Key
from counterpitch.photo.keep import SAME_PHOTO_BITS
from counterpitch.store.tables import ReportPhoto

KIND = "photo"
LABEL = "the same photo (perceptual hash)"

_POP = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def photo_key(phash: int) -> Key:
    return Key(KIND, f"photo:{phash & ((1 << 64) - 1):016x}", LABEL)


def photo_keys(session: Session, report_id: int) -> list[Key]:
    """The report's photo keys: its own, and its anchor's when an earlier report showed the same picture (that
    report holds it, so linking finds it as the key's first holder). None when the report has no photo with a
    face."""
    mine = session.get(ReportPhoto, report_id)
    if mine is None or mine.faces < 1:
        return []
    keys = [photo_key(mine.phash)]
    anchor_hash = _first_match(session, report_id, mine.phash)
    if anchor_hash is not None and photo_key(anchor_hash).key != keys[0].key:
        keys.append(photo_key(anchor_hash))
    return keys


def _first_match(session: Session, report_id: int, phash: int) -> int | None:
    """The hash of the earliest earlier report's photo (with a face) within SAME_PHOTO_BITS of `phash`."""
    rows = session.execute(
        select(ReportPhoto.report_id, ReportPhoto.phash)
        .where(ReportPhoto.report_id < report_id, ReportPhoto.faces > 0)
        .order_by(ReportPhoto.report_id)
    ).all()
    if not rows:
        return None
    hashes = np.array([h for _, h in rows], dtype=np.int64)
    near = np.flatnonzero(_distances(hashes, phash) <= SAME_PHOTO_BITS)
    if not len(near):
        return None
    return int(rows[int(near[0])][1])


def _distances(hashes: np.ndarray, phash: int) -> np.ndarray:
    """Hamming distance of each 64-bit hash to `phash`, by a byte-wise popcount table."""
    x = np.bitwise_xor(hashes, np.int64(phash)).view(np.uint8).reshape(len(hashes), 8)
    out: np.ndarray = _POP[x].sum(axis=1, dtype=np.int32)
    return out


__all__ = ["KIND", "LABEL", "photo_key", "photo_keys"]
