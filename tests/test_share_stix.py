"""STIX 2.1 and MISP out: valid bundles, deterministic ids, patterns, TLP 2.0, ATT&CK, and no staff ever.

Every person, firm, address, handle and number here is invented (tests/share_helpers.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pymisp import MISPEvent
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from counterpitch.campaigns.persist import link_report
from counterpitch.cli import app
from counterpitch.detectors.registry import default_registry
from counterpitch.model import Approach
from counterpitch.share import misp, stix
from counterpitch.share.collect import StaffGuard, StaffLeak
from counterpitch.share.sources import from_approaches, from_store
from counterpitch.share.vocab import TLPS, attack_names, det_uuid, tlp
from counterpitch.store.tables import AuditEvent, User
from tests.share_helpers import (
    PERSONA,
    PERSONA_EMAIL,
    STAFF,
    T0,
    approaches,
    assert_no_staff,
    assert_valid_stix,
    by_type,
    engine_for,
    sqlite_url,
    store_report,
    when,
)

runner = CliRunner()
ASSESSMENT = {"findings": [{"detector": "x.y", "attack": ["T1585.001", "T1566.003"]}, {"attack": ["T1656"]}]}


def share_of(items: list[Approach], org: str = "Example Ministry") -> tuple[Any, StaffGuard]:
    from counterpitch.model import Assessment

    fake = Assessment.model_validate(
        {
            "id": "x",
            "score": 80,
            "band": "high",
            "findings": [
                {
                    "detector": "persona.test",
                    "title": "t",
                    "severity": "high",
                    "evidence": [],
                    "explanation": "e",
                    "attack": ["T1585.001", "T1566.003"],
                },
                {
                    "detector": "targeting.recipient_access",
                    "title": "t",
                    "severity": "info",
                    "value": "defence,government",
                    "evidence": [],
                    "explanation": "e",
                },
            ],
        }
    )
    return from_approaches(org, items, when()[: len(items)], [fake] * len(items))


def test_when_a_campaign_is_exported_then_the_bundle_is_valid_and_holds_every_part() -> None:
    share, guard = share_of(approaches())
    doc = assert_valid_stix(stix.serialise(share, tlp("amber"), guard))
    assert len(by_type(doc, "campaign")) == 1
    [actor] = by_type(doc, "threat-actor")
    assert actor["name"] == "Amy Wen" and actor["threat_actor_types"] == ["spy"]
    patterns = {o["pattern"] for o in by_type(doc, "indicator")}
    assert "[url:value = 'https://www.linkedin.com/in/amy-wen-vi']" in patterns
    assert f"[email-addr:value = '{PERSONA_EMAIL}']" in patterns
    assert "[domain-name:value = 'vantage-insight.example']" in patterns
    assert "[user-account:account_type = 'wechat' AND user-account:account_login = 'vantage_hr88']" in patterns
    assert "[user-account:account_type = 'whatsapp' AND user-account:account_login = '447700900123']" in patterns
    [org] = [o for o in by_type(doc, "identity") if o["identity_class"] == "organization"]
    assert org["name"] == "Example Ministry"
    sightings = by_type(doc, "sighting")
    assert sightings and all(s["where_sighted_refs"] == [org["id"]] for s in sightings)
    url_ind = next(o for o in by_type(doc, "indicator") if "url:value" in o["pattern"])
    url_sighting = next(s for s in sightings if s["sighting_of_ref"] == url_ind["id"])
    assert url_sighting["count"] == 3
    assert url_sighting["first_seen"].startswith("2026-03-02") and url_sighting["last_seen"].startswith("2026-03-04")
    kinds = {
        (r["relationship_type"], r["source_ref"].split("--")[0], r["target_ref"].split("--")[0])
        for r in by_type(doc, "relationship")
    }
    assert kinds == {
        ("attributed-to", "campaign", "threat-actor"),
        ("indicates", "indicator", "campaign"),
        ("indicates", "indicator", "threat-actor"),
        ("uses", "campaign", "attack-pattern"),
        ("targets", "campaign", "identity"),
    }
    classes = {o["name"]: o for o in by_type(doc, "identity") if o["identity_class"] == "class"}
    assert set(classes) == {"Staff in defence", "Staff in government"}
    assert classes["Staff in defence"]["sectors"] == ["defense"]
    targets = [r for r in by_type(doc, "relationship") if r["relationship_type"] == "targets"]
    assert all(r["description"].endswith(": 3 person(s)") for r in targets)
    assert "Approached by sector: 3 in defence, 3 in government." in by_type(doc, "campaign")[0]["description"]
    refs = {r["external_id"]: r for a in by_type(doc, "attack-pattern") for r in a["external_references"]}
    assert set(refs) == {"T1585.001", "T1566.003"}
    assert refs["T1585.001"]["source_name"] == "mitre-attack"


def test_when_staff_are_planted_everywhere_then_none_leaves_in_stix_or_misp(tmp_path: Path) -> None:
    share, guard = share_of(approaches())
    assert_no_staff(stix.serialise(share, tlp("red"), guard))
    assert_no_staff(misp.serialise(share, tlp("red"), guard))
    for path in misp.write_feed(share, tlp("red"), guard, tmp_path):
        assert_no_staff(path.read_text("utf-8"))
    assert_no_staff((tmp_path / "manifest.json").read_text("utf-8"))


def test_when_a_persona_impersonates_a_colleague_then_the_name_is_withheld() -> None:
    items = approaches()
    fake = [Approach.model_validate({**a.to_json_dict(), "sender": {**PERSONA, "name": STAFF[1][0]}}) for a in items]
    share, guard = share_of(fake)
    text = stix.serialise(share, tlp("amber"), guard)
    assert_no_staff(text)
    [actor] = by_type(json.loads(text), "threat-actor")
    assert actor["name"] == "amy-wen-vi"


def test_when_staff_text_reaches_the_output_then_nothing_is_handed_over() -> None:
    guard = StaffGuard()
    guard.add_person("Wilhelmina Quarrington", "w.q@ministry-example.gov")
    with pytest.raises(StaffLeak):
        guard.check('{"name": "wilhelmina quarrington"}', "test")
    with pytest.raises(StaffLeak):
        guard.check(json.dumps({"x": ["Contact: W.Q@Ministry-Example.gov"]}), "test")
    guard.add_person("Zoë Ångström")
    with pytest.raises(StaffLeak):
        guard.check(json.dumps({"description": "presented as Zoë Ångström"}), "test")  # escaped as \u00eb
    guard.check(json.dumps({"name": "Wilhelmina", "other": "Quarrington Hall"}), "test")  # parts alone pass


def test_when_two_organisations_export_one_persona_then_the_ids_agree() -> None:
    ours, guard = share_of(approaches(), org="Example Ministry")
    other_items = [
        Approach.model_validate(
            {
                "id": f"other-{i}",
                "text": f"Hello, WeChat: VANTAGE_HR88 please. Mail {PERSONA_EMAIL.upper()}",
                "sender": {**PERSONA, "profile_url": "http://uk.linkedin.com/in/Amy-Wen-VI/?trk=x"},
                "recipient": {"name": f"Someone Else{i}", "email": f"se{i}@think-tank.example"},
            }
        )
        for i in range(2)
    ]
    theirs, their_guard = from_approaches("Example Think Tank", other_items, when()[:2])
    a = json.loads(stix.serialise(ours, tlp("amber"), guard))
    b = json.loads(stix.serialise(theirs, tlp("green"), their_guard))
    for kind in ("threat-actor", "campaign"):
        assert {o["id"] for o in by_type(a, kind)} == {o["id"] for o in by_type(b, kind)}
    ids_a = {o["pattern"]: o["id"] for o in by_type(a, "indicator")}
    ids_b = {o["pattern"]: o["id"] for o in by_type(b, "indicator")}
    common = ids_a.keys() & ids_b.keys()
    assert len(common) >= 3 and all(ids_a[p] == ids_b[p] for p in common)
    assert by_type(a, "identity")[0]["id"] != by_type(b, "identity")[0]["id"]  # the organisations differ
    assert ids_a["[url:value = 'https://www.linkedin.com/in/amy-wen-vi']"] == "indicator--" + det_uuid(
        "indicator", "url:linkedin.com/in/amy-wen-vi"
    )


def test_when_exported_twice_then_the_bundle_is_the_same() -> None:
    share, guard = share_of(approaches())
    again, guard2 = share_of(approaches())
    assert stix.serialise(share, tlp("amber"), guard) == stix.serialise(again, tlp("amber"), guard2)


@pytest.mark.parametrize("level", list(TLPS))
def test_when_a_tlp_level_is_chosen_then_every_object_carries_its_official_marking(level: str) -> None:
    share, guard = share_of(approaches()[:2])
    doc = assert_valid_stix(stix.serialise(share, tlp(level), guard))
    marking = TLPS[level].stix_id
    [definition] = [o for o in by_type(doc, "marking-definition") if o["id"] == marking]
    ext = definition["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]
    assert ext["tlp_2_0"] == level and definition["name"] == f"TLP:{level.upper()}"
    for o in doc["objects"]:
        if o["type"] not in ("marking-definition", "attack-pattern") and o.get("identity_class") != "class":
            assert o["object_marking_refs"] == [marking], o["id"]


def test_when_a_tlp_level_is_unknown_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="--tlp"):
        tlp("purple")
    assert tlp("TLP:WHITE").level == "clear"


def test_every_detector_attack_id_has_a_name_for_stix_and_misp() -> None:
    ids = {t for d in default_registry() for t in d.meta.attack}
    assert ids and not ids - set(attack_names())


def test_when_exported_as_misp_then_pymisp_loads_it_with_tags_and_objects() -> None:
    share, guard = share_of(approaches())
    event = MISPEvent()
    event.load(misp.serialise(share, tlp("amber+strict"), guard))
    tags = {t.name for t in event.tags}
    assert "tlp:amber+strict" in tags
    assert 'misp-galaxy:mitre-attack-pattern="Social Media Accounts - T1585.001"' in tags
    assert 'misp-galaxy:mitre-attack-pattern="Spearphishing via Service - T1566.003"' in tags
    assert event.Orgc.name == "Example Ministry"
    assert event.info.endswith("approached: 3 in defence, 3 in government")
    persona = next(o for o in event.objects if o.get_attributes_by_relation("display-name"))
    assert persona.get_attributes_by_relation("display-name")[0].value == "Amy Wen"
    assert persona.get_attributes_by_relation("link")[0].value == "https://www.linkedin.com/in/amy-wen-vi"
    handles = {
        o.get_attributes_by_relation("username")[0].value
        for o in event.objects
        if o.get_attributes_by_relation("username")
    }
    assert {"vantage_hr88", "447700900123"} <= handles
    assert {a.value for a in event.attributes if a.type == "domain"} == {"vantage-insight.example"}


def test_when_a_misp_feed_is_written_then_every_event_loads_and_the_manifest_and_hashes_agree(tmp_path: Path) -> None:
    share, guard = share_of(approaches())
    written = misp.write_feed(share, tlp("green"), guard, tmp_path / "feed")
    manifest = json.loads((tmp_path / "feed" / "manifest.json").read_text())
    assert {p.stem for p in written} == set(manifest)
    hashes = (tmp_path / "feed" / "hashes.csv").read_text().splitlines()
    assert hashes and all(line.split(",")[1] in manifest for line in hashes)
    for path in written:
        event = MISPEvent()
        event.load_file(str(path))
        assert event.uuid == path.stem and "tlp:green" in {t.name for t in event.tags}
        assert manifest[event.uuid]["info"] == event.info


def test_when_campaigns_link_writes_stix_then_it_is_valid(tmp_path: Path) -> None:
    src = tmp_path / "approaches.jsonl"
    src.write_text("\n".join(json.dumps(a.to_json_dict()) for a in approaches()), encoding="utf-8")
    out = tmp_path / "bundle.json"
    result = runner.invoke(
        app, ["campaigns", "link", str(src), "-f", "stix", "--org", "Example Ministry", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    doc = assert_valid_stix(text)
    assert_no_staff(text)
    assert by_type(doc, "campaign") and by_type(doc, "attack-pattern")


# --- from the store --------------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def store_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from engine_for(request.param, tmp_path)


def fill(session: Session) -> None:
    session.add_all(User(id=i + 1, name=name, email=email, role="reporter") for i, (name, email, _) in enumerate(STAFF))
    session.flush()
    for i, a in enumerate(approaches()):
        rid = store_report(session, a, reporter=i + 1, at=T0 + timedelta(days=i), assessment=ASSESSMENT)
        link_report(session, rid)
    session.commit()


def test_when_the_store_is_exported_then_stix_and_misp_are_valid_and_staff_free(store_engine: Engine) -> None:
    with Session(store_engine) as session:
        fill(session)
        share, guard = from_store(session, "Example Ministry")
        assert not from_store(session, "Example Ministry", since=T0 + timedelta(days=30))[0].campaigns
    text = stix.serialise(share, tlp("amber"), guard)
    doc = assert_valid_stix(text)
    assert_no_staff(text)
    [campaign] = by_type(doc, "campaign")
    assert "3 approach(es) to 3 member(s) of staff" in campaign["description"]
    assert {r["external_id"] for a in by_type(doc, "attack-pattern") for r in a["external_references"]} == {
        "T1585.001",
        "T1566.003",
        "T1656",
    }
    event = MISPEvent()
    m = misp.serialise(share, tlp("amber"), guard)
    assert_no_staff(m)
    event.load(m)
    assert 'misp-galaxy:mitre-attack-pattern="Impersonation - T1656"' in {t.name for t in event.tags}


def test_when_share_export_runs_then_it_writes_a_bundle_and_a_feed(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    for eng in engine_for("sqlite", tmp_path):
        with Session(eng) as session:
            fill(session)
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["share", "export", "--db", url, "-f", "stix", "--tlp", "green", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_no_staff(out.read_text("utf-8"))
    assert_valid_stix(out.read_text("utf-8"))
    feed = tmp_path / "feed"
    result = runner.invoke(app, ["share", "export", "--db", url, "-f", "misp", "--feed", str(feed)])
    assert result.exit_code == 0, result.output
    assert (feed / "manifest.json").is_file() and (feed / "hashes.csv").is_file()
    result = runner.invoke(app, ["share", "export", "--db", url, "--tlp", "purple"])
    assert result.exit_code == 2 and "--tlp" in result.output
    for eng in engine_for("sqlite", tmp_path):
        with Session(eng) as session:
            exports = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "share.export")))
    assert [(e.object_id, json.loads(e.detail_json)["tlp"]) for e in exports] == [("stix", "green"), ("misp", "amber")]


def test_when_exported_with_publish_then_the_taxii_collections_serve_the_bundle(tmp_path: Path) -> None:
    from counterpitch.store import taxii

    url = sqlite_url(tmp_path)
    for eng in engine_for("sqlite", tmp_path):
        with Session(eng) as session:
            fill(session)
    out = tmp_path / "green.json"
    args = ["share", "export", "--db", url, "-f", "stix", "--tlp", "green", "-o", str(out), "--publish"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    written = {o["id"] for o in json.loads(out.read_text("utf-8"))["objects"]}
    assert f"campaigns-green: {len(written)} added, 0 already there" in result.output
    again = runner.invoke(app, args)
    assert f"campaigns-green: 0 added, {len(written)} already there" in again.output
    green = taxii.collection_for_tlp("campaigns", "green")
    assert green is not None
    for eng in engine_for("sqlite", tmp_path):
        with Session(eng) as session:
            page = taxii.query(session, green, taxii.Query())
    served = {r.stix_id for r in page.rows}
    assert served == written
    assert_no_staff("\n".join(r.object_json for r in page.rows))
    red = runner.invoke(app, ["share", "export", "--db", url, "--tlp", "red", "--publish", "-o", str(tmp_path / "r")])
    assert red.exit_code == 2 and "--publish" in red.output and "RED" not in served
    misp_publish = runner.invoke(app, ["share", "export", "--db", url, "-f", "misp", "--publish"])
    assert misp_publish.exit_code == 2 and "-f stix" in misp_publish.output
