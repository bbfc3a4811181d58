"""The JSON API against ../shared/schemas: bodies validated with jsonschema, on SQLite and PostgreSQL.

Invented approaches only.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.conftest import SCHEMAS
from tests.service.world import World, approach


def _validator(name: str) -> jsonschema.Draft202012Validator:
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"{path} is not beside this checkout")
    schema = json.loads(path.read_text("utf-8"))
    registry: Registry[Any] = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    return jsonschema.Draft202012Validator(schema, registry=registry)


def valid(name: str, body: object) -> None:
    errors = sorted(_validator(name).iter_errors(body), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_healthz(world: World) -> None:
    assert world.client().get("/api/v1/healthz").json() == {"status": "ok"}


def test_assess_answers_an_assessment_and_stores_nothing(world: World) -> None:
    analyst = world.api("analyst")
    before = analyst.get("/api/v1/reports").json()["reports"]
    r = world.api("reporter").post("/api/v1/assess", json=approach("assess-1"))
    assert r.status_code == 200
    valid("assessment.schema.json", r.json())
    assert r.json()["id"] == "t-assess-1" and r.json()["band"] == "high"
    assert analyst.get("/api/v1/reports").json()["reports"] == before


def test_report_round_trip_matches_the_contract(world: World) -> None:
    sent = approach("rt", thread=[{"from": "recipient", "text": "Who are your clients?"}])
    r = world.api("reporter").post("/api/v1/reports", json=sent)
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"id", "assessment"} and isinstance(body["id"], int)
    valid("assessment.schema.json", body["assessment"])

    listed = world.api("reporter").get("/api/v1/reports").json()["reports"]
    mine = [x for x in listed if x["id"] == body["id"]]
    assert len(mine) == 1
    assert set(mine[0]) == {"id", "approach_id", "reported_at", "band", "score", "status"}
    assert mine[0]["approach_id"] == "t-rt" and mine[0]["status"] == "new"
    assert mine[0]["band"] == body["assessment"]["band"] and mine[0]["score"] == body["assessment"]["score"]

    one = world.api("reporter").get(f"/api/v1/reports/{body['id']}").json()
    assert set(one) == {"id", "approach", "assessment", "status", "campaign_id"}
    valid("approach.schema.json", one["approach"])
    valid("assessment.schema.json", one["assessment"])
    assert one["approach"]["text"] == sent["text"] and one["approach"]["thread"][0]["from"] == "recipient"
    assert one["assessment"] == body["assessment"]
    assert one["campaign_id"] is None or isinstance(one["campaign_id"], int)


def test_reporters_list_only_their_own_and_analysts_all(world: World) -> None:
    own = {x["id"] for x in world.api("reporter").get("/api/v1/reports").json()["reports"]}
    other = {x["id"] for x in world.api("other").get("/api/v1/reports").json()["reports"]}
    every = {x["id"] for x in world.api("analyst").get("/api/v1/reports").json()["reports"]}
    assert own == {world.report_ids["reporter"]} and other == {world.report_ids["other"]}
    assert own | other <= every


def test_list_filters(world: World) -> None:
    analyst = world.api("analyst")
    low = approach("low", text="Hello, thanks for the talk at the conference last week. Best wishes.")
    low_id = world.api("reporter").post("/api/v1/reports", json=low).json()["id"]
    by_band = {
        b: {x["id"] for x in analyst.get(f"/api/v1/reports?band={b}").json()["reports"]} for b in ("low", "high")
    }
    assert low_id in by_band["low"] and low_id not in by_band["high"]
    assert world.report_ids["reporter"] in by_band["high"]
    assert analyst.get("/api/v1/reports?status=triaged").json()["reports"] == []
    assert analyst.get("/api/v1/reports?from=2999-01-01T00:00:00Z").json()["reports"] == []
    assert len(analyst.get("/api/v1/reports?limit=1").json()["reports"]) == 1


def test_campaigns_shape(world: World) -> None:
    r = world.api("analyst").get("/api/v1/campaigns")
    assert r.status_code == 200
    for c in r.json()["campaigns"]:
        assert {"id", "reports", "targets", "first_seen", "last_seen", "indicators", "report_ids"} <= set(c)
        assert all(set(i) >= {"kind", "value"} for i in c["indicators"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "no id"}, "id"),
        ({"id": "x"}, "text"),
        ({"id": "", "text": "empty id"}, "id"),
        ({"id": "x", "text": "t", "sender": {"connections": -5}}, "sender.connections"),
        ({"id": "x", "text": "t", "channel": "carrier pigeon"}, "channel"),
        ({"id": "x", "text": "t", "thread": [{"from": "someone", "text": "hi"}]}, "thread.0.from"),
        ({"id": "x", "text": 42}, "text"),
        ([1, 2], "body"),
    ],
)
def test_when_the_body_is_malformed_then_422_names_the_field_and_nothing_is_stored(
    world: World, body: object, field: str
) -> None:
    analyst = world.api("analyst")
    before = len(analyst.get("/api/v1/reports").json()["reports"])
    r = world.api("reporter").post("/api/v1/reports", json=body)
    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"{field}:"), r.json()
    assert len(analyst.get("/api/v1/reports").json()["reports"]) == before


def test_when_the_body_is_not_json_or_too_large_then_nothing_is_stored(world: World) -> None:
    reporter = world.api("reporter")
    count = len(reporter.get("/api/v1/reports").json()["reports"])
    bad = reporter.post("/api/v1/reports", content=b"{oops", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("body:")
    form = reporter.post("/api/v1/reports", data={"id": "x", "text": "y"})
    assert form.status_code == 415
    huge = approach("huge", text="x" * (world.settings.max_body_bytes + 10))
    r = reporter.post("/api/v1/reports", json=huge)
    assert r.status_code == 413 and "body" in r.json()["detail"]
    assert len(reporter.get("/api/v1/reports").json()["reports"]) == count


def test_when_a_report_is_not_yours_then_404_like_one_that_does_not_exist(world: World) -> None:
    theirs = world.api("other").get(f"/api/v1/reports/{world.report_ids['reporter']}")
    missing = world.api("other").get("/api/v1/reports/999999")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_bad_query_parameters_name_the_field(world: World) -> None:
    r = world.api("analyst").get("/api/v1/reports?band=purple")
    assert r.status_code == 422 and r.json()["detail"].startswith("band:")
    r = world.api("analyst").get("/api/v1/reports/abc")
    assert r.status_code == 422 and r.json()["detail"].startswith("report_id:")


def test_openapi_describes_the_approach_body(world: World) -> None:
    doc = world.client().get("/openapi.json").json()
    body = doc["paths"]["/api/v1/reports"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Approach"}
    assert "text" in doc["components"]["schemas"]["Approach"]["required"]


def test_related_reports_from_different_staff_form_a_campaign(world: World) -> None:
    """Three staff report the same invented persona and WeChat id: the API shows one campaign holding all three."""
    ids = []
    for n, role in enumerate(("reporter", "other", "analyst")):
        body = approach(
            f"camp-{n}",
            text=f"Dear colleague {n}, we pay GBP 2,000 a month for confidential notes. WeChat: osterfeld_vl88",
            recipient={"name": f"Staff Member {n}", "headline": "Policy adviser"},
        )
        r = world.api(role).post("/api/v1/reports", json=body)
        assert r.status_code == 201
        ids.append(r.json()["id"])
    campaigns = world.api("analyst").get("/api/v1/campaigns").json()["campaigns"]
    holding = [c for c in campaigns if set(ids) <= set(c["report_ids"])]
    assert len(holding) == 1, campaigns
    campaign = holding[0]
    assert campaign["reports"] >= 3 and campaign["targets"] >= 3
    assert all(set(i) >= {"kind", "value"} for i in campaign["indicators"])
    for report_id in ids:
        one = world.api("analyst").get(f"/api/v1/reports/{report_id}").json()
        assert one["campaign_id"] == campaign["id"]
