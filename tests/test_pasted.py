"""ingest/pasted.py: pasted LinkedIn conversations (tests/data/pasted, invented) read into turns, and single
messages left whole."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.ingest.pasted import MAX_CHARS, read_approach, read_pasted
from counterpitch.model import Approach

DATA = Path(__file__).parent / "data" / "pasted"

# file, reporter's name, turns, sender's name, sender's headline, channel, first text starts, last text ends
CONVERSATIONS = [
    (
        "desktop_card.txt",
        "Sam Carter",
        [True, False, True],
        "Elena Marsh",
        "Director of Partnerships at Meridian Insight Group",
        "linkedin_message",
        "Hi Sam, I enjoyed your talk",
        "continue on WhatsApp.",
    ),
    (
        "desktop_no_card.txt",
        None,
        [True, False, True],
        "Viktor Halloran",
        None,
        "linkedin_message",
        "Good afternoon.",
        "We would pay for your time.",
    ),
    (
        "inmail_single.txt",
        None,
        [True],
        "Marcus Feld",
        "Senior Talent Partner at Northgate Advisory",
        "linkedin_inmail",
        "Opportunity: paid consulting",
        "reply with your personal e-mail.",
    ),
    (
        "inmail_reply.txt",
        "Priya Natarajan",
        [True, False, True],
        "Hannah Oduya",
        "Head of Research, Lakeshore Strategic",
        "linkedin_inmail",
        "Dear Priya,",
        "your employer's roadmap.",
    ),
    (
        "mobile_copy.txt",
        None,
        [True, False, True, True],
        "Daniel Kessler",
        "Programme Manager at Aurora Exchange",
        "linkedin_message",
        "Hi Chris,",
        "I'll send the link.",
    ),
    (
        "mobile_you.txt",
        None,
        [True, False, True],
        "Oliver Grant",
        None,
        "linkedin_message",
        "Hello! I'm assembling",
        "nothing in writing.",
    ),
    (
        "reporter_first.txt",
        "Sam Carter",
        [False, True, False],
        "Lena Weiss",
        None,
        "linkedin_message",
        "Hi Lena,",
        "I don't think I can help with that.",
    ),
    (
        "non_latin_names.txt",
        "María José García-Pérez",
        [True, False, True],
        "Łukasz Wróblewski",
        "Dyrektor ds. współpracy, Instytut Analiz Wschodnich",
        "linkedin_message",
        "Dzień dobry,",
        "prosimy o dyskrecję.",
    ),
]
SINGLE = ["single_message.txt", "message_with_time.txt", "agenda_message.txt"]
CHROME = ("sent the following", "View ", "Seen by", "\nLike", "\nReply", "· 2nd", "· 3rd", "InMail", "Active now")


@pytest.mark.parametrize(
    ("name", "reporter", "senders", "sender", "headline", "channel", "first", "last"),
    CONVERSATIONS,
    ids=[c[0] for c in CONVERSATIONS],
)
def test_when_a_conversation_is_pasted_then_its_turns_come_back_without_chrome(
    name: str,
    reporter: str | None,
    senders: list[bool],
    sender: str,
    headline: str | None,
    channel: str,
    first: str,
    last: str,
) -> None:
    conversation = read_pasted((DATA / name).read_text("utf-8"), reporter)
    assert conversation is not None
    assert [t.from_sender for t in conversation.turns] == senders
    assert (conversation.sender_name, conversation.sender_headline, conversation.channel) == (sender, headline, channel)
    assert conversation.turns[0].text.startswith(first)
    assert conversation.turns[-1].text.endswith(last)
    for turn in conversation.turns:
        assert not any(c in "\n" + turn.text for c in CHROME), turn.text


@pytest.mark.parametrize("name", SINGLE)
def test_when_one_message_is_pasted_then_it_is_not_a_conversation(name: str) -> None:
    text = (DATA / name).read_text("utf-8")
    assert read_pasted(text, "Robin Park") is None
    approach = Approach(id="x", text=text)
    assert read_approach(approach) is approach


def test_when_read_as_an_approach_then_text_is_the_senders_first_and_thread_the_rest() -> None:
    text = (DATA / "reporter_first.txt").read_text("utf-8")
    approach = read_approach(Approach(id="web-1", channel="linkedin_message", text=text), "Sam Carter")
    assert approach.text.startswith("We met at the energy forum.")  # the reporter's opener is not the approach
    assert [(m.from_, m.text) for m in approach.thread] == [("recipient", "I don't think I can help with that.")]
    assert approach.sender is not None and approach.sender.name == "Lena Weiss"
    assert approach.thread[0].sent_at == "Nov 28 4:02 PM"


def test_when_the_reporter_is_not_named_then_the_first_speaker_is_the_sender() -> None:
    conversation = read_pasted((DATA / "reporter_first.txt").read_text("utf-8"))
    assert conversation is not None and conversation.sender_name == "Sam Carter"


def test_when_fields_are_typed_then_they_win_over_the_paste() -> None:
    text = (DATA / "inmail_reply.txt").read_text("utf-8")
    typed = Approach.model_validate(
        {"id": "x", "channel": "email", "text": text, "sender": {"name": "H. Oduya"}, "account": "She wrote to me."}
    )
    approach = read_approach(typed, "Priya Natarajan")
    assert approach.channel == "email" and approach.account == "She wrote to me."
    assert approach.sender is not None and approach.sender.name == "H. Oduya"
    assert approach.sender.headline == "Head of Research, Lakeshore Strategic"
    assert len(approach.thread) == 2


def test_when_too_long_then_one_message() -> None:
    text = (DATA / "desktop_card.txt").read_text("utf-8")
    assert read_pasted(text + "x" * MAX_CHARS) is None


_LINES = st.sampled_from(
    [
        "Elena Marsh",
        "Sam Carter sent the following message at 10:42 AM",
        "Elena Marsh  9:15 AM",
        "10:42 AM",
        "Today",
        "Dec 3",
        "3 December 2026",
        "· 2nd",
        "View Elena’s profile",
        "Seen by Sam Carter",
        "InMail",
        "Reply",
        "You",
        "",
        "Hello, could we talk?",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=60)), max_size=40), st.one_of(st.none(), st.text(max_size=20)))
def test_when_any_text_is_pasted_then_no_error_and_every_line_out_was_a_line_in(
    lines: list[str], reporter: str | None
) -> None:
    text = "\n".join(lines)
    conversation = read_pasted(text, reporter)
    if conversation is None:
        return
    given_lines = {line.strip() for line in text.splitlines()}
    for turn in conversation.turns:
        assert turn.text.strip()
        assert all(line.strip() in given_lines for line in turn.text.splitlines())


def test_when_hostile_text_is_pasted_then_it_is_read_in_bounded_time() -> None:
    worst = [
        ("Aa " * 30 + "sent the following message at ") * 3,
        "A" * 199,
        ("Aa Bb 1" * 40),
        "\n".join(["Elena Marsh", "10:42 AM", "x"] * 1600),
        ("view " + "x's " * 40 + "profil") + "\n" + "· " * 90 + "2n",
    ]
    for text in worst:
        start = time.perf_counter()
        read_pasted(text[:MAX_CHARS], "Sam")
        assert time.perf_counter() - start < 2.0


def test_when_check_text_is_a_pasted_conversation_then_the_thread_is_assessed() -> None:
    from typer.testing import CliRunner

    from counterpitch.cli import app

    text = (DATA / "desktop_card.txt").read_text("utf-8")
    r = CliRunner().invoke(app, ["check", "--text", text, "--recipient-name", "Sam Carter", "-f", "json"])
    assert r.exit_code == 0, r.output
    assessment = json.loads(r.stdout)
    fields = {e["field"] for f in assessment["findings"] for e in f["evidence"]}
    assert "thread[1].text" in fields  # the ask came in the sender's second message
    assert assessment["band"] == "high"
    assert not any(
        "sent the following" in (e.get("quote") or "") for f in assessment["findings"] for e in f["evidence"]
    )


def test_when_the_form_is_given_a_pasted_conversation_then_the_approach_is_a_thread() -> None:
    from counterpitch.web.reporter_pages import _build

    text = (DATA / "mobile_you.txt").read_text("utf-8")
    approach, *_ = _build({"text": text, "channel": "linkedin_message"}, None, None)
    assert approach.text.startswith("Hello! I'm assembling")
    assert [m.from_ for m in approach.thread] == ["recipient", "sender"]
    assert approach.sender is not None and approach.sender.name == "Oliver Grant"
    single, *_ = _build({"text": (DATA / "message_with_time.txt").read_text("utf-8")}, None, None)
    assert single.thread == () and single.text == (DATA / "message_with_time.txt").read_text("utf-8")
