"""The per-name back-off on failed sign-ins (issue 17 item 2), on SQLite and PostgreSQL: after `backoff_after`
failures in a row each attempt waits twice as long as the one before, up to a cap, and says so in Retry-After.
Time passes by moving the recorded attempts back (no sleeping). Addresses are documentation ranges (RFC 5737),
given in X-Forwarded-For; each guess comes from a new one so that only the back-off is in play."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from counterpitch.engine import Engine
from counterpitch.store import accounts
from counterpitch.store.tables import LoginAttempt
from tests.service.test_signin_limits import SlowHasher
from tests.service.world import PASSWORD, PEOPLE, World, csrf_from_html, make_world

ANALYST, ADMIN = PEOPLE["analyst"][0], PEOPLE["admin"][0]
BACKOFF = {"login_backoff_after": 3, "login_backoff_base_seconds": 60, "login_backoff_max_seconds": 600}


def attempt(c: TestClient, name: str, password: str, address: str) -> tuple[int, int | None]:
    """The status of one sign-in, and its Retry-After in seconds (None when there is none)."""
    token = csrf_from_html(c.get("/signin").text)
    data = {"name": name, "password": password, "csrf_token": token}
    r = c.post("/signin", data=data, headers={"X-Forwarded-For": address})
    after = r.headers.get("retry-after")
    return r.status_code, int(after) if after is not None else None


def later(w: World, seconds: float) -> None:
    """As if `seconds` had passed: every recorded attempt moved that far back."""
    with w.app.state.service.store.write() as session:
        for row in session.query(LoginAttempt).all():
            row.at = row.at - timedelta(seconds=seconds)


def backoff_world(db_url: str, tmp_path: Path, engine: Engine, **more: Any) -> World:
    return make_world(db_url, tmp_path, engine, trust_proxy=True, **{**BACKOFF, **more})


def test_when_failures_continue_then_retry_after_doubles_up_to_the_cap(
    db_url: str, tmp_path: Path, engine: Engine
) -> None:
    w = backoff_world(db_url, tmp_path, engine)
    c = w.client()
    for i in range(3):
        assert attempt(c, ANALYST, "wrong-password", f"198.51.100.{i}") == (401, None)
    waits = []
    for i in range(6):
        status, after = attempt(c, ANALYST, "wrong-password", f"203.0.113.{i}")
        assert status == 429 and after is not None
        waits.append(after)
        assert attempt(c, ANALYST, PASSWORD, f"203.0.113.{i}")[0] == 429  # the right password waits too
        later(w, after)
        assert attempt(c, ANALYST, "wrong-password", f"192.0.2.{i}")[0] == 401  # its wait over, checked
    # 60 s doubled per failure beyond the third, capped at 600 (a second less when the clock ticked meanwhile).
    for got, expected in zip(waits, [60, 120, 240, 480, 600, 600], strict=True):
        assert expected - 1 <= got <= expected
    assert waits == sorted(waits) and waits[0] < waits[3] < waits[4]


def test_a_right_password_after_the_wait_signs_in_and_ends_the_back_off(
    db_url: str, tmp_path: Path, engine: Engine
) -> None:
    w = backoff_world(db_url, tmp_path, engine)
    c = w.client()
    for i in range(3):
        assert attempt(c, ANALYST, "wrong-password", f"198.51.100.{i}")[0] == 401
    status, after = attempt(c, ANALYST, PASSWORD, "203.0.113.1")
    assert status == 429 and after is not None
    later(w, after)
    assert attempt(c, ANALYST, PASSWORD, "203.0.113.1")[0] == 303
    for i in range(3):  # the run of failures starts again from none
        assert attempt(w.client(), ANALYST, "wrong-password", f"192.0.2.{i}") == (401, None)
    assert attempt(w.client(), ANALYST, "wrong-password", "192.0.2.9")[0] == 429


def test_during_a_back_off_other_accounts_at_the_same_address_sign_in(
    db_url: str, tmp_path: Path, engine: Engine
) -> None:
    w = backoff_world(db_url, tmp_path, engine)
    for _ in range(3):
        assert attempt(w.client(), ANALYST, "wrong-password", "198.51.100.7")[0] == 401
    status, after = attempt(w.client(), ANALYST, PASSWORD, "198.51.100.7")
    assert status == 429 and after is not None
    assert attempt(w.client(), ADMIN, PASSWORD, "198.51.100.7")[0] == 303  # another account, same address


def test_the_owner_at_a_known_address_is_not_held_back_by_guesses_elsewhere(
    db_url: str, tmp_path: Path, engine: Engine
) -> None:
    w = backoff_world(db_url, tmp_path, engine)
    assert attempt(w.client(), ADMIN, PASSWORD, "192.0.2.10")[0] == 303  # where the admin signs in
    for i in range(5):
        attempt(w.client(), ADMIN, "wrong-password", f"198.51.100.{i}")
    assert attempt(w.client(), ADMIN, PASSWORD, "203.0.113.7")[0] == 429  # a new address waits
    assert attempt(w.client(), ADMIN, PASSWORD, "192.0.2.10")[0] == 303  # the known one does not


def test_a_name_that_is_no_account_backs_off_alike(db_url: str, tmp_path: Path, engine: Engine) -> None:
    """Otherwise a 429 after three guesses would tell which names are accounts."""
    w = backoff_world(db_url, tmp_path, engine)
    for i in range(3):
        assert attempt(w.client(), "no.such.person", "wrong-password", f"198.51.100.{i}")[0] == 401
    status, after = attempt(w.client(), "no.such.person", "wrong-password", "203.0.113.1")
    assert status == 429 and after is not None and 59 <= after <= 60


def test_when_guesses_from_many_addresses_arrive_together_then_only_the_first_are_checked(
    db_url: str, tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12 parallel guesses from 12 addresses (no pair or address limit reached): the back-off lets three be
    checked, as the attempts are counted before any password is."""
    w = backoff_world(db_url, tmp_path, engine)
    slow = SlowHasher(accounts._hasher)
    monkeypatch.setattr(accounts, "_hasher", slow)
    clients = [w.client() for _ in range(12)]
    tokens = [csrf_from_html(c.get("/signin").text) for c in clients]
    start = threading.Barrier(12)

    def guess(i: int) -> int:
        start.wait()
        data = {"name": ANALYST, "password": f"wrong-guess-{i}", "csrf_token": tokens[i]}
        return clients[i].post("/signin", data=data, headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = Counter(pool.map(guess, range(12)))
    assert statuses == {401: 3, 429: 9}
    assert slow.checks == 3


def test_the_window_limits_say_when_to_come_back(db_url: str, tmp_path: Path, engine: Engine) -> None:
    w = make_world(db_url, tmp_path, engine, login_backoff_after=10_000)
    for _ in range(5):
        assert attempt(w.client(), ANALYST, "wrong-password", "198.51.100.1")[0] == 401
    status, after = attempt(w.client(), ANALYST, PASSWORD, "198.51.100.1")
    assert status == 429 and after is not None and 899 <= after <= 900  # the first failure leaves the window
    later(w, 300)
    assert 599 <= (attempt(w.client(), ANALYST, PASSWORD, "198.51.100.1")[1] or 0) <= 600


def test_the_refusal_page_says_how_long_to_wait(db_url: str, tmp_path: Path, engine: Engine) -> None:
    w = backoff_world(db_url, tmp_path, engine)
    c = w.client()
    for i in range(3):
        attempt(c, ANALYST, "wrong-password", f"198.51.100.{i}")
    token = csrf_from_html(c.get("/signin").text)
    data = {"name": ANALYST, "password": "wrong-password", "csrf_token": token}
    r = c.post("/signin", data=data, headers={"X-Forwarded-For": "203.0.113.50"})
    assert r.status_code == 429
    after = int(r.headers["retry-after"])
    assert 59 <= after <= 60
    assert f"Try again in {after} seconds." in r.text


def test_wait_in_words_never_rounds_down() -> None:
    from counterpitch.web.pages import _wait_in_words

    assert _wait_in_words(1) == "1 second"
    assert _wait_in_words(45) == "45 seconds"
    assert _wait_in_words(61) == "about 2 minutes"
    assert _wait_in_words(900) == "about 15 minutes"
