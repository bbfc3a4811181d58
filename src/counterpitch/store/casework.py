"""Casework the analyst pages need beyond store/reports.py: watchlist entries typed in by hand, (de)activating
entries, the messenger ids a case's sender gave, and the alerts the service raised.

Same rules as the rest of store/: functions run in the caller's transaction, only analysts and admins may
change anything (None when the viewer may not), and every change writes the audit log in that transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from counterpitch.store import audit
from counterpitch.store.accounts import Actor
from counterpitch.store.reports import TRIAGE_ROLES
from counterpitch.store.tables import Alert, Campaign, LinkKey, WatchlistRow
from counterpitch.watchlist import entry_from_mapping

#: Link-key families (campaigns/indicators.py) that are a messenger id or a phone number.
_HANDLE_FAMILIES = ("handle:", "phone:")
MAX_HANDLES = 20


def check_entry(raw: dict[str, Any]) -> None:
    """Refuse exactly what a watchlist file would refuse, naming the field."""
    entry_from_mapping(raw, lambda field, problem: ValueError(f"{field}: {problem}"))


def insert_entry(session: Session, viewer: Actor, raw: dict[str, Any], *, from_report_id: int | None) -> WatchlistRow:
    """Store a checked entry and audit it in the caller's transaction; by hand when no report is its source."""
    row = WatchlistRow(
        entry_id=raw["id"],
        entry_json=json.dumps(raw, ensure_ascii=False),
        added_by=viewer.id,
        from_report_id=from_report_id,
    )
    session.add(row)
    session.flush()
    provenance: dict[str, object] = {"by_hand": True} if from_report_id is None else {"from_report": from_report_id}
    audit.record(
        session,
        actor_id=viewer.id,
        action="watchlist.add",
        object_type="watchlist_entry",
        object_id=raw["id"],
        detail={"name": raw["name"], "company": raw.get("company"), **provenance},
    )
    return row


def sender_handles(session: Session, report_id: int) -> dict[str, list[str]]:
    """Messenger ids and phone numbers the report's sender gave (as campaign linking indexed them), by kind.

    Only values the watchlist would accept are kept: a short or odd handle is left out, not guessed at.
    """
    rows = session.execute(
        select(LinkKey.kind, LinkKey.label)
        .where(LinkKey.report_id == report_id)
        .where(or_(*(LinkKey.key.startswith(f) for f in _HANDLE_FAMILIES)))
        .order_by(LinkKey.kind, LinkKey.label)
    ).all()
    out: dict[str, list[str]] = {}
    for kind, label in rows[:MAX_HANDLES]:
        if not kind or not label:
            continue
        trial = {"id": "probe-entry", "kind": "persona", "name": "probe", "source": "x", "date": "2000-01-01"}
        try:
            check_entry({**trial, "handles": {kind: [label]}})
        except ValueError:
            continue
        values = out.setdefault(kind, [])
        if label not in values:
            values.append(label)
    return out


def add_entry(session: Session, viewer: Actor, raw: dict[str, Any]) -> WatchlistRow | None:
    """Store an entry typed in by an analyst (validated as a file's would be); ValueError names the field."""
    if viewer.role not in TRIAGE_ROLES:
        return None
    raw = {k: v for k, v in raw.items() if v not in (None, "", [], {})}
    raw.setdefault("date", date.today().isoformat())
    check_entry(raw)
    if session.scalar(select(WatchlistRow.id).where(WatchlistRow.entry_id == raw["id"])) is not None:
        raise ValueError(f"id: {raw['id']!r} is already on the watchlist")
    return insert_entry(session, viewer, raw, from_report_id=None)


def set_active(session: Session, viewer: Actor, entry_id: str, active: bool) -> WatchlistRow | None:
    """(De)activate a service entry; rows are kept, so provenance survives. None when there is no such entry."""
    if viewer.role not in TRIAGE_ROLES:
        return None
    row = session.scalar(select(WatchlistRow).where(WatchlistRow.entry_id == entry_id))
    if row is None or row.active == active:
        return row
    row.active = active
    audit.record(
        session,
        actor_id=viewer.id,
        action="watchlist.activate" if active else "watchlist.deactivate",
        object_type="watchlist_entry",
        object_id=entry_id,
    )
    return row


@dataclass(frozen=True)
class AlertRow:
    id: int
    rule_id: str
    created_at: Any
    subject: str
    campaign_id: int | None
    report_id: int | None
    body_text: str
    delivery: dict[str, str]
    #: How many times it was updated as its campaign grew, and when last; whether an update awaits sending.
    revision: int = 0
    updated_at: Any = None
    update_pending: bool = False


def _alert_row(a: Alert) -> AlertRow:
    try:
        delivery = {str(k): str(v) for k, v in json.loads(a.delivery_json or "{}").items()}
    except (ValueError, AttributeError):
        delivery = {"?": "unreadable outcome"}
    return AlertRow(
        a.id,
        a.rule_id,
        a.created_at,
        a.subject,
        a.campaign_id,
        a.report_id,
        a.body_text,
        delivery,
        a.revision or 0,
        a.updated_at,
        bool(a.update_pending),
    )


def alerts(session: Session, *, limit: int = 50, offset: int = 0) -> list[AlertRow]:
    """Newest first, a page at a time."""
    query = select(Alert).order_by(Alert.id.desc()).limit(max(1, min(limit, 500))).offset(max(0, offset))
    return [_alert_row(a) for a in session.scalars(query)]


def alert(session: Session, alert_id: int) -> tuple[AlertRow, str] | None:
    """One alert and its HTML briefing."""
    row = session.get(Alert, alert_id)
    return None if row is None else (_alert_row(row), row.body_html)


def surviving_campaign(session: Session, campaign_id: int, max_hops: int = 64) -> int | None:
    """The campaign a merged one now lives in (merges fold the smaller into the larger; rows stay), or None."""
    for _ in range(max_hops):
        row = session.get(Campaign, campaign_id)
        if row is None:
            return None
        if row.merged_into is None:
            return campaign_id
        campaign_id = row.merged_into
    return None
