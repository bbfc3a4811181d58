"""Linking one stored report at a time, inside the caller's transaction: the rules of linking.py on the database.

Cost per report does not grow with the store: each of the report's keys costs one primary-key lookup of its
anchor (`link_keys` is keyed by (key, report_id), so the first report holding a key is the first index entry,
however many reports share it) and, for a capped key, one row of `link_key_stats`. Linking then touches only
the anchors' rows. Merging two campaigns moves the smaller one's reports into the larger (so a report moves
O(log n) times at most); the merged campaign's row stays, pointing at the survivor, so alerts naming it resolve.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import CompoundSelect, bindparam, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from counterpitch.campaigns import minhash
from counterpitch.campaigns.indicators import CAPPED, Key, extract
from counterpitch.campaigns.keystore import digest, lock_linking
from counterpitch.campaigns.linking import HOT_SENDERS, TEXT_LABEL, names_agree, sender_token, texts_agree
from counterpitch.campaigns.photos import photo_keys
from counterpitch.campaigns.summary import CampaignSummary, summaries
from counterpitch.model import Approach
from counterpitch.store.tables import Campaign, LinkKey, LinkKeyStat, Report
from counterpitch.watchlist import normalise_person

__all__ = ["CampaignSummary", "campaign_summaries", "link_report"]


@dataclass(frozen=True)
class _Anchor:
    report_id: int
    campaign_id: int | None
    reported_at: datetime
    name: str
    signature: bytes | None


def _insert(session: Session, table: type[LinkKey] | type[LinkKeyStat], rows: list[dict[str, object]]) -> None:
    """Insert rows, skipping any already there (a report linked twice, two writers racing for a new key)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    session.execute(stmt.on_conflict_do_nothing(), rows)


def _open_keys(session: Session, keys: list[Key], sender: str, anchors: dict[str, _Anchor]) -> list[Key]:
    """The keys that may still link: capped keys count this sender and drop out once hot (linking.py).

    A capped key held by one report so far has no statistics row (most keys never recur, and a row each would
    double the index); the row is made when a second report comes, starting from the first one's sender.
    """
    capped = [k.key for k in keys if k.family in CAPPED and k.key in anchors]
    stats = _stats(session, capped)
    missing = [k for k in capped if k not in stats]
    if missing:
        first: dict[int, str] = {}
        for key in missing:
            rid = anchors[key].report_id
            if rid not in first:
                first[rid] = digest(_sender_of(session, rid))
        rows = [{"key": m, "senders": json.dumps([first[anchors[m].report_id]]), "hot": False} for m in missing]
        _insert(session, LinkKeyStat, rows)
        stats.update(_stats(session, missing))
    me = digest(sender)
    out = []
    for k in keys:
        stat = stats.get(k.key)
        if stat is not None:
            if stat.hot:
                continue
            senders: list[str] = json.loads(stat.senders)
            if me not in senders:
                senders.append(me)
                stat.hot = len(senders) > HOT_SENDERS
                stat.senders = json.dumps(senders)
                if stat.hot:
                    continue
        out.append(k)
    return out


def _stats(session: Session, keys: list[str]) -> dict[str, LinkKeyStat]:
    if not keys:
        return {}
    query = select(LinkKeyStat).where(LinkKeyStat.key.in_(keys)).with_for_update()
    return {s.key: s for s in session.scalars(query)}


def _sender_of(session: Session, report_id: int) -> str:
    """Who sent a stored report, as linking counts senders (read again from its approach: rarely needed)."""
    approach_json = session.scalar(select(Report.approach_json).where(Report.id == report_id)) or "{}"
    return sender_token(extract(Approach.model_validate_json(approach_json)), report_id)


def _anchors(session: Session, keys: list[Key], report_id: int) -> dict[str, _Anchor]:
    """The first other report holding each key, with what verifying it needs: one statement, one index seek
    per key (each key's first entry in the (key, report_id) primary key), however many reports share it."""
    if not keys:
        return {}
    params: dict[str, object] = {f"k{i}": k.key for i, k in enumerate(keys)}
    params["rid"] = report_id
    first: dict[str, int] = {k: r for k, r in session.execute(_first_holders(len(keys)), params)}
    if not first:
        return {}
    named = {first[k.key] for k in keys if k.family == "name" and k.key in first}
    rows = session.execute(
        select(Report.id, Report.campaign_id, Report.reported_at, Report.signature).where(
            Report.id.in_(set(first.values()))
        )
    ).all()
    by_id = {rid: _Anchor(rid, cid, at, _name(session, rid) if rid in named else "", sig) for rid, cid, at, sig in rows}
    return {key: by_id[rid] for key, rid in first.items() if rid in by_id}


@lru_cache(maxsize=128)
def _first_holders(n: int) -> CompoundSelect[str, int]:
    """For n keys k0..k{n-1}: each key's first holder other than :rid. Built once per n (building is slow)."""
    firsts = [
        select(LinkKey.key, LinkKey.report_id)
        .where(LinkKey.key == bindparam(f"k{i}"), LinkKey.report_id != bindparam("rid"))
        .order_by(LinkKey.report_id)
        .limit(1)
        .subquery()
        for i in range(n)
    ]
    return union_all(*(select(*q.c) for q in firsts))


