"""Approaches told in the reporter's own words, through the service (decision 0043), on SQLite and PostgreSQL:
the API and the report form take an account beside or instead of the message, store it, and show it with its
evidence marked and escaped. Every person and account here is invented.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from tests.conftest import SCHEMAS
from tests.service.world import World

ACCOUNT = (
    "A man claiming to be a headhunter offered our researcher $500 per short report and asked her to install an app"
    " for interviews. He said to keep it between them."
)
HOSTILE_MARKUP = "<script>window.__pwned=1</script><img src=x onerror=alert(1)>"


def told(n: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"told-{n}", "channel": "linkedin_message", "account": ACCOUNT, **fields}


def valid_approach(doc: object) -> None:
    path = SCHEMAS / "approach.schema.json"
    if not path.is_file():
        pytest.skip(f"{path} is not beside this checkout")
    jsonschema.Draft202012Validator(json.loads(path.read_text("utf-8"))).validate(doc)


def test_assess_reads_an_account_without_a_message(world: World) -> None:
    r = world.api("reporter").post("/api/v1/assess", json=told("assess"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["band"] in ("medium", "high")
    lures = [f for f in body["findings"] if f["detector"].startswith("lure.")]
    assert {"lure.paid_reports", "lure.install_software"} <= {f["detector"] for f in lures}
    assert {e["field"] for f in lures for e in f["evidence"]} == {"account"}


def test_a_reported_account_is_stored_and_comes_back_valid_against_the_schema(world: World) -> None:
    reporter = world.api("reporter")
    r = reporter.post("/api/v1/reports", json=told("stored", text="Hi, are you free for a chat next week?"))
    assert r.status_code == 201, r.text
    report_id = r.json()["id"]
    one = reporter.get(f"/api/v1/reports/{report_id}").json()
    assert one["approach"]["account"] == ACCOUNT and one["approach"]["text"] == "Hi, are you free for a chat next week?"
    valid_approach(one["approach"])
    alone = reporter.post("/api/v1/reports", json=told("alone")).json()["id"]
    stored = reporter.get(f"/api/v1/reports/{alone}").json()["approach"]
    assert stored["text"] == "" and stored["account"] == ACCOUNT
    valid_approach(stored)


def test_when_neither_message_nor_account_is_sent_then_422_names_text(world: World) -> None:
    r = world.api("reporter").post("/api/v1/assess", json={"id": "nothing"})
    assert r.status_code == 422
    assert "text" in r.text


def test_the_form_takes_only_an_account_and_shows_it_marked(world: World) -> None:
    c = world.page("reporter")
    r = c.post("/report", data={"account": ACCOUNT, "text": "", "csrf_token": world.csrf(c)})
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert re.search(r"Verdict: <span class=\"band band-(medium|high)\"", page), page[:2000]
    block = page.split('data-field="account">', 1)[1].split("</div>", 1)[0]
    assert "<mark" in block and "$500 per short report" in block
    assert "No message was pasted" in page


def test_when_the_form_is_empty_then_it_says_to_give_one_or_the_other(world: World) -> None:
    c = world.page("reporter")
    r = c.post("/report", data={"account": "  ", "text": " ", "csrf_token": world.csrf(c)})
    assert r.status_code == 422
    assert "describe what happened" in r.text and 'id="account"' in r.text


def test_an_account_full_of_markup_is_shown_as_text_on_the_case_page(world: World) -> None:
    c = world.page("reporter")
    account = f"{ACCOUNT} {HOSTILE_MARKUP}"
    r = c.post("/report", data={"account": account, "csrf_token": world.csrf(c)})
    assert r.status_code == 303, r.text
    report_id = int(r.headers["location"].rsplit("/", 1)[1].split("?")[0])
    page = world.page("analyst").get(f"/cases/{report_id}").text
    block = page.split('data-field="account">', 1)[1].split("</div>", 1)[0]
    assert "<script>" not in block and "&lt;script&gt;" in block and "<img" not in block
    assert "<mark" in block
