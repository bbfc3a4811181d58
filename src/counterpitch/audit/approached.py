"""Who has already been approached: the service's `reports` table, read-only, as an index by person.

An audit finds who is exposed; the service knows who has been approached. A person who is both comes first in
the audit's priority list. Each stored Approach names its recipient (profile URL and name, when the reporter
gave them); reports without a recipient fall back to the reporter's own account name (the person approached
is usually the one who reported it).

Matching is by the profile URL where both sides have one (normalised as in ingest/linkedin_archive.url_key),
else by the name, case and spacing ignored. A name is a weak key; the report shows which was used.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from counterpitch.ingest.linkedin_archive import url_key
from counterpitch.model import Profile

#: Reports read at most: an index past this would be a reports table no audit should be joined with whole.
MAX_REPORTS = 1_000_000


@dataclass(frozen=True, order=True)
class ApproachRef:
    """One stored report about an approach to a person: enough to find it in the service, nothing more."""

    report_id: int
    band: str
    reported_at: str
    reporter: str
    matched_by: str  # "profile_url" or "name"


def name_key(name: str | None) -> str | None:
    words = " ".join((name or "").casefold().split())
    return f"name:{words}" if words else None


def person_keys(profile_url: str | None, name: str | None) -> tuple[str | None, str | None]:
    return (f"url:{url_key(profile_url)}" if profile_url and url_key(profile_url) else None), name_key(name)


@dataclass(frozen=True)
class ApproachedIndex:
    """Reports by person key. A report with a recipient URL is filed under the URL only; one without, under
    the name, so a profile never matches a report whose URL names someone else."""

    by_key: dict[str, tuple[ApproachRef, ...]] = field(default_factory=dict)

    def lookup(self, profile: Profile) -> tuple[ApproachRef, ...]:
        url, name = person_keys(profile.profile_url, profile.name)
        found = (self.by_key.get(url, ()) if url else ()) + (self.by_key.get(name, ()) if name else ())
        return tuple(sorted(set(found)))

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_key.values())


def index_reports(rows: Iterable[tuple[int, str, str, str, str]]) -> ApproachedIndex:
    """(report id, approach JSON, band, reported_at ISO, reporter name) rows -> the index."""
    grouped: dict[str, set[ApproachRef]] = defaultdict(set)
    for report_id, approach_json, band, reported_at, reporter in rows:
        try:
            approach = json.loads(approach_json)
        except (json.JSONDecodeError, TypeError):
            continue
        recipient = approach.get("recipient") if isinstance(approach, dict) else None
        recipient = recipient if isinstance(recipient, dict) else {}
        url = recipient.get("profile_url") if isinstance(recipient.get("profile_url"), str) else None
        name = recipient.get("name") if isinstance(recipient.get("name"), str) else None
        url_k, name_k = person_keys(url, name or (None if url else reporter))
        key, how = (url_k, "profile_url") if url_k else (name_k, "name")
        if key:
            grouped[key].add(ApproachRef(int(report_id), str(band), str(reported_at), str(reporter), how))
    return ApproachedIndex({k: tuple(sorted(v)) for k, v in sorted(grouped.items())})


def read_reports(url: str) -> ApproachedIndex:
    """The index from the service database at `url` (SQLAlchemy URL), read-only: one SELECT in a read-only
    transaction where the database supports it; nothing is written."""
    from sqlalchemy import create_engine, select, text

    from counterpitch.store.tables import Report, User

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SET TRANSACTION READ ONLY"))
            query = (
                select(Report.id, Report.approach_json, Report.band, Report.reported_at, User.name)
                .join(User, User.id == Report.reporter_id)
                .order_by(Report.id)
                .limit(MAX_REPORTS)
            )
            rows: Iterator[tuple[int, str, str, str, str]] = (
                (r[0], r[1], r[2], r[3].isoformat() if r[3] is not None else "", r[4]) for r in conn.execute(query)
            )
            index = index_reports(rows)
            conn.rollback()
            return index
    finally:
        engine.dispose()
