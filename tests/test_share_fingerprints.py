"""Matching personas across organisations by keyed fingerprints (issue 15 item 5, counterpitch.share).

Two invented organisations: A keeps approaches its staff reported (tests/data/share/org_a_approaches.jsonl),
B a watchlist of its own (org_b_watchlist.yaml). They share two personas, spelt differently. Every person, firm,
address and handle here is invented.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from counterpitch.cli import app
from counterpitch.model import Approach
from counterpitch.share import identifiers
from counterpitch.share.fingerprints import ShareError, document, fingerprint, match, parse
from counterpitch.share.identifiers import Identifier
from counterpitch.store.db import make_engine
from counterpitch.store.migrate import upgrade
from counterpitch.store.tables import Campaign, Report, User

DATA = Path(__file__).parent / "data" / "share"
ORG_A = DATA / "org_a_approaches.jsonl"
ORG_B = DATA / "org_b_watchlist.yaml"
runner = CliRunner()


def strings(doc: object) -> Iterator[str]:
    """Every text value of a parsed file, however deep."""
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for k, v in doc.items():
            # A persona's local id is meant to be there, for its organisation to look up; the rest is not data.
            if k not in ("id", "kind", "channel", "source", "date"):
                yield from strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from strings(v)


def input_strings() -> set[str]:
    """What must never appear in a shared file: each input value, its words, and the canonical forms hashed."""
    docs = [json.loads(line) for line in ORG_A.read_text("utf-8").splitlines()]
    docs.append(yaml.safe_load(ORG_B.read_text("utf-8")))
    found = {s for s in strings(docs) if len(s) >= 4}
    found |= {w.strip(".,:@()") for s in list(found) for w in s.split() if len(w.strip(".,:@()")) >= 5}
    personas = identifiers.from_approaches(Approach.model_validate(d) for d in docs[:-1])
    for p in personas:
        for ident in p.identifiers:
            found |= {ident.value, *ident.value.replace("|", ":").split(":")}
    return {s.casefold() for s in found if len(s) >= 4} - {"linkedin.com"}


def fingerprint_file(tmp_path: Path, source: Path, key: Path, name: str) -> Path:
    out = tmp_path / name
    r = runner.invoke(app, ["share", "fingerprints", str(source), "--key", str(key), "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "community.key"
    r = runner.invoke(app, ["share", "keygen", "-o", str(path)])
    assert r.exit_code == 0, r.output
    return path


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (identifiers.handle("wechat", "@Marcus_Vell88"), identifiers.handle("weixin", "marcus_vell88")),
        (identifiers.handle("whatsapp", "+44 7700 900123"), identifiers.phone("07700 900123")),
        (
            identifiers.name_with_firm("Dr. Amélia THORNBURY", "Castellan Strategic Advisory Ltd"),
            identifiers.name_with_firm("thornbury  amelia", "Castellan Strategic Advisory"),
        ),
    ],
)
def test_when_spelt_differently_then_one_identifier(one: Identifier | None, other: Identifier | None) -> None:
    assert one is not None and one == other


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/amelia-thornbury-4b2/",
        "uk.linkedin.com/in/Amelia-Thornbury-4B2?trk=people",
        "http://linkedin.com/in/amelia-thornbury-4b2/en",
        "https://m.linkedin.com/in/amelia%2Dthornbury%2D4b2#about",
    ],
)
def test_when_profile_url_varies_then_same_canonical_form(url: str) -> None:
    a = Approach.model_validate({"id": "x", "text": "hi", "sender": {"profile_url": url}})
    assert identifiers.of_approach(a) == {Identifier("url", "linkedin.com/in/amelia-thornbury-4b2")}


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("Easier on WhatsApp: 07700 900456 any time", identifiers.handle("phone", "+44 7700 900456")),
        ("Call me on +44 (0)7700 900456", identifiers.phone("07700900456")),
        ("my Telegram is @Marcus_Vell88", identifiers.handle("telegram", "t.me/marcus_vell88")),
        ("Add me on Weixin: marcus_vell88", identifiers.handle("wechat", "@MARCUS_VELL88")),
    ],
)
def test_when_message_gives_a_contact_then_it_is_the_listed_identifier(text: str, listed: Identifier | None) -> None:
    assert listed is not None
    assert listed in identifiers.of_approach(Approach.model_validate({"id": "x", "text": text}))


def test_when_name_has_no_firm_then_no_name_identifier() -> None:
    assert identifiers.name_with_firm("Amelia Thornbury", "") is None
    assert identifiers.name_with_firm("Amelia", "Castellan") is None


def test_when_recipient_gives_an_address_then_it_is_not_fingerprinted() -> None:
    [persona, *_] = identifiers.from_approaches(
        Approach.model_validate(json.loads(line)) for line in ORG_A.read_text("utf-8").splitlines()
    )
    assert persona.id == "a-101"  # a-102 wrote from the same address: one persona
    kinds = {i.kind for i in persona.identifiers}
    assert kinds == {"url", "email", "name"}
    assert Identifier("email", "owen.hartley@parliament-research.example") not in persona.identifiers


def test_when_two_organisations_fingerprint_then_shared_personas_match(tmp_path: Path, key: Path) -> None:
    a = fingerprint_file(tmp_path, ORG_A, key, "a.json")
    b = fingerprint_file(tmp_path, ORG_B, key, "b.json")
    r = runner.invoke(app, ["share", "match", str(a), str(b), "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    got = {(m["a"], m["b"]): m["kinds"] for m in doc["matches"]}
    assert got == {("a-101", "ths-0001"): ["url", "email", "name"], ("a-103", "ths-0002"): ["handle"]}
    assert (doc["a"]["personas"], doc["b"]["personas"]) == (3, 3)  # the firm entry names no persona
    table = runner.invoke(app, ["share", "match", str(a), str(b)], env={"COLUMNS": "160"})
    assert table.exit_code == 0 and "a-101" in table.stdout and "ths-0001" in table.stdout


def test_when_fingerprints_are_written_then_no_identifier_is_in_clear(tmp_path: Path, key: Path) -> None:
    for source, name in ((ORG_A, "a.json"), (ORG_B, "b.json")):
        text = fingerprint_file(tmp_path, source, key, name).read_text("utf-8").casefold()
        leaked = sorted(s for s in input_strings() if s in text)
        assert leaked == [], f"{name} shows {leaked}"


def test_when_keys_differ_then_match_refuses(tmp_path: Path, key: Path) -> None:
    other = tmp_path / "other.key"
    assert runner.invoke(app, ["share", "keygen", "-o", str(other)]).exit_code == 0
    a = fingerprint_file(tmp_path, ORG_A, key, "a.json")
    b = fingerprint_file(tmp_path, ORG_B, other, "b.json")
    r = runner.invoke(app, ["share", "match", str(a), str(b)])
    assert r.exit_code == 2
    assert "different keys" in r.stderr


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        ({"format": "counterpitch-psi", "version": 1}, "not a fingerprint file"),
        ({"format": "counterpitch-fingerprints", "version": 9, "key_id": "0" * 16, "personas": []}, "version 9"),
        ({"format": "counterpitch-fingerprints", "version": 1, "key_id": "xyz", "personas": []}, "key id"),
        (
            {"format": "counterpitch-fingerprints", "version": 1, "key_id": "0" * 16, "personas": [{"id": "p"}]},
            "needs an 'id' and a list 'fp'",
        ),
        (
            {
                "format": "counterpitch-fingerprints",
                "version": 1,
                "key_id": "0" * 16,
                "personas": [{"id": "p", "fp": ["email:amelia.t@castellan-advisory.example"]}],
            },
            "is not a fingerprint",
        ),
    ],
)
def test_when_file_is_not_a_fingerprint_file_then_clear_error(doc: dict[str, Any], problem: str) -> None:
    with pytest.raises(ShareError, match=problem):
        parse(doc, "f.json")


def test_when_wrong_file_given_to_match_then_exit_2(tmp_path: Path, key: Path) -> None:
    a = fingerprint_file(tmp_path, ORG_A, key, "a.json")
    r = runner.invoke(app, ["share", "match", str(a), str(ORG_B)])
    assert r.exit_code == 2 and "not JSON" in r.stderr


def test_when_keygen_then_owner_only_and_never_overwritten(tmp_path: Path, key: Path) -> None:
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_text()
    r = runner.invoke(app, ["share", "keygen", "-o", str(key)])
    assert r.exit_code == 2 and "already exists" in r.stderr and key.read_text() == before
    assert runner.invoke(app, ["share", "keygen", "-o", str(key), "--force"]).exit_code == 0
    assert key.read_text() != before and stat.S_IMODE(key.stat().st_mode) == 0o600


def test_when_key_file_is_not_a_key_then_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("psi-ristretto255-secret-v1:" + "00" * 32 + "\n")
    r = runner.invoke(app, ["share", "fingerprints", str(ORG_A), "--key", str(bad), "-o", str(tmp_path / "o")])
    assert r.exit_code == 2 and "not a share key" in r.stderr
    assert not (tmp_path / "o").exists()


def test_when_one_side_has_many_personas_then_match_joins_by_hash() -> None:
    key = bytes(range(32))
    mine = [identifiers.Persona(f"p{i}", frozenset({Identifier("email", f"x{i}@a.example")})) for i in range(2000)]
    theirs = [
        identifiers.Persona(f"q{i}", frozenset({Identifier("email", f"x{i}@a.example")})) for i in range(1990, 4000)
    ]
    found = match(parse(document(key, mine), "a"), parse(document(key, theirs), "b"))
    assert [(m.a, m.b) for m in found] == [(f"p{i}", f"q{i}") for i in range(1990, 2000)]
    assert fingerprint(key, Identifier("email", "x1@a.example")) != fingerprint(key, Identifier("url", "x1@a.example"))


def test_when_read_from_the_store_then_campaign_personas_match(tmp_path: Path, key: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = make_engine(url)
    upgrade(engine)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with Session(engine) as s:
        s.add(User(id=1, name="staff1", role="reporter"))
        s.add(Campaign(id=7, first_seen=now, last_seen=now, reports=2))
        s.flush()
        for n, line in enumerate(ORG_A.read_text("utf-8").splitlines()[:3], start=1):
            s.add(
                Report(
                    id=n,
                    approach_id=f"r{n}",
                    reporter_id=1,
                    reported_at=now,
                    approach_json=line,
                    assessment_json="{}",
                    band="high",
                    score=0.9,
                    campaign_id=7 if n <= 2 else None,
                )
            )
        s.commit()
    engine.dispose()
    out = tmp_path / "db.json"
    r = runner.invoke(app, ["share", "fingerprints", "--db", url, "--key", str(key), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert [p["id"] for p in json.loads(out.read_text())["personas"]] == ["campaign-7/report-1"]
    b = fingerprint_file(tmp_path, ORG_B, key, "b.json")
    r = runner.invoke(app, ["share", "match", str(out), str(b), "-f", "json"])
    assert [(m["a"], m["b"]) for m in json.loads(r.stdout)["matches"]] == [("campaign-7/report-1", "ths-0001")]
    everything = tmp_path / "all.json"
    r = runner.invoke(
        app, ["share", "fingerprints", "--db", url, "--all-reports", "--key", str(key), "-o", str(everything)]
    )
    assert r.exit_code == 0 and len(json.loads(everything.read_text())["personas"]) == 2


def test_when_both_file_and_db_named_then_exit_2(tmp_path: Path, key: Path) -> None:
    r = runner.invoke(app, ["share", "fingerprints", str(ORG_A), "--db", "sqlite://", "--key", str(key)])
    assert r.exit_code == 2 and "not both" in r.stderr


def test_when_a_file_holds_one_fingerprint_twice_then_every_pair_is_listed() -> None:
    key = bytes(32)

    def persona(pid: str, *emails: str) -> identifiers.Persona:
        return identifiers.Persona(pid, frozenset(Identifier("email", e) for e in emails))

    a = parse(document(key, [persona("a1", "x@y.example"), persona("a2", "x@y.example", "z@y.example")]), "a")
    b = parse(document(key, [persona("b1", "x@y.example"), persona("b2", "z@y.example")]), "b")
    assert [(m.a, m.b) for m in match(a, b)] == [("a1", "b1"), ("a2", "b1"), ("a2", "b2")]


def test_when_ids_are_mapped_then_the_file_numbers_personas(tmp_path: Path, key: Path) -> None:
    out, ids = tmp_path / "b.json", tmp_path / "ids.json"
    args = ["share", "fingerprints", str(ORG_B), "--key", str(key), "-o", str(out), "--id-map", str(ids)]
    assert runner.invoke(app, args).exit_code == 0
    assert [p["id"] for p in json.loads(out.read_text())["personas"]] == ["p1", "p2", "p3"]
    assert "ths-0001" not in out.read_text()
    assert json.loads(ids.read_text()) == {"p1": "ths-0001", "p2": "ths-0002", "p3": "ths-0003"}
    assert stat.S_IMODE(ids.stat().st_mode) == 0o600


def test_when_share_help_then_every_command_is_listed() -> None:
    r = runner.invoke(app, ["share", "--help"], env={"COLUMNS": "200"})
    for command in ("keygen", "fingerprints", "match", "psi-start", "psi-reply", "psi-finish"):
        assert command in r.stdout
