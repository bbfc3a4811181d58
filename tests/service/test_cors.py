"""CORS for the browser extension (decision 0075): only the configured exact origins, only on /api/v1, and none
by default. Invented approaches only.
"""

from __future__ import annotations

from pathlib import Path

from counterpitch.engine import Engine
from counterpitch.web.settings import Settings
from tests.service.world import World, approach, make_world

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
OTHER = "https://evil.example"


def _world(tmp_path: Path, engine: Engine, **settings: str) -> World:
    return make_world(f"sqlite:///{tmp_path / 'cors.db'}", tmp_path, engine, **settings)


def _preflight(world: World, origin: str, path: str = "/api/v1/assess") -> dict[str, str]:
    r = world.client().options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    return {k.lower(): v for k, v in r.headers.items()} | {"status": str(r.status_code)}


def test_a_listed_origin_gets_the_headers_and_another_does_not(tmp_path: Path, engine: Engine) -> None:
    world = _world(tmp_path, engine, cors_origins=f" {EXTENSION}/ , https://other.example.org")
    ok = _preflight(world, EXTENSION)
    assert ok["status"] == "200"
    assert ok["access-control-allow-origin"] == EXTENSION
    assert "authorization" in ok["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in ok

    refused = _preflight(world, OTHER)
    assert refused["status"] == "400"
    assert "access-control-allow-origin" not in refused

    token = world.tokens["reporter"]
    r = world.client().post(
        "/api/v1/assess", json=approach("cors"), headers={"Origin": EXTENSION, "Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == EXTENSION
    r = world.client().post(
        "/api/v1/assess", json=approach("cors"), headers={"Origin": OTHER, "Authorization": f"Bearer {token}"}
    )
    assert "access-control-allow-origin" not in r.headers
    world.app.state.service.store.dispose()


def test_pages_never_get_cors_headers(tmp_path: Path, engine: Engine) -> None:
    world = _world(tmp_path, engine, cors_origins=EXTENSION)
    r = world.client().get("/signin", headers={"Origin": EXTENSION})
    assert "access-control-allow-origin" not in r.headers
    assert "access-control-allow-origin" not in _preflight(world, EXTENSION, "/signin")
    world.app.state.service.store.dispose()


def test_no_cors_by_default(tmp_path: Path, engine: Engine) -> None:
    world = _world(tmp_path, engine)
    assert world.settings.cors_origin_list() == ()
    assert "access-control-allow-origin" not in _preflight(world, EXTENSION)
    world.app.state.service.store.dispose()


def test_the_origin_list_is_exact_and_never_a_wildcard() -> None:
    s = Settings(cors_origins="*, chrome-extension://aaa/,chrome-extension://aaa,, https://x.example ")
    assert s.cors_origin_list() == ("chrome-extension://aaa", "https://x.example")
