"""The access matrix: every route of the app x every role, on SQLite and PostgreSQL.

Nothing is served without sign-in or a token; a reporter cannot read another's report (404, not 403);
analysts cannot manage users. A route added without a row in routes_matrix.MATRIX fails here.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from counterpitch.engine import Engine
from counterpitch.web.nav import endpoints
from tests.service.databases import BACKENDS, Databases
from tests.service.routes_matrix import BODIES, FRESH_SESSION, MATRIX
from tests.service.world import ROLES, World, make_world


@pytest.fixture(scope="module", params=BACKENDS)
def mworld(
    request: pytest.FixtureRequest, databases: Databases, tmp_path_factory: pytest.TempPathFactory, engine: Engine
) -> World:
    return make_world(databases.new(str(request.param)), tmp_path_factory.mktemp("matrix"), engine)


def routes(world: World) -> set[tuple[str, str]]:
    return {(m, path) for path, methods in endpoints(world.app) for m in methods if m != "HEAD"}


def test_when_a_route_has_no_matrix_row_then_this_fails(mworld: World) -> None:
    served = routes(mworld)
    assert served - MATRIX.keys() == set(), "routes without an access-matrix row (add them to routes_matrix.py)"
    assert MATRIX.keys() - served == set(), "matrix rows for routes the app no longer has"
    for key, row in MATRIX.items():
        assert set(row) == set(ROLES), f"{key}: give an expectation for every role"


def _call(world: World, clients: dict[str, TestClient], method: str, path: str, role: str) -> tuple[int, str]:
    api = path.startswith(("/api/", "/taxii2/"))
    if (method, path) in FRESH_SESSION:
        c = world.page(role)
    else:
        c = clients.setdefault(role, world.api(role) if api else world.page(role))
    url = world.url(path)
    body = {k: dict(v) for k, v in BODIES.get((method, path), {}).items()}
    if "data" in body:
        body["data"] = {k: v.format(role=role) for k, v in body["data"].items()}
    if method == "POST" and not api:
        body.setdefault("data", {})["csrf_token"] = world.csrf(c)
    r = c.request(method, url, **body)
    return r.status_code, r.headers.get("location", "")


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(mworld: World, role: str) -> None:
    api_clients: dict[str, TestClient] = {}
    page_clients: dict[str, TestClient] = {}
    wrong = []
    for (method, path), row in sorted(MATRIX.items()):
        clients = api_clients if path.startswith(("/api/", "/taxii2/")) else page_clients
        status, location = _call(mworld, clients, method, path, role)
        expect = row[role]
        if expect == "signin":
            ok = status == 303 and location.startswith("/signin")
        elif expect == "ok":
            ok = status == 200 or (status == 303 and not location.startswith("/signin"))
        else:
            ok = status == expect
        if not ok:
            wrong.append(f"{method} {path}: expected {expect}, got {status} {location}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_when_a_page_session_calls_the_api_then_401(world: World) -> None:
    """The API never reads the cookie, so a forged cross-site request cannot use a signed-in browser."""
    c = world.page("admin")
    assert c.get("/api/v1/reports").status_code == 401
    assert c.post("/api/v1/reports", json={"id": "x", "text": "y"}).status_code == 401


def test_when_anonymous_then_api_bodies_are_not_even_parsed(world: World) -> None:
    r = world.api("anonymous").post(
        "/api/v1/reports", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


def test_when_the_token_is_wrong_or_revoked_then_401(world: World) -> None:
    c = world.client()
    assert c.get("/api/v1/reports", headers={"Authorization": "Bearer cp_nope"}).status_code == 401
    assert c.get("/api/v1/reports", headers={"Authorization": world.tokens["admin"]}).status_code == 401  # no scheme
    admin = world.page("admin")
    r = admin.post(f"/admin/users/{world.user_ids['other']}/deactivate", data={"csrf_token": world.csrf(admin)})
    assert r.status_code == 303
    assert world.api("other").get("/api/v1/reports").status_code == 401


def test_when_deactivated_then_the_session_stops_working_at_once(world: World) -> None:
    victim = world.page("other")
    assert victim.get("/").status_code in (200, 303)
    admin = world.page("admin")
    admin.post(f"/admin/users/{world.user_ids['other']}/deactivate", data={"csrf_token": world.csrf(admin)})
    r = victim.get("/")
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_static_assets_are_public_and_pages_are_not_cached(world: World) -> None:
    c = world.client()
    css = c.get("/static/style.css")
    assert css.status_code == 200 and "no-store" not in css.headers.get("cache-control", "")
    page = c.get("/signin")
    assert page.headers["cache-control"] == "no-store"
