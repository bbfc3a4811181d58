"""Latency of `POST /api/v1/assess` under load: the real server, 50 concurrent clients on loopback.

Run: `.venv/bin/python bench/assess_latency.py` (writes bench/results/assess_latency.json). It starts
`counterpitch serve` as a subprocess on a fresh SQLite database in a temporary directory, makes one account
and token with the CLI, opens `--clients` keep-alive connections (a lean asyncio HTTP/1.1 client, see
`Client`) and warms them up, then has them post the examples/ approaches (invented) back to back until
`--requests` answers are in. Each latency is measured at the client, from send to the whole answer read. The
target is p99 < 100 ms with no errors. The machine may be shared: load averages before and after are recorded
beside the figures, and the CPU the server and the load generator each spent per request.
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


class Client:
    """One keep-alive HTTP/1.1 connection that posts pre-encoded requests and reads whole answers.

    A lean client over asyncio streams rather than httpx: the load generator shares this 2-core machine with
    the server, and an httpx client spent as much CPU per request (1.5 ms) as the server itself, CPU the
    server then did not get. It speaks just enough HTTP/1.1 for uvicorn's answers (a status line, headers,
    a Content-Length body); anything else counts as an error.
    """

    def __init__(self, host: str, port: int, head: bytes) -> None:
        self.host, self.port, self.head = host, port, head
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> bool:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        status = await self.reader.readline()
        length = -1
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length < 0:
            raise ConnectionError(f"no Content-Length in the answer to {status!r}")
        answer = await self.reader.readexactly(length)
        return status.split(b" ", 2)[1:2] == [b"200"] and b'"band"' in answer

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def load(clients: list[Client], bodies: list[bytes], total: int) -> tuple[list[float], int]:
    """Each client posts back to back until `total` requests are done; latencies in ms, and errors."""
    latencies: list[float] = []
    errors = 0
    left = total

    async def run(i: int, c: Client) -> None:
        nonlocal left, errors
        n = i
        while left > 0:
            left -= 1
            t = time.perf_counter()
            try:
                ok = await c.post(bodies[n % len(bodies)])
            except (OSError, asyncio.IncompleteReadError, ValueError):
                ok = False
                await c.close()
                c.reader = c.writer = None
            latencies.append((time.perf_counter() - t) * 1000)
            errors += not ok
            n += len(clients)

    await asyncio.gather(*(run(i, c) for i, c in enumerate(clients)))
    return latencies, errors


async def measure(url: str, token: str, bodies: list[bytes], n_clients: int, total: int, pid: int) -> dict[str, Any]:
    """Open every connection and warm every code path first, then time the run."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    head = (
        f"POST /api/v1/assess HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\n"
    ).encode()
    clients = [Client(host, int(port), head) for _ in range(n_clients)]
    try:
        await load(clients, bodies, 4 * n_clients)
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
            await c.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, its live child processes (uvicorn's workers) and reaped ones."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(cpu_seconds(int(c)) for c in children if Path(f"/proc/{c}").exists())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2)


def run_once(args: argparse.Namespace, workers: int, bodies: list[bytes]) -> dict[str, Any]:
    """One server with `workers` processes on a fresh database, measured."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "COUNTERPITCH_DATA_DIR": tmp}
        env.pop("COUNTERPITCH_DATABASE_URL", None)
        cli(env, "users", "add", "bench.client", "--role", "reporter", "--password-stdin", stdin="bench-pass-1234\n")
        token = cli(env, "tokens", "create", "bench.client").strip()
        proc, url = start(env, workers)
        try:
            run = asyncio.run(measure(url, token, bodies, args.clients, args.requests, proc.pid))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    latencies, errors, n = run["latencies"], run["errors"], len(run["latencies"])
    p99 = percentile(latencies, 99)
    return {
        "server_workers": workers,
        "requests": n,
        "errors": errors,
        "latency_ms": {
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": p99,
            "max": round(max(latencies), 2),
        },
        "throughput_per_s": round(n / run["wall"], 1),
        #: Independent of how busy the machine is: the server process and its worker processes together.
        "server_cpu_ms_per_request": round(run["server_cpu"] / n * 1000, 3),
        #: The load generator shares the machine: what it costs is CPU the server does not get.
        "client_cpu_ms_per_request": round(run["client_cpu"] / n * 1000, 3),
        "met": p99 < 100 and errors == 0,
        "load_average_before": [round(x, 2) for x in run["load_before"]],
        "load_average_after": [round(x, 2) for x in run["load_after"]],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="server worker processes; one run for each value"
    )
    ap.add_argument("--out", type=Path, default=HERE / "results" / "assess_latency.json")
    args = ap.parse_args()

    bodies = [json.dumps(json.loads(line)).encode() for line in EXAMPLES.read_text("utf-8").splitlines() if line]
    runs = [run_once(args, w, bodies) for w in args.workers]
    result: dict[str, Any] = {
        "benchmark": "POST /api/v1/assess, real server on loopback",
        "clients": args.clients,
        "target": "p99 < 100 ms, no errors",
        "runs": runs,
        "met_with_workers": [r["server_workers"] for r in runs if r["met"]],
        "server": "counterpitch serve (uvicorn with httptools and uvloop), SQLite in a temporary directory",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        or None,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
