"""The report form reads a pasted LinkedIn conversation as a thread: stored with its turns, shown as them."""

from __future__ import annotations

from pathlib import Path

from tests.service.world import World

CONVERSATION = (Path(__file__).parent.parent / "data" / "pasted" / "desktop_card.txt").read_text("utf-8")


def test_a_pasted_conversation_is_stored_and_shown_as_its_turns(world: World) -> None:
    c = world.page("reporter")
    r = c.post("/report", data={"text": CONVERSATION, "csrf_token": world.csrf(c)})
    assert r.status_code == 303, r.text
    report_id = int(r.headers["location"].rsplit("/", 1)[1].split("?")[0])
    page = c.get(r.headers["location"]).text
    assert '<h3 class="turn">Recipient · DEC 3 11:05 AM</h3>' in page
    assert '<h3 class="turn">Sender · TODAY 9:15 AM</h3>' in page
    assert "sent the following message" not in page and "View Elena" not in page
    stored = world.api("reporter").get(f"/api/v1/reports/{report_id}").json()["approach"]
    assert stored["text"].startswith("Hi Sam, I enjoyed your talk")
    assert [m["from"] for m in stored["thread"]] == ["recipient", "sender"]
    assert stored["sender"]["name"] == "Elena Marsh"
