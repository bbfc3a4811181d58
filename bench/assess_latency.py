"""Latency of `POST /api/v1/assess` under load: the real server, 50 concurrent clients on loopback.

Run: `.venv/bin/python bench/assess_latency.py` (writes bench/results/assess_latency.json). It starts
`counterpitch serve` as a subprocess on a fresh SQLite database in a temporary directory, makes one account
and token with the CLI, opens `--clients` httpx async clients (one keep-alive connection each) and warms them
up, then has them post the examples/ approaches (invented) back to back until `--requests` answers are in.
Each latency is measured at the client, from send to the whole answer read. The target is p99 < 100 ms with no
errors. The machine may be shared: load averages before and after are recorded beside the figures, and the
CPU the server and the load generator each spent per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from _results import write_result

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).with_name("counterpitch")
EXAMPLES = HERE.parent / "examples" / "approaches.jsonl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([str(BIN), *args], input=stdin, capture_output=True, text=True, env=env, check=True)
    return done.stdout


def start(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


async def load(clients: list[httpx.AsyncClient], bodies: list[bytes], total: int) -> tuple[list[float], int]:
    """Each client posts back to back until `total` requests are done; latencies in ms, and errors."""
    latencies: list[float] = []
    errors = 0
    left = total

    async def run(i: int, c: httpx.AsyncClient) -> None:
        nonlocal left, errors
        n = i
        while left > 0:
            left -= 1
            t = time.perf_counter()
            try:
                r = await c.post("/api/v1/assess", content=bodies[n % len(bodies)])
                await r.aread()
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - t) * 1000)
            errors += not ok
            n += len(clients)

    await asyncio.gather(*(run(i, c) for i, c in enumerate(clients)))
    return latencies, errors


async def measure(url: str, token: str, bodies: list[bytes], n_clients: int, total: int, pid: int) -> dict[str, Any]:
    """Make the clients first (an httpx client builds an SSL context, ~50 ms of CPU, even for plain HTTP: made
    during the run, they stalled the first requests by seconds), warm up, then time the run."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    clients = [httpx.AsyncClient(base_url=url, headers=headers, timeout=30) for _ in range(n_clients)]
    try:
        await load(clients, bodies, 4 * n_clients)  # every connection open, every code path warm
        load_before = os.getloadavg()
        cpu, mine, t = cpu_seconds(pid), time.process_time(), time.perf_counter()
        latencies, errors = await load(clients, bodies, total)
        wall = time.perf_counter() - t
        cpu, mine = cpu_seconds(pid) - cpu, time.process_time() - mine
        return {
            "latencies": latencies,
            "errors": errors,
            "wall": wall,
            "server_cpu": cpu,
            "client_cpu": mine,
            "load_before": load_before,
            "load_after": os.getloadavg(),
        }
    finally:
        for c in clients:
            await c.aclose()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its reaped children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "assess_latency.json")
    args = ap.parse_args()

    bodies = [json.dumps(json.loads(line)).encode() for line in EXAMPLES.read_text("utf-8").splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "COUNTERPITCH_DATA_DIR": tmp}
        env.pop("COUNTERPITCH_DATABASE_URL", None)
        cli(env, "users", "add", "bench.client", "--role", "reporter", "--password-stdin", stdin="bench-pass-1234\n")
        token = cli(env, "tokens", "create", "bench.client").strip()
        proc, url = start(env, args.workers)
        try:
            run = asyncio.run(measure(url, token, bodies, args.clients, args.requests, proc.pid))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)

    latencies, errors, n = run["latencies"], run["errors"], len(run["latencies"])
    p99 = percentile(latencies, 99)
    result: dict[str, Any] = {
        "benchmark": "POST /api/v1/assess, real server on loopback",
        "clients": args.clients,
        "requests": n,
        "server_workers": args.workers,
        "errors": errors,
        "latency_ms": {
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": p99,
            "max": round(max(latencies), 2),
        },
        "throughput_per_s": round(n / run["wall"], 1),
        #: Independent of how busy the machine is (with one worker; workers are children, counted once reaped).
        "server_cpu_ms_per_request": round(run["server_cpu"] / n * 1000, 3) if args.workers == 1 else None,
        #: The load generator shares the machine: what it costs is CPU the server does not get.
        "client_cpu_ms_per_request": round(run["client_cpu"] / n * 1000, 3),
        "target": "p99 < 100 ms, no errors",
        "met": p99 < 100 and errors == 0,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_before": [round(x, 2) for x in run["load_before"]],
        "load_average_after": [round(x, 2) for x in run["load_after"]],
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        or None,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
