"""Truth tables for the conversation-level indicators (lure.escalation, lure.pressure_after_refusal)."""

from __future__ import annotations

from tests.helpers import approach, assert_fires, assert_quiet

GROWING = approach(
    "Let's make it £4,000 this time, and it must stay between us.",
    thread=[
        {"from": "sender", "text": "Could you review this public paper? £250 for your time."},
        {"from": "recipient", "text": "Sure."},
        {"from": "sender", "text": "Great work. £900 for the next one?"},
    ],
)

STEADY = approach(
    "Thanks again - the second review is attached, same fee of £300 as agreed.",
    thread=[
        {"from": "sender", "text": "Could you peer-review our published working paper? £300."},
        {"from": "recipient", "text": "Happy to."},
    ],
)


def test_when_money_grows_and_turns_secret_then_escalation_fires() -> None:
    f = assert_fires("lure.escalation", GROWING)
    assert f.strength == 1.0
    assert "grew" in f.explanation


def test_when_payments_stay_the_same_then_escalation_stays_quiet() -> None:
    assert_quiet("lure.escalation", STEADY)


def test_when_single_message_then_escalation_stays_quiet() -> None:
    assert_quiet("lure.escalation", approach("We pay £5,000 for your notes, keep it between us."))


def test_when_sender_waves_away_a_refusal_then_pressure_fires() -> None:
    a = approach(
        "Don't worry about that, nobody checks. Lunch on Friday?",
        thread=[
            {"from": "sender", "text": "A small gift is on its way."},
            {"from": "recipient", "text": "That's kind but I'd have to declare it on the gifts register."},
        ],
    )
    f = assert_fires("lure.pressure_after_refusal", a)
    assert f.evidence[0].field == "thread[1].text"


def test_when_recipient_agrees_then_pressure_stays_quiet() -> None:
    assert_quiet("lure.pressure_after_refusal", STEADY)
