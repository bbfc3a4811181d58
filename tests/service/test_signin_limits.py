"""Sign-in limits (issue 17), on SQLite and PostgreSQL: attempts counted before the password is checked, so
parallel guesses cannot overrun the limit, and limits an attacker cannot turn against everyone at an address.
Addresses are documentation ranges (RFC 5737) given in X-Forwarded-For; no traffic leaves the process."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from counterpitch.engine import Engine
from counterpitch.store import accounts
from counterpitch.store.tables import AuditEvent
from tests.service.world import PASSWORD, PEOPLE, World, csrf_from_html, make_world

ANALYST, ADMIN = PEOPLE["analyst"][0], PEOPLE["admin"][0]


def attempt(c: TestClient, name: str, password: str, address: str | None = None) -> int:
    headers = {"X-Forwarded-For": address} if address else {}
    token = csrf_from_html(c.get("/signin").text)
    data = {"name": name, "password": password, "csrf_token": token}
    return c.post("/signin", data=data, headers=headers).status_code


class SlowHasher:
    """argon2 as the tests configure it, but each check takes a third of a second and is counted: long enough
    for parallel attempts to overlap whatever the machine."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.checks, self.lock = inner, 0, threading.Lock()

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.checks += 1
        time.sleep(0.3)
        return bool(self.inner.verify(stored, password))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_when_12_wrong_passwords_arrive_together_then_at_most_5_are_checked(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowHasher(accounts._hasher)
    monkeypatch.setattr(accounts, "_hasher", slow)
    clients = [world.client() for _ in range(12)]
    tokens = [csrf_from_html(c.get("/signin").text) for c in clients]
    start = threading.Barrier(12)

    def guess(i: int) -> int:
        start.wait()
        data = {"name": ANALYST, "password": f"wrong-guess-{i}", "csrf_token": tokens[i]}
        return clients[i].post("/signin", data=data).status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = Counter(pool.map(guess, range(12)))
    assert statuses == {401: 5, 429: 7}
    assert slow.checks == 5  # the refused seven never reached the password
    with world.app.state.service.store.read() as session:
        failed = session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "auth.signin_failed")
        )
    assert failed == 5


def test_when_a_name_is_locked_out_at_an_address_then_other_accounts_there_still_sign_in(world: World) -> None:
    for _ in range(5):
        assert attempt(world.client(), ANALYST, "wrong-password") == 401
    assert attempt(world.client(), ANALYST, PASSWORD) == 429  # this name, from here: wait
    assert attempt(world.client(), ADMIN, PASSWORD) == 303  # another account behind the same address


def test_a_right_password_takes_back_the_failures_before_it(world: World) -> None:
    for _ in range(2):
        for _ in range(4):
            assert attempt(world.client(), ANALYST, "wrong-password") == 401
        assert attempt(world.client(), ANALYST, PASSWORD) == 303


def test_when_an_address_floods_failures_then_people_who_signed_in_there_before_still_do(
    db_url: str, tmp_path: Path, engine: Engine
) -> None:
    w = make_world(db_url, tmp_path, engine, login_max_per_address=30)
    assert attempt(w.client(), ADMIN, PASSWORD) == 303  # the admin has signed in from this address
    for i in range(30):  # one address sprays thirty names
        assert attempt(w.client(), f"guess-{i}", "Spring2026!") == 401
    assert attempt(w.client(), "guess-31", "Spring2026!") == 429
    assert attempt(w.client(), ADMIN, PASSWORD) == 303  # known here: only its own limit applies
    assert attempt(w.client(), ANALYST, PASSWORD) == 429  # never signed in from here: waits out the window


def test_when_one_name_fails_from_many_addresses_then_only_its_known_address_still_signs_in(
    db_url: str, tmp_path: Path, engine: Engine
) -> None:
    # The back-off (test_signin_backoff.py) would refuse the sixth guess first: this is the name's window limit.
    w = make_world(
        db_url, tmp_path, engine, trust_proxy=True, login_max_per_user_all_addresses=6, login_backoff_after=10_000
    )
    assert attempt(w.client(), ADMIN, PASSWORD, "192.0.2.10") == 303
    for i in range(6):
        assert attempt(w.client(), ADMIN, "wrong-password", f"198.51.100.{i}") == 401
    assert attempt(w.client(), ADMIN, PASSWORD, "203.0.113.7") == 429  # a new address: the name's limit
    assert attempt(w.client(), ADMIN, PASSWORD, "192.0.2.10") == 303  # where they always sign in: fine


def test_failed_sign_ins_are_audited_without_what_was_typed(world: World) -> None:
    assert attempt(world.client(), ANALYST, "wrong-password") == 401
    assert attempt(world.client(), "my-password-typed-as-a-name", "x-password") == 401
    with world.app.state.service.store.read() as session:
        rows = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.signin_failed")).all()
    by_object = {r.object_id: r.detail_json for r in rows}
    assert set(by_object) == {str(world.user_ids["analyst"]), "unknown"}
    assert '"address": "testclient"' in by_object[str(world.user_ids["analyst"])]
    assert "name_sha256" in by_object["unknown"] and "my-password" not in by_object["unknown"]
    admin = world.page("admin")
    assert "auth.signin_failed" in admin.get("/admin/audit").text
