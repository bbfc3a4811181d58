"""What linking one report at a time (persist.py) and relinking them all (relink.py) share on the database: the
lock that serialises linking, the digest a sender is remembered by, and forgetting every link."""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session

from counterpitch.store.tables import Campaign, LinkKey, LinkKeyStat, Report

__all__ = ["digest", "forget_links", "lock_linking"]


#: Key of the PostgreSQL advisory lock that serialises linking ("campaign" in ASCII).
_PG_LINK_LOCK = 0x63616D706169676E


def lock_linking(session: Session) -> None:
    """One linker at a time on PostgreSQL, until the caller's transaction ends: two reports sharing a new key,
    linked in parallel, would each miss the other. SQLite serialises writers already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LINK_LOCK})


def digest(sender: str) -> str:
    """A sender as `link_key_stats` remembers it: 16 hex digits, no name or address kept."""
    return hashlib.blake2b(sender.encode("utf-8"), digest_size=8).hexdigest()


def forget_links(session: Session) -> None:
    """Remove every link key, statistic and campaign membership (campaign rows stay, emptied, for alerts)."""
    session.execute(delete(LinkKey))
    session.execute(delete(LinkKeyStat))
    session.execute(update(Report).where(Report.campaign_id.is_not(None)).values(campaign_id=None))
    session.execute(update(Campaign).values(reports=0))
