"""Watchlist entries added in the service (usually the sender of a confirmed case), with provenance.

Each row holds the entry as `counterpitch.watchlist` reads it from YAML, validated by the same function, so
an entry added here behaves exactly like one from a file.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counterpitch.store import casework
from counterpitch.store.accounts import Actor
from counterpitch.store.reports import TRIAGE_ROLES, approach_of, get
from counterpitch.store.tables import User, WatchlistRow
from counterpitch.watchlist import WatchlistEntry, entry_from_mapping, normalise_email, normalise_profile_url


def entry_of(row: WatchlistRow) -> WatchlistEntry:
    raw = json.loads(row.entry_json)

    def fail(field: str, problem: str) -> ValueError:
        return ValueError(f"watchlist_entries row {row.id}: field {field!r}: {problem}")

    return entry_from_mapping(raw, fail, origin="service watchlist")


def active_entries(session: Session) -> list[WatchlistEntry]:
    rows = session.scalars(select(WatchlistRow).where(WatchlistRow.active.is_(True)).order_by(WatchlistRow.id))
    return [entry_of(r) for r in rows]


def version(session: Session) -> tuple[int, int]:
    """Changes whenever an entry is added or (de)activated: lets other processes notice and reload."""
    row = session.execute(
        select(func.coalesce(func.max(WatchlistRow.id), 0), func.count()).where(WatchlistRow.active.is_(True))
    ).one()
    return int(row[0]), int(row[1])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "sender"


def sender_entry(report_id: int, raw_sender: dict[str, Any], who: str) -> dict[str, Any]:
    """The watchlist mapping for a case's sender: name, firm and identifiers, citing the case."""
    name = str(raw_sender.get("name") or "").strip()
    if not name:
        raise ValueError("sender.name: the report has no sender name to list")
    entry: dict[str, Any] = {
        "id": f"case-{report_id}-{_slug(name)}",
        "kind": "persona",
        "name": name,
        "source": f"Counterpitch case {report_id}, listed by {who}",
        "date": date.today().isoformat(),
    }
    company = str(raw_sender.get("company") or "").strip()
    if company:
        entry["company"] = company
    url = str(raw_sender.get("profile_url") or "")
    if url and normalise_profile_url(url) is not None:
        entry["profile_urls"] = [url]
    email = str(raw_sender.get("email") or "")
    if email and normalise_email(email) is not None:
        entry["emails"] = [email]
    return entry


def add_from_report(session: Session, viewer: Actor, report_id: int) -> WatchlistRow | None:
    """List the sender of a visible case (analysts and admins); None when the case is not theirs to see."""
    if viewer.role not in TRIAGE_ROLES:
        return None
    report = get(session, viewer, report_id)
    if report is None:
        return None
    sender = approach_of(report).sender
    raw = sender_entry(report_id, sender.to_json_dict() if sender else {}, viewer.name)
    handles = casework.sender_handles(session, report_id)  # the WeChat id, phone, ... the sender gave
    if handles:
        raw["handles"] = handles
    existing = session.scalar(select(WatchlistRow).where(WatchlistRow.entry_id == raw["id"]))
    if existing is not None:
        return existing
    casework.check_entry(raw)  # refuse what a file would
    return casework.insert_entry(session, viewer, raw, from_report_id=report_id)


def listing(session: Session) -> list[tuple[WatchlistRow, str | None]]:
    """Every entry added in the service, newest first, with the name of who added it."""
    query = (
        select(WatchlistRow, User.name)
        .outerjoin(User, User.id == WatchlistRow.added_by)
        .order_by(WatchlistRow.id.desc())
    )
    return [(r, name) for r, name in session.execute(query)]
