"""Uploads under control (issue 17 item 3): files read in a child stopped at its limits, per-person limits on
uploads that hold when they arrive together, 413 however an oversized body is sent, and the readers' warnings
kept with the report and shown with its verdict. Runs on SQLite and PostgreSQL where the store is involved.

Every person, address and message here is invented.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from counterpitch.engine import Engine
from counterpitch.ingest import mail as mail_reader
from counterpitch.store import upload_limits
from tests.pdf_builder import operator_bomb_pdf
from tests.service.world import World, make_world

SAMPLE_PDF = Path(__file__).resolve().parents[1] / "fixtures" / "profiles" / "sample_sender.pdf"


def many_parts_eml(parts: int) -> bytes:
    body = "".join(f"--b\nContent-Type: application/octet-stream\n\nx{i}\n" for i in range(parts))
    head = "From: Lena Hart <lena@invented-search.example>\nSubject: A role\nContent-Type: multipart/mixed; boundary=b"
    return (
        f"{head}\n\n--b\nContent-Type: text/plain\n\nWe pay well for notes; keep it between us.\n{body}--b--\n".encode()
    )


@pytest.fixture
def limited(db_url: str, tmp_path: Path, engine: Engine) -> Iterator[World]:
    w = make_world(db_url, tmp_path, engine, upload_cpu_seconds=1, uploads_per_hour=3, uploads_concurrent=2)
    yield w
    w.app.state.service.store.dispose()


def test_when_a_pdf_bomb_is_uploaded_then_422_names_the_file_and_the_cpu_limit_and_the_service_stays_up(
    limited: World,
) -> None:
    c = limited.page("reporter")
    started = time.monotonic()
    r = c.post(
        "/report",
        data={"text": "hello", "csrf_token": limited.csrf(c)},
        files={"profile_pdf": ("bomb.pdf", operator_bomb_pdf(), "application/pdf")},
    )
    assert r.status_code == 422, r.text
    assert "profile_pdf: bomb.pdf: reading it took more than the 1 s CPU-time limit" in r.text
    assert time.monotonic() - started < 8
    assert c.get("/api/v1/healthz").status_code == 200
    ok = c.post(
        "/report",
        data={"text": "hello", "csrf_token": limited.csrf(c)},
        files={"profile_pdf": ("sender.pdf", SAMPLE_PDF.read_bytes(), "application/pdf")},
    )
    assert ok.status_code == 303, ok.text


def test_when_a_person_uploads_more_than_the_hourly_limit_then_429_with_retry_after(limited: World) -> None:
    c = limited.page("reporter")
    eml = ("m.eml", many_parts_eml(1), "message/rfc822")
    assert [
        c.post("/report", data={"text": "hi", "csrf_token": limited.csrf(c)}, files={"eml": eml}).status_code
        for _ in range(3)
    ] == [303, 303, 303]
    r = c.post("/report", data={"text": "hi", "csrf_token": limited.csrf(c)}, files={"eml": eml})
    assert r.status_code == 429 and "in the last hour" in r.text
    assert 3000 < int(r.headers["retry-after"]) <= 3600
    typed = c.post("/report", data={"text": "typed only", "csrf_token": limited.csrf(c)})
    assert typed.status_code == 303  # the limit is on files to read, not on reporting
    other = limited.page("other")
    assert (
        other.post("/report", data={"text": "hi", "csrf_token": limited.csrf(other)}, files={"eml": eml}).status_code
        == 303
    )


def test_when_uploads_arrive_together_then_at_most_the_concurrent_limit_start(limited: World) -> None:
    service = limited.app.state.service
    user_id = limited.user_ids["reporter"]
    rules = upload_limits.Limits(concurrent=2, per_hour=100)

    def one(_: int) -> upload_limits.Slot:
        with service.store.write() as session:
            return upload_limits.begin(session, user_id, rules)

    with ThreadPoolExecutor(12) as pool:
        slots = list(pool.map(one, range(12)))
    admitted = [s for s in slots if s.id is not None]
    assert len(admitted) == 2, slots
    assert all(s.refused_by == "concurrent" and s.retry_after > 0 for s in slots if s.id is None)
    for s in admitted:
        service.finish_upload(s)
    with service.store.write() as session:
        assert upload_limits.begin(session, user_id, rules).id is not None  # finished slots free their place


def test_when_an_email_has_too_many_parts_then_the_verdict_page_says_what_was_not_read(world: World) -> None:
    c = world.page("reporter")
    r = c.post(
        "/report",
        data={"csrf_token": world.csrf(c)},
        files={"eml": ("many.eml", many_parts_eml(9_999), "message/rfc822")},
    )
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    expected = (
        f"many.eml: the rest of this e-mail was not read: about 9,801 parts over the limit of {mail_reader.MAX_PARTS}"
    )
    assert expected in page
    report_id = int(r.headers["location"].split("/")[-1].split("?")[0])
    case = world.page("analyst").get(f"/cases/{report_id}").text
    assert expected in case  # stored with the report, seen by the security team too


@pytest.mark.parametrize(
    ("path", "kind"), [("/report", "multipart/form-data; boundary=b"), ("/api/v1/reports", "application/json")]
)
def test_when_a_chunked_body_is_over_the_limit_then_413(world: World, path: str, kind: str) -> None:
    c = world.page("reporter") if path == "/report" else world.api("reporter")
    limit = world.settings.max_upload_bytes if path == "/report" else world.settings.max_body_bytes

    def chunks() -> Iterator[bytes]:
        sent = 0
        while sent <= limit:
            yield b"x" * 65536
            sent += 65536

    headers = {"content-type": kind, "x-csrf-token": world.csrf(c) if path == "/report" else ""}
    r = c.post(path, content=chunks(), headers=headers)
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413, r.text
    assert "larger than the limit" in r.json()["detail"]
    assert r.headers["x-content-type-options"] == "nosniff"
