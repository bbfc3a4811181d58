"""The TAXII 2.1 server inside the service (web/taxii.py, store/taxii.py), on SQLite and PostgreSQL.

Every persona, firm and address here is invented.
"""

from __future__ import annotations

from typing import Any

import pytest
import stix2

from counterpitch.store import taxii
from tests.service.world import World

TAXII = "application/taxii+json;version=2.1"
ROOT = "/taxii2/counterpitch"
GREEN = taxii.collection_for_tlp("campaigns", "green")
GREEN_IND = taxii.collection_for_tlp("indicators", "green")
INBOX = taxii.BY_ID[next(c.id for c in taxii.COLLECTIONS if c.kind == "inbox")]
assert GREEN is not None and GREEN_IND is not None


def _objects(n: int = 3, modified: str = "2026-11-20T10:00:00.000Z") -> list[dict[str, Any]]:
    org = stix2.Identity(
        id="identity--0b9c1f44-7c55-5d1a-9a55-3a3b1c2d4e5f",
        name="An invented organisation",
        identity_class="organization",
        created="2026-11-01T00:00:00.000Z",
        modified="2026-11-01T00:00:00.000Z",
        object_marking_refs=[stix2.TLP_GREEN],
    )
    out: list[dict[str, Any]] = [dict(stix2.TLP_GREEN), dict(org)]
    for i in range(n):
        out.append(
            dict(
                stix2.Indicator(
                    id=f"indicator--{i:08d}-1111-4222-8333-444455556666",
                    name=f"Persona profile {i}",
                    pattern=f"[url:value = 'https://www.linkedin.com/in/invented-persona-{i}']",
                    pattern_type="stix",
                    valid_from="2026-11-01T00:00:00Z",
                    created="2026-11-01T00:00:00.000Z",
                    modified=modified,
                    created_by_ref=org.id,
                    object_marking_refs=[stix2.TLP_GREEN],
                )
            )
        )
    out.append(
        dict(
            stix2.Campaign(
                id="campaign--9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
                name="Invented headhunter campaign",
                created="2026-11-01T00:00:00.000Z",
                modified=modified,
                created_by_ref=org.id,
                object_marking_refs=[stix2.TLP_GREEN],
            )
        )
    )
    return [_plain(o) for o in out]


def _plain(obj: dict[str, Any]) -> dict[str, Any]:
    import json

    return dict(json.loads(stix2.serialization.serialize(obj)))


def _publish(world: World, objects: list[dict[str, Any]]) -> dict[str, taxii.Added]:
    with world.app.state.service.store.write() as session:
        return taxii.publish(session, objects, "green")


def _get(world: World, path: str, role: str = "analyst", **params: Any) -> Any:
    c = world.api(role)
    return c.get(path, params=params, headers={"Accept": TAXII})


def test_when_discovered_then_the_api_root_and_its_collections_are_listed(world: World) -> None:
    r = _get(world, "/taxii2/")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == TAXII
    assert r.json()["api_roots"] == [r.json()["default"]] and r.json()["default"].endswith("/taxii2/counterpitch/")
    root = _get(world, f"{ROOT}/").json()
    assert root["versions"] == [TAXII] and root["max_content_length"] > 0
    listed = {c["alias"]: c for c in _get(world, f"{ROOT}/collections/").json()["collections"]}
    assert set(listed) == {"campaigns-clear", "campaigns-green", "campaigns-amber"} | {
        "indicators-clear",
        "indicators-green",
        "indicators-amber",
        "shared-in",
    }
    assert not any(c["can_write"] for c in listed.values()), "an analyst writes nowhere"
    admin = {c["alias"]: c for c in _get(world, f"{ROOT}/collections/", "admin").json()["collections"]}
    assert [a for a, c in admin.items() if c["can_write"]] == ["shared-in"]
    assert _get(world, f"{ROOT}/collections/{GREEN.id}/").json()["title"] == "Campaigns (TLP:GREEN)"


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("reporter", 403)])
def test_when_a_reporter_or_nobody_asks_then_taxii_refuses_in_its_own_format(
    world: World, role: str, status: int
) -> None:
    for path in ("/taxii2/", f"{ROOT}/collections/", f"{ROOT}/collections/{GREEN.id}/objects/"):
        r = _get(world, path, role)
        assert r.status_code == status, path
        assert r.headers["content-type"] == TAXII
        assert r.json()["http_status"] == str(status) and r.json()["title"]


