"""ingest/isolated.py: a file read in a child the kernel stops at its CPU-time and memory limits, each stop a
`LimitError` naming the file and the limit; the readers' answers and refusals come back unchanged."""

from __future__ import annotations

import time

import pytest

from counterpitch.ingest import isolated
from tests.pdf_builder import bomb_pdf, operator_bomb_pdf


def test_when_a_pdf_needs_more_memory_than_the_limit_then_a_limit_error_names_file_and_limit() -> None:
    with pytest.raises(isolated.LimitError, match=r"^profile_pdf: big\.pdf: .*60 MB memory limit"):
        isolated.read_pdf(bomb_pdf(30), "big.pdf", isolated.Limits(memory_mb=60))


def test_when_a_pdf_takes_more_cpu_than_the_limit_then_the_child_is_stopped_in_time() -> None:
    started = time.monotonic()
    # On an idle machine the CPU-time limit stops the child; on a loaded one (CI beside other jobs) the child may
    # get less than a second of CPU in the reader's own wall-clock allowance (4x), and that clock stops it first.
    # Either way the file is named, the answer is a refusal, and it comes in time.
    with pytest.raises(
        isolated.ReadError, match=r"^profile_pdf: busy\.pdf: .*(?:1 s CPU-time limit|took too long|took longer)"
    ):
        isolated.read_pdf(operator_bomb_pdf(), "busy.pdf", isolated.Limits(cpu_seconds=1))
    # the wall allowance (4 s) and the parent's margin (2 s), with room for a busy host
    assert time.monotonic() - started < 9


def test_when_a_file_is_refused_by_its_reader_then_the_message_names_field_and_file() -> None:
    with pytest.raises(isolated.ReadError, match=r"^eml: m\.eml: empty message$") as caught:
        isolated.read_mail(b"\n\n", "m.eml", isolated.Limits())
    assert not isinstance(caught.value, isolated.LimitError)


def test_when_an_email_is_read_in_the_child_then_its_approach_and_warnings_come_back() -> None:
    raw = b"From: Lena Hart <lena@invented-search.example>\nSubject: A role\nDate: not a date\n\nHello.\n"
    message = isolated.read_mail(raw, "m.eml", isolated.Limits())
    assert message.approach.sender is not None and message.approach.sender.name == "Lena Hart"
    assert "Date header unreadable; sent_at left empty" in message.warnings
