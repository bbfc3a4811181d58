"""Ids, pages and flags past what the database holds: every route answers 404 or 422 with its security headers,
never a 500 (issue 17: an id past 2^63 gave OverflowError from SQLite on 17 routes), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from counterpitch.engine import Engine
from tests.service.databases import BACKENDS, Databases
from tests.service.routes_matrix import MATRIX
from tests.service.world import World, make_world

HUGE = (2**63, 2**64, 10**30, -1, 0)
#: A role that may reach each kind of route (the admin pages, triage pages and the API; one's own reports).
ROLE = {"/admin": "admin", "/api/": "analyst", "/my-reports": "reporter"}


@pytest.fixture(scope="module", params=BACKENDS)
def bworld(
    request: pytest.FixtureRequest, databases: Databases, tmp_path_factory: pytest.TempPathFactory, engine: Engine
) -> World:
    return make_world(databases.new(str(request.param)), tmp_path_factory.mktemp("bounds"), engine)


def _role(path: str) -> str:
    return next((role for prefix, role in ROLE.items() if path.startswith(prefix)), "analyst")


def _check(world: World, method: str, path: str, url: str) -> tuple[str, str, int] | None:
    role = _role(path)
    api = path.startswith(("/api/", "/taxii2/"))
    client = world.api(role) if api else world.page(role)
    data = None if api or method == "GET" else {"csrf_token": world.csrf(client)}
    r = client.request(method, url, data=data)
    ok = r.status_code in (404, 422) and r.headers.get("x-content-type-options") == "nosniff"
    return None if ok else (method, url, r.status_code)


ID_ROUTES = sorted((m, p) for m, p in MATRIX if re.search(r"\{(report|user|campaign|alert)_id\}", p))


@pytest.mark.parametrize("huge", HUGE)
def test_when_an_id_is_past_what_the_database_holds_then_every_route_answers_404_or_422(
    bworld: World, huge: int
) -> None:
    assert ID_ROUTES, "no route with an id"
    wrong = []
    for method, path in ID_ROUTES:
        url = re.sub(r"\{(report|user|campaign|alert)_id\}", str(huge), path)
        if (bad := _check(bworld, method, path, url)) is not None:
            wrong.append(bad)
    assert wrong == []


@pytest.mark.parametrize(
    "url",
    [
        "/queue?page=1000000000000000000000",
        "/alerts?page=0",
        "/my-reports?page=99999999999999999999",
        "/my-reports?page=-3",
        "/api/v1/reports?offset=99999999999999999999",
        "/api/v1/reports?campaign_id=99999999999999999999",
        "/queue?campaign=99999999999999999999",
        "/admin/audit?before=99999999999999999999",
        "/account?saved=99999999999999999999",
    ],
)
def test_when_a_page_offset_or_flag_is_out_of_range_then_it_is_refused_with_422(bworld: World, url: str) -> None:
    path = url.split("?", 1)[0]
    bad = _check(bworld, "GET", path, url)
    assert bad is None


@pytest.mark.parametrize(("path", "api"), [("/api/v1/reports/{report_id}", True), ("/my-reports/{report_id}", False)])
def test_when_a_route_fails_unexpectedly_then_the_500_still_carries_the_security_headers(
    bworld: World, monkeypatch: pytest.MonkeyPatch, path: str, api: bool
) -> None:
    from fastapi.testclient import TestClient

    from counterpitch.web.services import Service

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Service, "get_report", broken)
    signed_in = bworld.api("reporter") if api else bworld.page("reporter")
    client = TestClient(bworld.app, raise_server_exceptions=False, follow_redirects=False)
    client.headers.update(signed_in.headers)
    client.cookies.update(signed_in.cookies)
    r = client.get(bworld.url(path))
    assert r.status_code == 500
    assert r.headers.get("x-content-type-options") == "nosniff"
    assert "default-src 'self'" in r.headers.get("content-security-policy", "")
    assert "a bug" not in r.text
