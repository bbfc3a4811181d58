"""The batch job on the database: forget every link, link every stored report again in memory, write it back.

It leaves the database exactly as linking every report one by one in order of id would (the same link keys,
hot-key statistics and campaign memberships), so incremental linking carries on from it. Campaign rows are
kept: a new campaign takes over the id most of its reports had before, so alerts and bookmarks still point at
it; a campaign that no longer exists keeps its row with zero reports.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counterpitch.campaigns import minhash
from counterpitch.campaigns.batch import Batch, Item, Pairs, clusters, collect, link
from counterpitch.campaigns.keystore import digest, forget_links, lock_linking
from counterpitch.campaigns.linking import CAPPED_CODES, TEXT_LABEL, Cluster, UnionFind
from counterpitch.campaigns.persist import link_photo
from counterpitch.store.tables import Campaign, Report, ReportPhoto

CHUNK = 5_000


def relink_all(session: Session, *, workers: int = 1) -> dict[str, int]:
    """Forget every link and link every stored report again, as one batch; `workers` processes compute the
    reports' features."""
    done: dict[str, int] = relink(session, workers)
    return done


def relink(session: Session, workers: int = 1) -> dict[str, int]:
    linked = select(Report.id, Report.campaign_id).where(Report.campaign_id.is_not(None))
    before = {rid: cid for rid, cid in session.execute(linked) if cid is not None}
    lock_linking(session)
    forget_links(session)
    batch = collect(_stored(session), keep_keys=True, workers=workers)
    uf = UnionFind()
    for _ in batch.ids:
        uf.add()
    pairs = link(batch, uf)
    keys = _write_keys(session, batch, pairs)
    _write_signatures(session, batch)
    found = clusters(batch, uf, pairs)
    _write_campaigns(session, found, before)
    photos = _link_photos(session)
    return {
        "reports": len(batch.ids),
        "campaigns": len(found),
        "linked_reports": sum(len(c.report_ids) for c in found),
        "link_keys": keys,
        "photo_links": photos,
    }


def _link_photos(session: Session) -> int:
    """One face, many names (campaigns/photos.py), after the batch: each stored photo with a face, in order of
    id, joins the campaign of the first earlier report with the same picture. How many reports a photo linked."""
    ids = session.scalars(select(ReportPhoto.report_id).where(ReportPhoto.faces > 0).order_by(ReportPhoto.report_id))
    linked = 0
    for report_id in list(ids):
        before = session.scalar(select(Report.campaign_id).where(Report.id == report_id))
        after = link_photo(session, report_id)
        linked += int(after is not None and after != before)
    return linked


def _stored(session: Session) -> Iterator[Item]:
    query = select(Report.id, Report.approach_json, Report.reported_at, Report.reporter_id).order_by(Report.id)
    rows = session.execute(query.execution_options(yield_per=CHUNK))
    return ((rid, approach_json, at, reporter) for rid, approach_json, at, reporter in rows)


def _indexed(pairs: Pairs) -> Iterator[tuple[int, int, int]]:
    """(start, end of the indexed part, end) of every key's group."""
    for s, e in zip(pairs.starts.tolist(), pairs.ends.tolist(), strict=True):
        yield s, pairs.cut.get(s, e), e


def _write_keys(session: Session, batch: Batch, pairs: Pairs) -> int:
    """Every indexed (key, report) pair, and the statistics of every capped key, as linking one by one leaves them."""
    assert batch.key_text is not None
    sig_index, sigs = batch.signatures()
    rows: list[tuple[str, int, str, str]] = []
    stats: list[tuple[str, str, bool]] = []
    written = 0
    for s, cut, e in _indexed(pairs):
        first = int(pairs.order[s])
        known = batch.key_text[first]
        if known is None:
            key = minhash.band_key(sigs[sig_index[int(pairs.rows[s])]], batch.key_band[first])
            rows.extend((key, batch.ids[r], "text", TEXT_LABEL) for r in pairs.rows[s:cut].tolist())
        else:
            key = known.key
            for p in pairs.order[s:cut].tolist():
                k = batch.key_text[p]
                assert k is not None
                rows.append((key, batch.ids[batch.key_row[p]], k.kind, k.label[:255]))
        if e - s >= 2 and int(pairs.families[s]) in CAPPED_CODES:  # a lone key has no statistics yet
            heard = pairs.rows[s : min(cut + 1, e)].tolist()
            senders = list(dict.fromkeys(digest(batch.senders[r]) for r in heard))
            stats.append((key, json.dumps(senders), cut < e))
        if len(rows) >= CHUNK:
            written += _flush(session, rows, stats)
            rows, stats = [], []
    return written + _flush(session, rows, stats)


def _flush(session: Session, rows: list[tuple[str, int, str, str]], stats: list[tuple[str, str, bool]]) -> int:
    _executemany(session, "link_keys", ("key", "report_id", "kind", "label"), rows)
    _executemany(session, "link_key_stats", ("key", "senders", "hot"), stats)
    return len(rows)


def _executemany(session: Session, table: str, columns: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> None:
    """The driver's own executemany: millions of rows, and SQLAlchemy's per-row work would cost more than the
    database's. Table and column names are constants of this module; values go as parameters."""
    if not rows:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join([mark] * len(columns))
    connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 - see above


def _write_signatures(session: Session, batch: Batch) -> None:
    sig_index, sigs = batch.signatures()
    session.execute(update(Report).values(signature=None))
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    updates = [(minhash.to_bytes(sigs[i]), batch.ids[row]) for row, i in enumerate(sig_index.tolist()) if i >= 0]
    for start in range(0, len(updates), CHUNK):
        connection.exec_driver_sql(
            f"UPDATE reports SET signature = {mark} WHERE id = {mark}",  # noqa: S608 - constant text
            updates[start : start + CHUNK],
        )


def _write_campaigns(session: Session, found: list[Cluster], before: dict[int, int]) -> None:
    """Give each cluster a campaign row: the one most of its reports had before when still free, else new."""
    taken: set[int] = set()
    for cluster in found:
        votes = Counter(before[r] for r in cluster.report_ids if r in before)
        reuse = next((cid for cid, _ in votes.most_common() if cid not in taken), None)
        campaign = session.get(Campaign, reuse) if reuse is not None else None
        if campaign is None:
            campaign = Campaign(first_seen=cluster.first_seen, last_seen=cluster.last_seen)
            session.add(campaign)
            session.flush()
        taken.add(campaign.id)
        campaign.reports, campaign.merged_into = len(cluster.report_ids), None
        campaign.first_seen, campaign.last_seen = cluster.first_seen, cluster.last_seen
        ids = list(cluster.report_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            session.execute(update(Report).where(Report.id.in_(chunk)).values(campaign_id=campaign.id))
    session.flush()
