"""Durability: SIGKILL the real server during 200 concurrent report submissions, restart it, and find every
report that got a 201 present and intact, on SQLite and on PostgreSQL.

`counterpitch serve` runs as a subprocess on a loopback port; the account and token are made with the CLI.
Every approach here is invented.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from counterpitch.model import Approach, Assessment
from tests.service.world import approach

BIN = Path(sys.executable).with_name("counterpitch")
SUBMISSIONS = 200
KILL_AFTER = 40  # 201 answers seen before the kill: well before all 200 can have finished


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([str(BIN), *args], input=stdin, capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def server(env: dict[str, str], db: str, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"the server exited: {log.read_text()[-2000:]}"
            try:
                if httpx.get(f"{url}/api/v1/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start in time"
            time.sleep(0.2)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def submit_and_kill(url: str, token: str, proc: subprocess.Popen[bytes]) -> dict[str, dict[str, Any]]:
    """Fire every submission at once; SIGKILL the server once KILL_AFTER have been answered 201.

    Returns the 201 answers by approach id. Requests cut off by the kill fail, which is the point.
    """
    accepted: dict[str, dict[str, Any]] = {}
    enough = asyncio.Event()
    limits = httpx.Limits(max_connections=SUBMISSIONS, max_keepalive_connections=0)
    headers = {"Authorization": f"Bearer {token}"}

    async def one(client: httpx.AsyncClient, n: int) -> None:
        body = approach(f"dur-{n}", text=f"Report {n}: we pay GBP {n},000 for notes kept between us. WhatsApp?")
        try:
            r = await client.post(f"{url}/api/v1/reports", json=body, headers=headers)
        except httpx.HTTPError:
            return
        if r.status_code == 201:
            accepted[body["id"]] = {"sent": body, **r.json()}
            if len(accepted) >= KILL_AFTER:
                enough.set()

    async def killer() -> None:
        await enough.wait()
        os.kill(proc.pid, signal.SIGKILL)

    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        kill = asyncio.create_task(killer())
        await asyncio.gather(*(one(client, n) for n in range(SUBMISSIONS)))
        if not enough.is_set():
            kill.cancel()
    return accepted


def test_when_the_server_is_killed_mid_way_then_no_accepted_report_is_lost(
    db_url: str, tmp_path: Path, backend: str
) -> None:
    env = {**os.environ, "COUNTERPITCH_DATA_DIR": str(tmp_path / "data"), "COUNTERPITCH_DATABASE_URL": db_url}
    cli(env, "users", "add", "dora.durable", "--role", "reporter", "--password-stdin", stdin="invented-pass-123\n")
    token = cli(env, "tokens", "create", "dora.durable").strip()
    log = tmp_path / "server.log"

    with server(env, db_url, log) as (url, proc):
        accepted = asyncio.run(submit_and_kill(url, token, proc))
        proc.wait(30)
        assert proc.returncode == -signal.SIGKILL, "the server was not killed mid-way"
    assert KILL_AFTER <= len(accepted) < SUBMISSIONS, f"{len(accepted)} accepted: the kill came too late to test"

    with server(env, db_url, log) as (url, _):
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        listed = client.get("/api/v1/reports", params={"limit": 1000}).json()["reports"]
        stored = {r["approach_id"]: r["id"] for r in listed}
        lost = sorted(set(accepted) - set(stored))
        print(f"{backend}: {len(accepted)} of {SUBMISSIONS} answered 201 before SIGKILL, {len(stored)} stored")
        assert not lost, f"{len(lost)} reports answered 201 are missing after restart ({backend}): {lost[:5]}"
        for approach_id, answer in accepted.items():
            assert stored[approach_id] == answer["id"]
            got = client.get(f"/api/v1/reports/{answer['id']}").json()
            assert Approach.model_validate(got["approach"]) == Approach.model_validate(answer["sent"])
            assert Assessment.model_validate(got["assessment"]) == Assessment.model_validate(answer["assessment"])
        # whatever was cut off by the kill either committed whole or not at all: every stored row reads back
        for approach_id, report_id in stored.items():
            if approach_id.startswith("t-dur-"):
                assert client.get(f"/api/v1/reports/{report_id}").status_code == 200
