"""Redirects are built from the request path only, never from the Host header a client chooses (issue 17 item 4):
the router's trailing-slash redirect made an absolute URL from Host, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from tests.service.world import World


@pytest.mark.parametrize("path", ["/my-reports/", "/api/v1/healthz/", "/my-reports/?page=2"])
def test_when_a_trailing_slash_is_redirected_then_the_location_is_relative(world: World, path: str) -> None:
    c = world.page("reporter")
    r = c.get(path, headers={"host": "evil.example"}, follow_redirects=False)
    assert r.status_code == 307
    location = r.headers["location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil.example" not in location
    assert location == path.replace("/?", "?").rstrip("/")
    assert r.headers["x-frame-options"] == "DENY"


def test_when_the_path_starts_with_two_slashes_then_the_redirect_stays_here(world: World) -> None:
    c = world.page("reporter")
    r = c.get("//evil.example/my-reports/", headers={"host": "counterpitch.local"}, follow_redirects=False)
    assert r.status_code in (307, 404)
    if r.status_code == 307:
        location = r.headers["location"]
        assert location.startswith("/") and not location.startswith("//")
