"""A real scan: small services on the loopback answer as a Hikvision and a Dahua camera do (the banners of
reference devices.md, in the shapes nmap-service-probes matches), the real `nmap -sV` scans them and the audit
reads its XML. No traffic leaves the machine (127.0.0.1 and 127.0.0.2 are both the loopback).

Skipped with the reason when nmap is not installed, except under CI (CI=true, as .ci/run sets), where a missing
nmap fails the test: .ci/run installs the Debian package.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from email.utils import formatdate

import pytest

from counterpitch.cli import app

Answer = Callable[[bytes], bytes | None]


def _hikvision_http(request: bytes) -> bytes | None:
    if not request.startswith((b"GET", b"HEAD", b"POST", b"OPTIONS / HTTP")):
        return None
    return (
        f"HTTP/1.1 401 Unauthorized\r\nDate: {formatdate(usegmt=True)}\r\nServer: DVRDVS-Webs\r\n"
        'WWW-Authenticate: Digest realm="DS-2CD2143G2-I", qop="auth", nonce="0"\r\n'
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()


def _hikvision_rtsp(request: bytes) -> bytes | None:
    if b"RTSP/1.0" not in request.split(b"\r\n", 1)[0]:
        return None  # a camera's RTSP server drops what is not RTSP
    return (
        "RTSP/1.0 401 Unauthorized\r\n"
        f'WWW-Authenticate: Digest realm="Hikvision", nonce="{secrets.token_hex(16)}", stale="FALSE"\r\n'
        'WWW-Authenticate: Basic realm="/"\r\n\r\n'
    ).encode()


def _dahua_rtsp(request: bytes) -> bytes | None:
    return b"RTSP/1.0 405 Method Not Allowed\r\nServer: Dahua Rtsp Server\r\nContent-Length: 0\r\nCSeq: 0\r\n\r\n"


def _silent(request: bytes) -> bytes | None:
    return None  # Dahua's private protocol (TCP 37777) waits for its client to speak its binary protocol


class _Listener:
    def __init__(self, host: str, port: int, answer: Answer) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.answer = answer
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(8)
            try:
                request = conn.recv(4096)
                reply = self.answer(request) if request else None
                if reply:
                    conn.sendall(reply)
            except OSError:
                pass

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


@contextlib.contextmanager
def _listening(specs: list[tuple[str, int, Answer]]) -> Iterator[list[_Listener]]:
    opened: list[_Listener] = []
    try:
        for host, port, answer in specs:
            opened.append(_Listener(host, port, answer))
        yield opened
    finally:
        for listener in opened:
            listener.close()


def _nmap() -> str:
    found = shutil.which("nmap")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nmap is not installed: .ci/run must install the Debian package")
        pytest.skip("nmap is not installed (apt-get install nmap); the real-scan test needs it")
    return found


def _free_37777() -> int:
    """37777 on 127.0.0.2 if free (Dahua's port is the clue), else any port (the test then does without it)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the listener: a TIME_WAIT may hold it
        try:
            s.bind(("127.0.0.2", 37777))
        except OSError:
            return 0
    return 37777


def test_when_nmap_scans_services_answering_as_hikvision_and_dahua_then_the_audit_names_both(tmp_path, runner):
    nmap = _nmap()
    dahua_port = _free_37777()
    specs: list[tuple[str, int, Answer]] = [
        ("127.0.0.1", 0, _hikvision_http),
        ("127.0.0.1", 0, _hikvision_rtsp),
        ("127.0.0.2", 0, _dahua_rtsp),
    ]
    if dahua_port:
        specs.append(("127.0.0.2", dahua_port, _silent))
    with _listening(specs) as listeners:
        ports = ",".join(str(x.port) for x in listeners)
        out = tmp_path / "scan.xml"
        done = subprocess.run(
            [nmap, "-sV", "-Pn", "-n", "-p", ports, "-oX", str(out), "127.0.0.1", "127.0.0.2"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    result = runner.invoke(app, ["devices", "audit", str(out), "-f", "jsonl", "--site", "Loopback lab"])
    assert result.exit_code == 0, result.output
    found = {d["ip"]: d for d in map(json.loads, result.stdout.splitlines())}
    hik, dahua = found["127.0.0.1"], found["127.0.0.2"]
    assert (hik["vendor"], hik["covered"], hik["basis"]) == ("Hikvision", True, ["us_covered_list", "uk_prc_nil"])
    assert {"rtsp", "scan_name"} <= {e["kind"] for e in hik["evidence"]}
    assert (dahua["vendor"], dahua["covered"]) == ("Dahua", True)
    assert "Dahua IP camera rtspd" in {e["value"] for e in dahua["evidence"]}
    if dahua_port:
        assert "tcp/37777" in {e["value"] for e in dahua["evidence"]}
    assert all(e["source"].startswith(str(out)) for d in found.values() for e in d["evidence"])
