"""Truth tables for targeting.recipient_access and the safeguard family."""

from __future__ import annotations

import pytest

from tests.helpers import approach, assert_fires, assert_quiet


@pytest.mark.parametrize(
    "headline",
    [
        "Parliamentary Assistant to an MP",
        "Systems Engineer | Submarine combat systems",
        "Policy Adviser, Ministry of Finance",
        "Economist at a think tank",
    ],
)
def test_when_recipient_role_gives_access_then_targeting_fires(headline: str) -> None:
    assert_fires("targeting.recipient_access", approach("Hi", recipient={"headline": headline}))


@pytest.mark.parametrize("headline", ["Pastry chef", "Primary school teacher", "Freelance illustrator"])
def test_when_recipient_role_is_ordinary_then_targeting_stays_quiet(headline: str) -> None:
    assert_quiet("targeting.recipient_access", approach("Hi", recipient={"headline": headline}))


SAFE = [
    (
        "safeguard.public_only",
        "We keep strictly to published research and never ask for confidential material.",
    ),
    ("safeguard.public_only", "Our terms prohibit sharing any non-public information."),
    ("safeguard.employer_consent", "Please confirm your employer permits outside consulting first."),
    ("safeguard.employer_consent", "There is a conflicts check before any call is booked."),
    ("safeguard.open_process", "The job ref is HX-221 on our careers page."),
    ("safeguard.open_process", "Expenses are capped and paid against receipts."),
]
NOT_SAFE = [
    ("safeguard.public_only", "Send me what the committee discussed in private."),
    ("safeguard.employer_consent", "No need to tell your employer about this."),
    ("safeguard.open_process", "Download the form from the link and return it to me."),
]


@pytest.mark.parametrize(("detector", "text"), SAFE)
def test_when_sender_states_a_safeguard_then_it_is_found(detector: str, text: str) -> None:
    assert_fires(detector, approach(text))


@pytest.mark.parametrize(("detector", "text"), NOT_SAFE)
def test_when_no_safeguard_is_stated_then_none_is_found(detector: str, text: str) -> None:
    assert_quiet(detector, approach(text))


@pytest.mark.parametrize(
    "headline",
    ["MSc student, Electronics", "Graduate trainee | Civil Service Fast Stream", "PhD candidate in hypersonics"],
)
def test_when_sender_is_early_in_career_then_it_is_noted(headline: str) -> None:
    assert_fires("safeguard.early_career_sender", approach("Hello", sender={"name": "R Lee", "headline": headline}))


@pytest.mark.parametrize("headline", ["Managing Partner", "Senior Headhunter, Executive Search"])
def test_when_sender_is_established_then_no_early_career_note(headline: str) -> None:
    assert_quiet("safeguard.early_career_sender", approach("Hello", sender={"name": "R Lee", "headline": headline}))
