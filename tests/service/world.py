"""A small invented organisation on a fresh database, served in-process: users of every role, their API
tokens and signed-in page clients. Every name and message here is invented for the tests.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import itsdangerous
from fastapi import FastAPI
from fastapi.testclient import TestClient

from counterpitch.engine import Engine
from counterpitch.store import accounts
from counterpitch.web.app import SESSION_COOKIE, create_app
from counterpitch.web.settings import Settings

#: Role name in the access matrix -> (user name, role). "other" is a second reporter.
PEOPLE = {
    "reporter": ("rhea.reporter", "reporter"),
    "other": ("otto.reporter", "reporter"),
    "analyst": ("ann.analyst", "analyst"),
    "admin": ("ada.admin", "admin"),
    "victim": ("vic.spare", "reporter"),  # the account admin routes deactivate and reactivate
}
PASSWORD = "invented-pass-123"
ROLES = ("anonymous", "reporter", "other", "analyst", "admin")


def approach(n: int | str, text: str | None = None, **fields: Any) -> dict[str, Any]:
    """An invented approach that scores high (paid reports, secrecy, off-platform contact)."""
    return {
        "id": f"t-{n}",
        "channel": "linkedin_message",
        "sender": {"name": "Vera Lintz", "company": "Osterfeld Insight Partners", "connections": 40},
        "recipient": {"name": "Test Recipient", "headline": "Policy adviser"},
        "text": text
        or f"Case {n}. We pay GBP 1,500 for short monthly notes on policy before it is public. Keep it between us; "
        "shall we move to WhatsApp?",
        **fields,
    }


@dataclass
class World:
    app: FastAPI
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    report_ids: dict[str, int] = field(default_factory=dict)

    def client(self) -> TestClient:
        return TestClient(self.app, follow_redirects=False)

    def api(self, role: str) -> TestClient:
        c = self.client()
        if role != "anonymous":
            c.headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return c

    def page(self, role: str) -> TestClient:
        """A client with a session: signed in as `role`, or anonymous with a CSRF token."""
        c = self.client()
        form = c.get("/signin")
        assert form.status_code == 200
        if role == "anonymous":
            return c
        r = c.post(
            "/signin",
            data={"name": PEOPLE[role][0], "password": PASSWORD, "csrf_token": csrf_from_html(form.text)},
        )
        assert r.status_code == 303, r.text
        return c

    def url(self, path: str) -> str:
        """A route path with its parameters filled: {report_id} is a report of "reporter", {user_id} the spare
        account, others from routes_matrix.MISSING_IDS (objects the world does not hold), else 1."""
        from tests.service.routes_matrix import MISSING_IDS

        values = {**MISSING_IDS, "report_id": self.report_ids["reporter"], "user_id": self.user_ids["victim"]}
        return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values.get(m.group(1), 1)), path)

    def csrf(self, c: TestClient) -> str:
        return str(session_of(c, self.settings.secret_key)["csrf"])


def csrf_from_html(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page has no CSRF field"
    return m.group(1)


def session_of(c: TestClient, secret: str) -> dict[str, Any]:
    """Decode the signed session cookie the way Starlette's SessionMiddleware writes it."""
    cookie = c.cookies.get(SESSION_COOKIE)
    assert cookie, "no session cookie"
    data = itsdangerous.TimestampSigner(secret).unsign(cookie.encode())
    return dict(json.loads(base64.b64decode(data)))


def make_world(url: str, data_dir: Path, engine: Engine, **settings: Any) -> World:
    defaults: dict[str, Any] = {
        "database_url": url,
        "data_dir": data_dir,
        "secret_key": "test-secret-" + "x" * 40,
        "cookie_secure": False,
        "login_max_per_address": 10_000,
    }
    conf = Settings.from_env(**{**defaults, **settings})
    world = World(create_app(conf, engine=engine), conf)
    store = world.app.state.service.store
    with store.write() as session:
        for role, (name, kind) in PEOPLE.items():
            user = accounts.add_user(session, name, kind, password=PASSWORD)
            world.user_ids[role] = user.id
            world.tokens[role] = accounts.create_token(session, user)
    for role in ("reporter", "other"):
        r = world.api(role).post("/api/v1/reports", json=approach(f"{role}-own"))
        assert r.status_code == 201, r.text
        world.report_ids[role] = r.json()["id"]
    return world
