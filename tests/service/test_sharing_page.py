"""The sharing page (web/sharing_pages.py): analysts see the TAXII collections; an admin publishes the live
campaigns at a TLP, which the TAXII server then serves, with no member of staff in it. SQLite and PostgreSQL.

Every person and message here is invented.
"""

from __future__ import annotations

from tests.service.world import PEOPLE, World, approach

TAXII = "application/taxii+json;version=2.1"


def _campaign(world: World) -> None:
    """A third report from the world's persona: with the two the world holds, a live campaign."""
    r = world.api("analyst").post("/api/v1/reports", json=approach("third"))
    assert r.status_code == 201, r.text
    assert world.api("analyst").get("/api/v1/campaigns").json()["campaigns"], "the world's reports form a campaign"


def test_when_an_analyst_opens_sharing_then_the_collections_show_and_publishing_does_not(world: World) -> None:
    page = world.page("analyst").get("/sharing")
    assert page.status_code == 200
    assert "/taxii2/counterpitch/" in page.text and "Campaigns (TLP:GREEN)" in page.text
    assert 'action="/sharing/publish"' not in page.text
    assert 'href="/sharing"' in page.text, "the navigation bar links it"


def test_when_an_admin_publishes_then_taxii_serves_the_campaign_without_staff(world: World) -> None:
    _campaign(world)
    c = world.page("admin")
    assert 'action="/sharing/publish"' in c.get("/sharing").text
    r = c.post("/sharing/publish", data={"tlp": "green", "csrf_token": world.csrf(c)})
    assert r.status_code == 303 and r.headers["location"].startswith("/sharing?published=")
    page = c.get(r.headers["location"])
    assert "campaigns-green" in page.text and "new" in page.text
    collections = world.api("analyst").get("/taxii2/counterpitch/collections/", headers={"Accept": TAXII}).json()
    green = next(col for col in collections["collections"] if col["alias"] == "campaigns-green")
    body = world.api("analyst").get(
        f"/taxii2/counterpitch/collections/{green['id']}/objects/", headers={"Accept": TAXII}
    )
    objects = body.json()["objects"]
    assert any(o["type"] == "campaign" for o in objects)
    assert any(o["type"] == "indicator" for o in objects) or any(o["type"] == "threat-actor" for o in objects)
    text = body.text.lower()
    for name, _ in PEOPLE.values():
        assert name not in text, f"{name} left the building"
    again = c.post("/sharing/publish", data={"tlp": "green", "csrf_token": world.csrf(c)})
    assert "campaigns-green 0 new" in again.headers["location"].replace("%20", " ")


def test_when_a_tlp_is_not_served_then_the_page_says_so(world: World) -> None:
    c = world.page("admin")
    r = c.post("/sharing/publish", data={"tlp": "red", "csrf_token": world.csrf(c)})
    assert r.status_code == 422 and "only CLEAR, GREEN, AMBER" in r.text