def _name(session: Session, report_id: int) -> str:
    """A stored report's sender name, normalised; read only for anchors of name keys."""
    doc = json.loads(session.scalar(select(Report.approach_json).where(Report.id == report_id)) or "{}")
    sender = doc.get("sender") if isinstance(doc, dict) else None
    name = sender.get("name") if isinstance(sender, dict) else None
    return normalise_person(name) if isinstance(name, str) else ""


def _agrees(key: Key, anchor: _Anchor, name: str, signature: bytes | None) -> bool:
    if key.family == "name":
        return names_agree(anchor.name, name)
    if key.family == "text":
        mine = minhash.from_bytes(signature) if signature else None
        theirs = minhash.from_bytes(anchor.signature) if anchor.signature else None
        return texts_agree(theirs, mine)
    return True


def link_report(session: Session, report_id: int) -> int | None:
    """Index a stored report's link keys and join it to a campaign, creating or merging campaigns as needed.

    Returns the campaign's id, or None while the report links to nothing. Call it once per report, after the
    row is inserted (in the same transaction); reports linked in order of id give exactly what relink_all gives.
    """
    lock_linking(session)
    report = session.get(Report, report_id)
    if report is None:
        raise ValueError(f"report_id: no report {report_id}")
    approach = Approach.model_validate_json(report.approach_json)
    f = extract(approach)
    sig = minhash.signature(f.words)
    report.signature = minhash.to_bytes(sig) if sig is not None else None
    keys = list(f.keys)
    if sig is not None:
        keys += [Key("text", k, TEXT_LABEL) for k in minhash.band_keys(sig)]
    keys += photo_keys(session, report_id)  # one face, many names (campaigns/photos.py)
    anchors = _anchors(session, keys, report_id)
    keys = _open_keys(session, keys, sender_token(f, report_id), anchors)
    _insert(
        session,
        LinkKey,
        [{"key": k.key, "report_id": report_id, "kind": k.kind, "label": k.label[:255]} for k in keys],
    )
    linked = [a for k in keys if (a := anchors.get(k.key)) and _agrees(k, a, f.name, report.signature)]
    if not linked:
        return report.campaign_id
    return _join(session, report, linked)


def link_photo(session: Session, report_id: int) -> int | None:
    """Only the photo keys of `link_report`, for relink.py: the batch links every other key, then each stored
    photo, in order of id, joins the campaign of the first earlier report showing the same picture."""
    keys = photo_keys(session, report_id)
    report = session.get(Report, report_id)
    if not keys or report is None:
        return None
    anchors = _anchors(session, keys, report_id)
    _insert(session, LinkKey, [{"key": k.key, "report_id": report_id, "kind": k.kind, "label": k.label} for k in keys])
    linked = [a for k in keys if (a := anchors.get(k.key))]
    return _join(session, report, linked) if linked else report.campaign_id


def _join(session: Session, report: Report, anchors: list[_Anchor]) -> int:
    """Put the report, its anchors and their campaigns into one campaign: the largest one there is."""
    ids = {a.campaign_id for a in anchors if a.campaign_id is not None}
    if report.campaign_id is not None:
        ids.add(report.campaign_id)
    campaigns = list(session.scalars(select(Campaign).where(Campaign.id.in_(ids)).with_for_update())) if ids else []
    campaigns.sort(key=lambda c: (-c.reports, c.id))
    if campaigns:
        keep = campaigns[0]
    else:
        keep = Campaign(first_seen=report.reported_at, last_seen=report.reported_at, reports=0)
        session.add(keep)
        session.flush()
    for other in campaigns[1:]:
        session.execute(update(Report).where(Report.campaign_id == other.id).values(campaign_id=keep.id))
        session.execute(update(Campaign).where(Campaign.merged_into == other.id).values(merged_into=keep.id))
        keep.reports += other.reports
        keep.first_seen, keep.last_seen = min(keep.first_seen, other.first_seen), max(keep.last_seen, other.last_seen)
        other.reports, other.merged_into = 0, keep.id
    loose = {a.report_id: a.reported_at for a in anchors if a.campaign_id is None}
    if report.campaign_id is None:
        loose[report.id] = report.reported_at
    if loose:
        session.execute(update(Report).where(Report.id.in_(loose)).values(campaign_id=keep.id))
        keep.reports += len(loose)
        keep.first_seen = min(keep.first_seen, *(_aware(t, keep.first_seen) for t in loose.values()))
        keep.last_seen = max(keep.last_seen, *(_aware(t, keep.last_seen) for t in loose.values()))
    session.flush()
    return keep.id


def _aware(value: datetime, like: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns: give them the zone of `like`."""
    if value.tzinfo is None and like.tzinfo is not None:
        return value.replace(tzinfo=like.tzinfo)
    if value.tzinfo is not None and like.tzinfo is None:
        return value.replace(tzinfo=None)
    return value


def campaign_summaries(session: Session, *, ids: Sequence[int] | None = None) -> list[CampaignSummary]:
    """Live campaigns (two reports or more, not merged away), newest activity first; only `ids` when given."""
    query = select(Campaign).where(Campaign.reports >= 2, Campaign.merged_into.is_(None))
    if ids is not None:
        query = query.where(Campaign.id.in_(list(ids)))
    return summaries(session, list(session.scalars(query.order_by(Campaign.last_seen.desc(), Campaign.id))))
