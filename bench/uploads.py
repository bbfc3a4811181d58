"""Eight PDF bombs uploaded at once against the real service, while /api/v1/healthz is polled (issue 17 item 3).

Run: `.venv/bin/python bench/uploads.py` (writes bench/results/uploads.json). It starts `counterpitch serve` as a
subprocess on a fresh SQLite database in a temporary directory, makes eight reporter accounts with the CLI (one
bomb each, so the per-person limits at their defaults do not refuse any: what is measured is the readers'
isolation), signs each in through the form, then posts eight bombs to /report at the same moment. Each bomb is a
~2 KB PDF of 50 pages that all draw one flate stream of 140,000 text-showing operators: pypdf's own stream limits
do not stop it and, read in the service's process, it holds a core for the reader's whole 10 s budget.
Meanwhile a separate client asks for /api/v1/healthz every 50 ms; its latency (median, max) is reported for an
idle minute-fraction before the bombs and for the time they are being read, with each upload's status and time.
Done when (issue 17): healthz answers within 200 ms during the bombs.

`--pythonpath DIR` serves another checkout's code (e.g. main's src/) for a before/after comparison.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

import httpx

from _results import machine_speed, write_result

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pdf_builder import raw_pdf  # noqa: E402

BIN = Path(sys.executable).with_name("counterpitch")
PASSWORD = "invented-bench-pass-123"
BOMBS = 8


def pdf_bomb(pages: int = 50, operators: int = 140_000) -> bytes:
    """A small PDF whose pages all draw one stream of many costly operators (written byte by byte)."""
    content = zlib.compress(b"(x) Tj " * operators + b"BT /F1 12 Tf 220 700 Td (x) Tj ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join([b"3 0 R"] * pages) + b"] /Count %d >>" % pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return raw_pdf(objects)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field"
    return m.group(1)


def signed_in(url: str, name: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=120.0, follow_redirects=False)
    r = c.post("/signin", data={"name": name, "password": PASSWORD, "csrf_token": csrf_of(c.get("/signin").text)})
    assert r.status_code == 303, (name, r.status_code, r.text[:300])
    return c


class Poller(threading.Thread):
    """GET /api/v1/healthz every `every` seconds: (time sent, latency) pairs, or the error."""

    def __init__(self, url: str, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.url, self.every = url, every
        self.samples: list[tuple[float, float]] = []
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30.0) as c:
            while not self.stop.is_set():
                sent = time.monotonic()
                try:
                    ok = c.get("/api/v1/healthz").status_code == 200
                    if not ok:
                        self.errors.append("not 200")
                except httpx.HTTPError as exc:
                    self.errors.append(type(exc).__name__)
                self.samples.append((sent, time.monotonic() - sent))
                time.sleep(max(0.0, self.every - (time.monotonic() - sent)))


def latency(samples: list[tuple[float, float]], start: float, end: float) -> dict[str, Any]:
    ms = [lat * 1000 for sent, lat in samples if start <= sent <= end]
    if not ms:
        return {"samples": 0}
    return {
        "samples": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(sorted(ms)[int(0.95 * (len(ms) - 1))], 1),
        "max_ms": round(max(ms), 1),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="cp-bench-uploads-"))
    db = f"sqlite:///{tmp / 'bench.db'}"
    env = {**os.environ, "COUNTERPITCH_DATA_DIR": str(tmp), "COUNTERPITCH_COOKIE_SECURE": "false"}
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    names = [f"bench.reporter{i}" for i in range(BOMBS)]
    for name in names:
        subprocess.run(
            [str(BIN), "users", "add", name, "--role", "reporter", "--password-stdin", "--db", db],
            input=PASSWORD + "\n",
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/api/v1/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit((tmp / "server.log").read_text("utf-8", "replace")[-3000:])
            time.sleep(0.25)
        clients = [signed_in(url, name) for name in names]
        tokens = [csrf_of(c.get("/report").text) for c in clients]
        bomb = pdf_bomb()
        poller = Poller(url)
        poller.start()
        time.sleep(args.idle)
        results: list[dict[str, Any]] = [{} for _ in clients]
        barrier = threading.Barrier(len(clients))

        def upload(i: int) -> None:
            barrier.wait()
            started = time.monotonic()
            r = clients[i].post(
                "/report",
                data={"text": "Please see my profile.", "csrf_token": tokens[i]},
                files={"profile_pdf": (f"bomb{i}.pdf", bomb, "application/pdf")},
            )
            said = re.search(r"profile_pdf: [^<]*", r.text)
            results[i] = {
                "status": r.status_code,
                "seconds": round(time.monotonic() - started, 2),
                "message": said.group(0).strip() if said else None,
                "retry_after": r.headers.get("retry-after"),
            }

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(len(clients))]
        bombs_start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        bombs_end = time.monotonic()
        time.sleep(0.5)
        poller.stop.set()
        poller.join()
        after = httpx.get(f"{url}/api/v1/healthz", timeout=5.0).status_code
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    during = latency(poller.samples, bombs_start, bombs_end)
    return {
        "what": "8 PDF bombs (50 pages x 140,000 '(x) Tj' operators, one stream) posted to /report at once by 8 "
        "reporters against `counterpitch serve` (1 worker, SQLite), /api/v1/healthz polled every 50 ms",
        "served_code": args.pythonpath or "this checkout",
        "bomb_bytes": len(bomb),
        "healthz_idle": latency(poller.samples, 0, bombs_start),
        "healthz_during_bombs": during,
        "healthz_errors": poller.errors,
        "healthz_after_bombs_status": after,
        "bombs_wall_seconds": round(bombs_end - bombs_start, 2),
        "uploads": results,
        "done_when_healthz_max_under_200ms": bool(during.get("max_ms", 1e9) < 200 and not poller.errors),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_avg": os.getloadavg()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "uploads.json")
    parser.add_argument("--idle", type=float, default=2.0, help="Seconds of healthz polling before the bombs.")
    parser.add_argument("--pythonpath", default="", help="Serve this source folder instead (a before figure).")
    args = parser.parse_args()
    speed_before = machine_speed()
    result = run(args)
    result["machine"]["speed_seconds_before_after"] = [speed_before, machine_speed()]
    write_result(args.out, result)


if __name__ == "__main__":
    main()