def test_when_published_then_objects_come_back_with_their_dates_and_twice_adds_nothing(world: World) -> None:
    objects = _objects()
    first = _publish(world, objects)
    assert len(first["campaigns-green"].added) == len(objects)
    assert {t for t, _ in first["indicators-green"].added} == {
        o["id"] for o in objects if o["type"] in ("indicator", "identity", "marking-definition")
    }
    again = _publish(world, objects)
    assert again["campaigns-green"].added == [] and len(again["campaigns-green"].unchanged) == len(objects)

    r = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/")
    assert r.status_code == 200 and r.headers["content-type"] == TAXII
    body = r.json()
    assert body["more"] is False and {o["id"] for o in body["objects"]} == {o["id"] for o in objects}
    first_added, last_added = r.headers["X-TAXII-Date-Added-First"], r.headers["X-TAXII-Date-Added-Last"]
    assert first_added < last_added
    # nothing is newer than the last one; everything but the first is newer than the first
    assert "objects" not in _get(world, f"{ROOT}/collections/{GREEN.id}/objects/", added_after=last_added).json()
    later = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/", added_after=first_added).json()["objects"]
    assert len(later) == len(objects) - 1
    only = _get(world, f"{ROOT}/collections/{GREEN_IND.id}/objects/", **{"match[type]": "campaign"}).json()
    assert "objects" not in only, "the indicators collection holds no campaign"


def test_when_paged_then_every_object_comes_once_in_order(world: World) -> None:
    objects = _objects(n=7)
    _publish(world, objects)
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    for _ in range(10):
        body = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/", **params).json()
        seen += [o["id"] for o in body.get("objects", [])]
        if not body["more"]:
            assert "next" not in body
            break
        params["next"] = body["next"]
    assert seen == [o["id"] for o in objects]


def test_when_a_campaign_changes_then_a_new_version_is_kept_and_last_is_served(world: World) -> None:
    _publish(world, _objects(n=1))
    _publish(world, _objects(n=1, modified="2026-12-01T08:00:00.000Z"))
    campaign = "campaign--9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
    versions = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/{campaign}/versions/").json()["versions"]
    assert versions == ["2026-11-20T10:00:00.000000Z", "2026-12-01T08:00:00.000000Z"]
    last = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/{campaign}/").json()["objects"]
    assert [o["modified"] for o in last] == ["2026-12-01T08:00:00.000Z"]
    every = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/{campaign}/", **{"match[version]": "all"}).json()
    assert len(every["objects"]) == 2
    first = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/{campaign}/", **{"match[version]": "first"}).json()
    assert [o["modified"] for o in first["objects"]] == ["2026-11-20T10:00:00.000Z"]
    manifest = _get(world, f"{ROOT}/collections/{GREEN.id}/manifest/", **{"match[id]": campaign}).json()
    assert [m["version"] for m in manifest["objects"]] == ["2026-12-01T08:00:00.000000Z"]
    assert manifest["objects"][0]["media_type"] == "application/stix+json;version=2.1"


def test_when_a_filter_or_collection_is_wrong_then_taxii_says_which(world: World) -> None:
    r = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/", added_after="yesterday")
    assert r.status_code == 400 and "added_after" in r.json()["description"]
    r = _get(world, f"{ROOT}/collections/{GREEN.id}/objects/", limit="many")
    assert r.status_code == 400 and "limit" in r.json()["description"]
    assert _get(world, f"{ROOT}/collections/not-a-collection/objects/").status_code == 404
    assert _get(world, f"{ROOT}/collections/{GREEN.id}/objects/indicator--nothing/").status_code == 404
    r = world.api("analyst").get(f"{ROOT}/collections/", headers={"Accept": "text/html"})
    assert r.status_code == 406 and r.headers["content-type"] == TAXII
    assert _get(world, f"{ROOT}/status/no-such-status/").status_code == 404


def _post(world: World, role: str, collection: str, body: Any, kind: str = TAXII) -> Any:
    import json

    return world.api(role).post(
        f"{ROOT}/collections/{collection}/objects/",
        content=json.dumps(body),
        headers={"Accept": TAXII, "Content-Type": kind},
    )


