"""What the sharing tests share: an invented campaign with planted staff identifiers, stores, and the validator.

Every person, firm, address, handle and number here is invented. The STAFF strings are what a member of staff
or a recipient is known by: none of them may appear in anything exported.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import stix2
import stix2validator
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from counterpitch.model import Approach
from counterpitch.store.tables import Report
from tests.service.databases import migrated_engine

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PG_URL = os.environ.get("COUNTERPITCH_TEST_PG_URL")

#: Staff: (name, e-mail, profile URL). Each string is searched for in every export.
STAFF = [
    ("Wilhelmina Quarrington", "w.quarrington@ministry-example.gov", "https://www.linkedin.com/in/wquarrington-77"),
    ("Bartholomew Ekwueme", "b.ekwueme@ministry-example.gov", "https://www.linkedin.com/in/bart-ekwueme"),
    ("Ottoline Fairweather", "o.fairweather@ministry-example.gov", "https://www.linkedin.com/in/ottoline-fw"),
]
STAFF_STRINGS = [s for person in STAFF for s in person] + ["wquarrington-77", "bart-ekwueme", "ottoline-fw"]
PERSONA = {
    "name": "Amy Wen",
    "company": "Vantage Insight",
    "headline": "Talent partner at Vantage Insight",
    "profile_url": "https://www.linkedin.com/in/amy-wen-vi",
}
PERSONA_EMAIL = "amy.wen@vantage-insight.example"
LURE = (
    "Dear {first}, I lead a small research consultancy. Your experience caught my eye and we would value a short "
    "paid report on policy trends; the fee is generous. Easier on WeChat: vantage_hr88, or write to {email}. "
    "WhatsApp +44 7700 900123 works too. I was given your name by {colleague}."
)


def approaches() -> list[Approach]:
    """Three approaches by one persona to three members of staff, each naming a colleague in the text."""
    out = []
    for i, (name, email, url) in enumerate(STAFF):
        colleague = STAFF[(i + 1) % len(STAFF)]
        doc: dict[str, Any] = {
            "id": f"approach-{i}",
            "sent_at": (T0 + timedelta(days=i)).isoformat(),
            "text": LURE.format(
                first=name.split()[0], email=PERSONA_EMAIL, colleague=f"{colleague[0]} <{colleague[1]}>"
            ),
            "sender": {**PERSONA, "email": PERSONA_EMAIL} if i else PERSONA,
            "recipient": {"name": name, "email": email, "profile_url": url, "headline": "Policy adviser"},
        }
        out.append(Approach.model_validate(doc))
    return out


def when() -> list[datetime]:
    return [T0 + timedelta(days=i) for i in range(len(STAFF))]


def assert_no_staff(text_: str) -> None:
    folded = text_.casefold()
    leaked = [s for s in STAFF_STRINGS if s.casefold() in folded]
    assert not leaked, leaked
    for name, *_ in STAFF:  # not even one part of a name (first names open the messages)
        for part in name.split():
            assert part.casefold() not in folded, part


def assert_valid_stix(text_: str) -> dict[str, Any]:
    """The OASIS validator passes it (its only warnings: ids are UUIDv5 by design, decision 0077) and stix2 parses
    it without custom content."""
    result = stix2validator.validate_string(text_)
    results = getattr(result, "object_results", None) or [result]
    assert result.is_valid, [str(e) for o in results for e in o.errors]
    warnings = {str(w) for o in results for w in o.warnings or ()}
    assert all("{103}" in w for w in warnings), [w for w in warnings if "{103}" not in w]
    stix2.parse(text_, allow_custom=False)
    doc: dict[str, Any] = json.loads(text_)
    return doc


def by_type(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in doc["objects"] if o["type"] == kind]


def store_report(session: Session, a: Approach, reporter: int, at: datetime, assessment: dict[str, Any]) -> int:
    row = Report(
        approach_id=a.id,
        reporter_id=reporter,
        reported_at=at,
        approach_json=json.dumps(a.to_json_dict()),
        assessment_json=json.dumps(assessment),
        band="high",
        score=80.0,
        status="new",
    )
    session.add(row)
    session.flush()
    return row.id


def sqlite_url(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'store.db'}"


def engine_for(kind: str, tmp: Path) -> Iterator[Engine]:
    """A migrated store: SQLite in `tmp`, or a fresh PostgreSQL database (skipped without one)."""
    yield from migrated_engine(kind, tmp, "cp_share")
