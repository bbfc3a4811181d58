"""The audit log: who changed what, when. Rows are only ever added (database triggers refuse the rest)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counterpitch.store.tables import AuditEvent, User


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object,
    detail: Mapping[str, object] | None = None,
) -> None:
    """Add one row in the caller's transaction, so the change and its record commit (or fail) together."""
    session.add(
        AuditEvent(
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail_json=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True, default=str),
        )
    )


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    detail: dict[str, object]


def recent(session: Session, *, limit: int = 200, before_id: int | None = None) -> list[AuditRow]:
    """Newest first, a page at a time (`before_id` is the smallest id of the previous page)."""
    query = (
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return [
        AuditRow(e.id, e.at, name, e.action, e.object_type, e.object_id, json.loads(e.detail_json))
        for e, name in session.execute(query)
    ]