def test_when_an_admin_adds_objects_then_good_ones_are_kept_and_bad_ones_named(world: World) -> None:
    good = _objects(n=2)
    bad = {"type": "indicator", "spec_version": "2.1", "id": "indicator--bad", "pattern": "not a pattern"}
    r = _post(world, "admin", INBOX.id, {"objects": [*good, bad]})
    assert r.status_code == 202, r.text
    status = r.json()
    assert status["status"] == "complete" and status["total_count"] == len(good) + 1
    assert status["success_count"] == len(good) and status["failure_count"] == 1
    assert status["failures"][0]["id"] == "indicator--bad" and status["failures"][0]["message"]
    again = _get(world, f"{ROOT}/status/{status['id']}/").json()
    assert again["success_count"] == len(good)
    held = _get(world, f"{ROOT}/collections/{INBOX.id}/objects/").json()["objects"]
    assert {o["id"] for o in held} == {o["id"] for o in good}


def test_when_anyone_but_an_admin_writes_or_writes_elsewhere_then_nothing_is_kept(world: World) -> None:
    objects = _objects(n=1)
    assert _post(world, "analyst", INBOX.id, {"objects": objects}).status_code == 403
    assert _post(world, "reporter", INBOX.id, {"objects": objects}).status_code == 403
    assert _post(world, "admin", GREEN.id, {"objects": objects}).status_code == 403
    assert _post(world, "admin", INBOX.id, {"objects": objects}, kind="application/json").status_code == 415
    assert _post(world, "admin", INBOX.id, {"items": objects}).status_code == 400
    assert "objects" not in _get(world, f"{ROOT}/collections/{INBOX.id}/objects/").json()
    assert "objects" not in _get(world, f"{ROOT}/collections/{GREEN.id}/objects/").json()


def test_when_an_admin_adds_opencti_objects_then_the_next_approach_from_that_persona_is_high(world: World) -> None:
    from tests.test_share_import import EMAIL, URL, opencti_bundle

    text = "Hello, I came across your profile and would like to connect about an opportunity."
    approach = {"id": "taxii-next", "text": text, "sender": {"name": "H. Lowe", "profile_url": URL}}
    before = world.api("analyst").post("/api/v1/assess", json=approach).json()
    assert before["band"] != "high"
    r = _post(world, "admin", INBOX.id, {"objects": opencti_bundle()["objects"]})
    assert r.status_code == 202 and r.json()["success_count"] == 4 and r.json()["failure_count"] == 0
    after = world.api("analyst").post("/api/v1/assess", json=approach).json()
    assert after["band"] == "high"
    by_mail = {**approach, "id": "taxii-mail", "sender": {"name": "Hattie", "email": EMAIL}}
    assert world.api("analyst").post("/api/v1/assess", json=by_mail).json()["band"] == "high"


def test_when_a_shared_indicator_is_bad_then_it_is_named_and_its_persona_matches_nothing(world: World) -> None:
    from tests.test_share_import import opencti_bundle

    url = "https://www.linkedin.com/in/half-shared-persona"
    objects = opencti_bundle(f"[url:value = '{url}'] AND [ipv4-addr:value = '10.0.0.1'")["objects"]
    r = _post(world, "admin", INBOX.id, {"objects": objects})
    assert r.status_code == 202
    status = r.json()
    assert status["failure_count"] == 1 and status["failures"][0]["id"].startswith("indicator--")
    assert "pattern" in status["failures"][0]["message"].lower()
    held = _get(world, f"{ROOT}/collections/{INBOX.id}/objects/").json()["objects"]
    assert not any(o["type"] == "indicator" for o in held)
    approach = {
        "id": "taxii-half",
        "text": "Hello, could we connect?",
        "sender": {"name": "H. Lowe", "profile_url": url},
    }
    assert world.api("analyst").post("/api/v1/assess", json=approach).json()["band"] != "high"


def test_when_a_bundle_is_marked_stricter_or_not_at_all_then_it_is_not_published(world: World) -> None:
    from counterpitch.share.vocab import TLPS

    amber = [
        {**o, "object_marking_refs": [TLPS["amber"].stix_id]} if o["type"] == "indicator" else o for o in _objects()
    ]
    with pytest.raises(ValueError, match="TLP:AMBER, too strict for a TLP:GREEN"):
        _publish(world, amber)
    bare = [{k: v for k, v in o.items() if k != "object_marking_refs"} for o in _objects()]
    with pytest.raises(ValueError, match="no TLP marking"):
        _publish(world, bare)
    assert "objects" not in _get(world, f"{ROOT}/collections/{GREEN.id}/objects/").json()
    with world.app.state.service.store.write() as session:  # the same bundle is fine where it belongs
        assert taxii.publish(session, amber, "amber")["campaigns-amber"].added
