"""Joining the audit with the service's reports (`--db`): read-only, approached and highly exposed people first.
Against SQLite made with the store's own tables, and against the real PostgreSQL. All data is invented."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from counterpitch.audit.approached import read_reports
from counterpitch.store.tables import Base, Report, User
from tests.service.databases import fresh_pg_database
from tests.test_audit_report import ORG, TERMS, audit_cli


def fill(url: str) -> None:
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        reporter = User(name="priya.castell", role="reporter")
        other = User(name="security.team", role="analyst")
        s.add_all([reporter, other])
        s.flush()

        def report(recipient: dict[str, str] | None, by: User, band: str) -> Report:
            approach = {"id": str(uuid.uuid4()), "text": "Invented approach text."}
            if recipient is not None:
                approach["recipient"] = recipient  # type: ignore[assignment]
            return Report(
                approach_id=approach["id"],
                reporter_id=by.id,
                approach_json=json.dumps(approach),
                assessment_json="{}",
                band=band,
                score=70.0,
            )

        s.add_all(
            [
                # Jess Arden (high exposure, by URL), Callum Frew (low exposure, by name), a stranger.
                report({"profile_url": "https://linkedin.com/in/hl-09-invented/"}, other, "high"),
                report({"name": "callum  FREW"}, other, "medium"),
                report(
                    {"profile_url": "https://www.linkedin.com/in/someone-else", "name": "Tobias Renn"}, other, "low"
                ),
                report(None, reporter, "high"),  # no recipient: the reporter was the one approached
            ]
        )
        s.commit()
    engine.dispose()


def check_priority(url: str, tmp_path: Path) -> None:
    done = audit_cli(str(ORG), "--terms", str(TERMS), "--db", url, "-f", "json", "--top", "5")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    first = doc["priority"][0]
    assert first["id"] == "hl-09" and first["approached"][0]["matched_by"] == "profile_url"
    # Tobias Renn's report names someone else's URL: a name alone does not override a URL that differs.
    assert all(p["id"] != "hl-02" or not p["approached"] for p in doc["priority"])
    # Callum Frew was approached but gives nothing away: he does not jump the queue.
    assert "hl-10" not in [p["id"] for p in doc["priority"]]
    assert doc["approached_people"] == 2


def test_when_joined_with_a_sqlite_store_then_approached_and_exposed_come_first(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'service.db'}"
    fill(url)
    index = read_reports(url)
    assert len(index) == 4
    check_priority(url, tmp_path)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Report)).scalar() == 4  # nothing written
    engine.dispose()


def test_when_the_database_cannot_be_read_then_the_error_says_so(tmp_path: Path) -> None:
    done = audit_cli(str(ORG), "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert done.returncode == 2 and "--db: cannot read the reports" in done.stderr


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_pg_database("cp_audit") as url:
        yield url


def test_when_joined_with_postgresql_then_the_read_is_read_only_and_prioritises(pg_url: str, tmp_path: Path) -> None:
    fill(pg_url)
    check_priority(pg_url, tmp_path)
    assert len(read_reports(pg_url)) == 4
