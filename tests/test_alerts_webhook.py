"""Webhook delivery against a real HTTP server on loopback: signature, retries, redirects, timeouts.
Content invented."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from counterpitch.alerts import Briefing, DeliverySettings, WebhookSettings, deliver
from counterpitch.alerts.deliver import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from tests.test_alerts_render import campaign_briefing
from tests.test_alerts_smtp import free_port

SECRET = "invented-shared-secret"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the server saw, and how many times each path was hit."""

    requests: list[Seen] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    base: str = ""

    def on(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]


def handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.requests.append(Seen(self.path, dict(self.headers.items()), body))
            n = receiver.hits[self.path] = receiver.hits.get(self.path, 0) + 1
            if self.path == "/flaky":
                self._answer(500 if n <= 2 else 200)
            elif self.path == "/down":
                self._answer(503)
            elif self.path == "/bad":
                self._answer(400)
            elif self.path == "/redirect":
                self._answer(307, {"Location": receiver.base + "/ok"})
            elif self.path == "/slow":
                time.sleep(1.5)
                self._answer(200)
            else:
                self._answer(204)

        def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    seen = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(seen))
    server.daemon_threads = True
    seen.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield seen
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return replace(campaign_briefing(), channels=("webhook",))


def hook(url: str, **over: Any) -> DeliverySettings:
    return DeliverySettings(webhook=WebhookSettings(**{"url": url, "secret": SECRET, "backoff": 0.01, **over}))


def verifies(seen: Seen, secret: str = SECRET) -> bool:
    """What a receiver does: HMAC-SHA256 of 'timestamp.body' under the shared secret, compared in constant time."""
    stamp = seen.headers[TIMESTAMP_HEADER]
    expected = "sha256=" + hmac.new(secret.encode(), stamp.encode() + b"." + seen.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, seen.headers[SIGNATURE_HEADER])


def test_when_delivered_then_the_body_is_signed_and_complete(receiver: Receiver, briefing: Briefing) -> None:
    assert deliver(briefing, hook(receiver.base + "/ok")) == {"webhook": "sent"}
    (seen,) = receiver.requests
    assert seen.headers["Content-Type"] == "application/json"
    assert verifies(seen) and not verifies(seen, "another-secret")
    assert abs(int(seen.headers[TIMESTAMP_HEADER]) - time.time()) < 60
    assert seen.headers[DELIVERY_HEADER] == briefing.dedup_key
    body = json.loads(seen.body)
    assert body["briefing"] == {"subject": briefing.subject, "text": briefing.text, "html": briefing.html}
    assert body["alert"]["rule_id"] == "campaign.targets" and body["alert"]["campaign_id"] == 7
    assert body["alert"]["dedup_key"] == briefing.dedup_key and body["alert"]["targets"] == 3


def test_when_the_body_is_altered_then_the_signature_fails(receiver: Receiver, briefing: Briefing) -> None:
    deliver(briefing, hook(receiver.base + "/ok"))
    (seen,) = receiver.requests
    assert not verifies(replace(seen, body=seen.body.replace(b'"targets":3', b'"targets":4')))
    assert not verifies(replace(seen, headers={**seen.headers, TIMESTAMP_HEADER: "1"}))


def test_when_the_server_fails_twice_then_the_third_attempt_delivers(receiver: Receiver, briefing: Briefing) -> None:
    assert deliver(briefing, hook(receiver.base + "/flaky")) == {"webhook": "sent"}
    attempts = receiver.on("/flaky")
    assert len(attempts) == 3
    assert all(verifies(a) for a in attempts)
    assert {a.headers[DELIVERY_HEADER] for a in attempts} == {briefing.dedup_key}
    assert len({a.body for a in attempts}) == 1


def test_when_the_server_keeps_failing_then_retries_are_bounded_and_back_off(
    receiver: Receiver, briefing: Briefing
) -> None:
    started = time.monotonic()
    outcome = deliver(briefing, hook(receiver.base + "/down", retries=2, backoff=0.2))
    assert outcome == {"webhook": "error: HTTP 503 after 3 attempts"}
    assert len(receiver.on("/down")) == 3
    assert time.monotonic() - started >= 0.2 + 0.4


def test_when_the_request_is_refused_then_no_retry(receiver: Receiver, briefing: Briefing) -> None:
    assert deliver(briefing, hook(receiver.base + "/bad")) == {"webhook": "error: HTTP 400"}
    assert len(receiver.requests) == 1


def test_when_redirected_then_not_followed(receiver: Receiver, briefing: Briefing) -> None:
    outcome = deliver(briefing, hook(receiver.base + "/redirect"))
    assert outcome == {"webhook": "error: HTTP 307 (redirects are not followed)"}
    assert receiver.on("/ok") == [] and len(receiver.requests) == 1


def test_when_the_server_is_too_slow_then_the_timeout_ends_each_attempt(receiver: Receiver, briefing: Briefing) -> None:
    started = time.monotonic()
    outcome = deliver(briefing, hook(receiver.base + "/slow", timeout=0.3, retries=1))
    assert outcome["webhook"].startswith("error: ReadTimeout") and outcome["webhook"].endswith("after 2 attempts")
    assert time.monotonic() - started < 1.4
    assert len(receiver.on("/slow")) == 2


def test_when_nobody_listens_then_an_error_after_the_retries(briefing: Briefing) -> None:
    outcome = deliver(briefing, hook(f"http://127.0.0.1:{free_port()}/hook", retries=1))
    assert outcome["webhook"].startswith("error: ConnectError") and outcome["webhook"].endswith("after 2 attempts")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (DeliverySettings(), "skipped: webhook not configured"),
        (hook("http://127.0.0.1:9/x", secret=""), "error: webhook secret is empty"),
        (hook("file:///etc/passwd"), "error: webhook URL must be http or https"),
        (hook("not a url at all"), "error: "),
    ],
)
def test_when_settings_are_unusable_then_the_outcome_says_so(
    settings: DeliverySettings, expected: str, briefing: Briefing
) -> None:
    assert deliver(briefing, settings)["webhook"].startswith(expected)


def test_each_channel_gets_its_own_outcome(receiver: Receiver, briefing: Briefing) -> None:
    both = replace(briefing, channels=("smtp", "webhook"))
    outcome = deliver(both, hook(receiver.base + "/ok"))
    assert outcome == {"smtp": "skipped: SMTP not configured", "webhook": "sent"}


def test_secret_is_not_in_the_settings_repr() -> None:
    assert SECRET not in repr(WebhookSettings(url="http://127.0.0.1/x", secret=SECRET))
