"""STIX and MISP in: indicators others shared land in the watchlist with provenance, all or nothing, and the next
approach from that persona is high. Hostile files are refused with the file and object named.

Every person, firm, address and handle here is invented.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from counterpitch.cli import app
from counterpitch.engine import Engine as ScreeningEngine
from counterpitch.model import Approach
from counterpitch.share import ingest, misp, stix
from counterpitch.share.ingest import ShareImportError, load, store_entries
from counterpitch.share.sources import from_approaches
from counterpitch.share.vocab import tlp
from counterpitch.store import watchlist_rows
from counterpitch.store.tables import AuditEvent, WatchlistRow
from counterpitch.web.engines import EngineHolder
from tests.share_helpers import approaches, engine_for, sqlite_url, when

runner = CliRunner()
AUTHOR = "identity--a9f5c2d4-1b3e-4f6a-8c7d-2e1f0a9b8c7d"
PERSONA = "threat-actor--4b8e2f1a-6c3d-4e5f-9a0b-1c2d3e4f5a6b"
AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
URL = "https://www.linkedin.com/in/harriet-lowe-hr-9921"
EMAIL = "h.lowe@meridian-talent.example"
T = "2026-11-20T10:00:00.000Z"


def opencti_bundle(pattern: str = f"[url:value = '{URL}'] OR [email-addr:value = '{EMAIL}']") -> dict[str, Any]:
    """The shape OpenCTI exports: an author identity, an indicator (with x_opencti_ custom properties), a
    relationship to the persona, TLP:AMBER by its TLP 2.0 id."""
    common = {
        "spec_version": "2.1",
        "created": T,
        "modified": T,
        "created_by_ref": AUTHOR,
        "object_marking_refs": [AMBER],
    }
    return {
        "type": "bundle",
        "id": "bundle--0c6b5c4e-2f3a-4d1b-9e8f-7a6b5c4d3e2f",
        "objects": [
            {
                "type": "identity",
                "id": AUTHOR,
                "name": "North Sea Defence ISAC",
                "identity_class": "organization",
                **common,
            },
            {"type": "threat-actor", "id": PERSONA, "name": "Harriet Lowe", "threat_actor_types": ["spy"], **common},
            {
                "type": "indicator",
                "id": "indicator--7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
                "name": "Harriet Lowe persona",
                "pattern": pattern,
                "pattern_type": "stix",
                "valid_from": T,
                "x_opencti_score": 80,
                **common,
            },
            {
                "type": "relationship",
                "id": "relationship--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                "relationship_type": "indicates",
                "source_ref": "indicator--7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
                "target_ref": PERSONA,
                **common,
            },
        ],
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from engine_for(request.param, tmp_path)


def write(tmp_path: Path, doc: object, name: str = "shared.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def rows(eng: Engine) -> list[WatchlistRow]:
    with Session(eng) as s:
        return list(s.scalars(select(WatchlistRow).order_by(WatchlistRow.id)))


def test_when_an_opencti_bundle_is_imported_then_the_next_approach_from_that_persona_is_high(
    store: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path, opencti_bundle())
    with Session(store) as s:
        result = store_entries(s, load(path))
        s.commit()
    assert result.added == [f"shared-{PERSONA.partition('--')[2]}"]
    [row] = rows(store)
    entry = json.loads(row.entry_json)
    assert entry["name"] == "Harriet Lowe" and entry["profile_urls"] == [URL] and entry["emails"] == [EMAIL]
    assert entry["source"] == "Shared by North Sea Defence ISAC (STIX 2.1, TLP:AMBER)"
    assert entry["date"] == "2026-11-20" and "shared.json" in entry["notes"]
    with Session(store) as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "watchlist.import"))
        assert json.loads(event.detail_json)["shared_by"] == "North Sea Defence ISAC"
        holder = EngineHolder(ScreeningEngine.default(semantic=False, meaning=False))
        holder.load(s)
    text = "Hello, I came across your profile and would like to connect about an opportunity."
    by_url = Approach.model_validate({"id": "n1", "text": text, "sender": {"name": "H. Lowe", "profile_url": URL}})
    by_mail = Approach.model_validate({"id": "n2", "text": text, "sender": {"name": "Hattie", "email": EMAIL.upper()}})
    stranger = Approach.model_validate({"id": "n3", "text": text, "sender": {"name": "Sam Roe"}})
    assert holder.engine.assess(by_url, meaning="never").band == "high"
    assert holder.engine.assess(by_mail, meaning="never").band == "high"
    assert holder.engine.assess(stranger, meaning="never").band != "high"


def test_when_imported_twice_then_nothing_changes(tmp_path: Path) -> None:
    for eng in engine_for("sqlite", tmp_path):
        path = write(tmp_path, opencti_bundle())
        for expected in ("added", "unchanged"):
            with Session(eng) as s:
                result = store_entries(s, load(path))
                s.commit()
            assert len(getattr(result, expected)) == 1
        assert len(rows(eng)) == 1


def test_when_a_shared_entry_changes_then_services_notice_and_a_deactivated_one_stays_off(tmp_path: Path) -> None:
    first = opencti_bundle()
    changed = opencti_bundle(f"[url:value = '{URL}'] OR [email-addr:value = 'other.{EMAIL}']")
    for eng in engine_for("sqlite", tmp_path):
        with Session(eng) as s, s.begin():
            store_entries(s, load(write(tmp_path, first, "first.json")))
        with Session(eng) as s:
            before = watchlist_rows.version(s)
        with Session(eng) as s, s.begin():
            assert store_entries(s, load(write(tmp_path, changed, "changed.json"))).updated
        with Session(eng) as s:
            assert watchlist_rows.version(s) != before
            [entry] = watchlist_rows.active_entries(s)
            assert entry.emails == (f"other.{EMAIL}",)
        with Session(eng) as s, s.begin():
            [row] = s.scalars(select(WatchlistRow))
            row.active = False
        with Session(eng) as s, s.begin():
            result = store_entries(s, load(write(tmp_path, first, "again.json")))
        assert not result.added and not result.updated and "deactivated" in result.skipped[0]
        assert [r.active for r in rows(eng)] == [False]


def test_when_our_own_misp_event_and_feed_are_imported_then_the_persona_lands(tmp_path: Path) -> None:
    share, guard = from_approaches("Example Ministry", approaches(), when())
    event_file = tmp_path / "event.json"
    event_file.write_text(misp.serialise(share, tlp("green"), guard), encoding="utf-8")
    [shared] = [s for s in load(event_file) if s.profile_urls]
    assert shared.name == "Amy Wen" and shared.author == "Example Ministry" and shared.tlp == "green"
    assert list(shared.profile_urls) == ["https://www.linkedin.com/in/amy-wen-vi"]
    assert "vantage_hr88" in shared.handles["wechat"]
    misp.write_feed(share, tlp("green"), guard, tmp_path / "feed")
    from_feed = load(tmp_path / "feed")
    assert {s.name for s in from_feed} >= {"Amy Wen"}
    for eng in engine_for("sqlite", tmp_path):
        with Session(eng) as s:
            result = store_entries(s, from_feed)
            s.commit()
        assert result.added
        with Session(eng) as s:
            entries = watchlist_rows.active_entries(s)
        assert any(e.profile_urls == ("https://www.linkedin.com/in/amy-wen-vi",) for e in entries)
        assert all(e.source == "Shared by Example Ministry (MISP, TLP:GREEN)" for e in entries)


def test_when_our_own_stix_bundle_is_imported_then_each_persona_is_one_entry(tmp_path: Path) -> None:
    share, guard = from_approaches("Example Ministry", approaches(), when())
    path = tmp_path / "bundle.json"
    path.write_text(stix.serialise(share, tlp("amber"), guard), encoding="utf-8")
    [shared] = load(path)
    assert shared.name == "Amy Wen" and shared.tlp == "amber"
    assert list(shared.email_domains) == ["vantage-insight.example"]
    assert shared.handles == {"wechat": {"vantage_hr88": None}, "whatsapp": {"447700900123": None}}


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("[url:value = 'unterminated]", "indicator--7d6c5b4a"),
        ("[file:hashes.'SHA-256' = 'x' AND", "indicator--7d6c5b4a"),
    ],
)
def test_when_an_object_is_bad_then_the_error_names_file_and_object_and_nothing_is_imported(
    tmp_path: Path, pattern: str, problem: str
) -> None:
    path = write(tmp_path, opencti_bundle(pattern), "bad.json")
    with pytest.raises(ShareImportError, match=problem) as caught:
        load(path)
    assert "bad.json" in str(caught.value) and "object 2" in str(caught.value)
    for _ in engine_for("sqlite", tmp_path):
        result = runner.invoke(app, ["share", "import", str(path), "--db", sqlite_url(tmp_path)])
        assert result.exit_code == 2 and "bad.json" in result.output
    for eng in engine_for("sqlite", tmp_path):
        assert rows(eng) == []


def test_when_writing_fails_half_way_then_nothing_is_imported(
    store: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share, guard = from_approaches("Example Ministry", approaches(), when())
    event_file = tmp_path / "event.json"
    event_file.write_text(misp.serialise(share, tlp("green"), guard), encoding="utf-8")
    shared = load(event_file) + load(write(tmp_path, opencti_bundle()))
    assert len(shared) >= 2
    calls: list[int] = []

    def record(*_: object, **__: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(ingest.audit, "record", record)
    with Session(store) as s, pytest.raises(RuntimeError), s.begin():
        store_entries(s, shared)
    with Session(store) as s:
        assert s.scalar(select(func.count()).select_from(WatchlistRow)) == 0


def test_when_an_entry_would_not_validate_then_nothing_is_written(tmp_path: Path) -> None:
    good = load(write(tmp_path, opencti_bundle(), "good.json"))
    bad = load(write(tmp_path, opencti_bundle(), "bad.json"))
    bad[0].name = "!!!"  # no letters to match on: the watchlist refuses it
    for eng in engine_for("sqlite", tmp_path):
        with Session(eng) as s, pytest.raises(ShareImportError, match=r"bad\.json"):
            store_entries(s, good + bad)
        assert rows(eng) == []


def test_when_files_are_hostile_then_they_are_refused_with_the_file_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = write(tmp_path, {}, "deep.json")
    deep.write_text('{"type": "bundle", "objects": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    with pytest.raises(ShareImportError, match=r"deep\.json: JSON nested more than"):
        load(deep)
    junk = write(tmp_path, {}, "junk.json")
    junk.write_text("{not json", encoding="utf-8")
    with pytest.raises(ShareImportError, match=r"junk\.json: not valid JSON"):
        load(junk)
    with pytest.raises(ShareImportError, match="neither a STIX bundle nor a MISP event"):
        load(write(tmp_path, {"hello": 1}, "other.json"))
    monkeypatch.setattr(ingest, "MAX_BYTES", 100)
    with pytest.raises(ShareImportError, match=r"big\.json: .* more than the 100"):
        load(write(tmp_path, opencti_bundle(), "big.json"))
    monkeypatch.setattr(ingest, "MAX_BYTES", 1 << 20)
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "manifest.json").write_text(json.dumps({"../../etc/passwd": {}}), encoding="utf-8")
    with pytest.raises(ShareImportError, match="is not an event uuid"):
        load(feed)
    with pytest.raises(ShareImportError, match="no such file"):
        load(tmp_path / "missing.json")


def test_when_values_are_not_what_a_watchlist_takes_then_they_are_skipped_not_guessed(tmp_path: Path) -> None:
    pattern = (
        "[url:value = 'https://evil.example/login'] OR [domain-name:value = 'gmail.com'] OR "
        f"[user-account:account_type = 'telegram' AND user-account:account_login = 'ab'] OR [url:value = '{URL}']"
    )
    [shared] = load(write(tmp_path, opencti_bundle(pattern)))
    assert list(shared.profile_urls) == [URL] and not shared.handles and not shared.email_domains
    assert len(shared.skipped) == 3


def test_when_share_import_runs_then_it_reports_what_it_added(tmp_path: Path) -> None:
    path = write(tmp_path, opencti_bundle())
    for _ in engine_for("sqlite", tmp_path):
        result = runner.invoke(app, ["share", "import", str(path), "--db", sqlite_url(tmp_path)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["added"] == [f"shared-{PERSONA.partition('--')[2]}"]


def test_when_a_misp_event_from_another_instance_is_imported_then_its_persona_lands(tmp_path: Path) -> None:
    """A hand-written event as a MISP instance exports it: an impersonation object (the real account it copies is
    its victim, never an indicator), a loose e-mail, a recipient's address (email-dst: a target)."""
    event = {
        "Event": {
            "uuid": "5f0c3a9e-7d4b-4c1a-9e2f-8b7a6c5d4e3f",
            "info": "Fake recruiter persona targeting think tanks",
            "date": "2026-10-30",
            "Orgc": {"name": "Example CERT", "uuid": "2b1c0d9e-8f7a-4b6c-9d5e-4f3a2b1c0d9e"},
            "Tag": [{"name": "tlp:green"}, {"name": 'misp-galaxy:threat-actor="Lazarus Group"'}],
            "Attribute": [
                {"type": "email-src", "category": "Payload delivery", "value": "recruit@talentbridge-hr.example"},
                {"type": "email-dst", "category": "Payload delivery", "value": "victim@think-tank.example"},
            ],
            "Object": [
                {
                    "name": "impersonation",
                    "meta-category": "misc",
                    "uuid": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "Attribute": [
                        {"object_relation": "account-name", "type": "text", "value": "Grace Holloway"},
                        {
                            "object_relation": "account-url",
                            "type": "url",
                            "value": "https://www.linkedin.com/in/grace-holloway-talent",
                        },
                        {"object_relation": "type-of-account", "type": "text", "value": "LinkedIn"},
                        {
                            "object_relation": "impersonated-account-url",
                            "type": "link",
                            "value": "https://www.linkedin.com/in/real-grace-holloway",
                        },
                    ],
                }
            ],
        }
    }
    shared = {s.name: s for s in load(write(tmp_path, event, "misp-event.json"))}
    grace = shared["Grace Holloway"]
    assert list(grace.profile_urls) == ["https://www.linkedin.com/in/grace-holloway-talent"]
    assert grace.author == "Example CERT" and grace.tlp == "green" and grace.shared_on == "2026-10-30"
    loose = shared["Fake recruiter persona targeting think tanks"]
    assert list(loose.emails) == ["recruit@talentbridge-hr.example"]
    assert all("victim" not in repr(s.entry()) and "real-grace" not in repr(s.entry()) for s in shared.values())


def test_when_a_bundle_is_marked_with_tlp_1_then_its_level_is_read(tmp_path: Path) -> None:
    doc = opencti_bundle()
    white = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
    for o in doc["objects"]:
        o["object_marking_refs"] = [white]
    [shared] = load(write(tmp_path, doc))
    assert shared.tlp == "clear"


def test_when_campaigns_link_writes_misp_then_pymisp_loads_it(tmp_path: Path) -> None:
    from pymisp import MISPEvent

    src = tmp_path / "approaches.jsonl"
    src.write_text("\n".join(json.dumps(a.to_json_dict()) for a in approaches()), encoding="utf-8")
    result = runner.invoke(app, ["campaigns", "link", str(src), "-f", "misp", "--tlp", "clear"])
    assert result.exit_code == 0, result.output
    event = MISPEvent()
    event.load(result.stdout)
    assert "tlp:clear" in {t.name for t in event.tags}
    bad = runner.invoke(app, ["share", "export", "--db", sqlite_url(tmp_path), "-f", "stix", "--feed", str(tmp_path)])
    assert bad.exit_code == 2 and "--feed" in bad.output
