"""A real service for the browser tests: `counterpitch serve` as a subprocess on a free loopback port, a fresh
SQLite database, accounts made with `counterpitch users add`, and a real SMTP server (aiosmtpd) on loopback.

Every person, message and address these tests use is invented.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "invented-pass-123"
BIN = Path(sys.executable).with_name("counterpitch")
START_SECONDS = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the aiosmtpd server received: whole messages, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # the name aiosmtpd calls
        raw = envelope.original_content or envelope.content
        self.messages.append(message_from_bytes(raw, _class=EmailMessage, policy=policy.default))
        return "250 OK"

    def wait_for(self, wanted: Callable[[EmailMessage], bool], seconds: float = 20.0) -> list[EmailMessage]:
        """The messages received once one of them is `wanted` (or the time is up)."""
        deadline = time.monotonic() + seconds
        while not any(wanted(m) for m in list(self.messages)) and time.monotonic() < deadline:
            time.sleep(0.1)
        return list(self.messages)


@contextmanager
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


@dataclass
class Live:
    url: str
    db: str
    env: dict[str, str]

    def cli(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [str(BIN), *args, "--db", self.db], input=stdin, capture_output=True, text=True, env=self.env, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def add_user(self, name: str, role: str) -> None:
        self.cli("users", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")


@contextmanager
def serve(tmp: Path, users: dict[str, str], **settings: str) -> Iterator[Live]:
    """The service on a free port until the block ends; `settings` become COUNTERPITCH_* variables."""
    port = free_port()
    db = f"sqlite:///{tmp / 'service.db'}"
    env = {**os.environ, "COUNTERPITCH_DATA_DIR": str(tmp), "COUNTERPITCH_ORG_NAME": "Invented Institute"}
    env |= {f"COUNTERPITCH_{k.upper()}": v for k, v in settings.items()}
    live = Live(f"http://127.0.0.1:{port}", db, env)
    for name, role in users.items():
        live.add_user(name, role)
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_up(live.url, proc, tmp / "server.log")
        yield live
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _wait_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("the service exited:\n" + log.read_text("utf-8", "replace")[-3000:])
        try:
            if httpx.get(f"{url}/api/v1/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise AssertionError("the service did not start:\n" + log.read_text("utf-8", "replace")[-3000:])


def sign_in(page: Any, url: str, name: str) -> None:
    """Sign in through the form, as a person would (a fresh browser context per person)."""
    page.goto(f"{url}/signin")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/signin" not in page.url, f"{name} could not sign in"


def report(page: Any, url: str, text: str, **sender: str) -> str:
    """Fill and send the report form; returns the verdict page's URL."""
    page.goto(f"{url}/report")
    page.fill("#text", text)
    for key, value in sender.items():
        page.fill(f"#sender_{key}", value)
    page.click("form.report-form button[type=submit]")
    page.wait_for_url("**/my-reports/*")
    return str(page.url)
