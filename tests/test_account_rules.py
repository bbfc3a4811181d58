"""Truth tables: what an account knows that a message never says (data/detectors/account.yaml, scope `account`).

Invented wording, written for these tests: none of it comes from the casebooks.
"""

from __future__ import annotations

import pytest

from counterpitch.engine import Engine
from counterpitch.model import Approach
from tests.helpers import assert_fires, assert_quiet

FALSE_IDENTITY = "persona.told_false_identity"
PAYLOAD = "lure.told_malicious_payload"

FIRES = [
    (FALSE_IDENTITY, "The man was posing as a partner at a London search firm."),
    (FALSE_IDENTITY, "Later we learnt that the consultancy in her profile does not exist."),
    (FALSE_IDENTITY, "No such institute exists at the address on his letterhead."),
    (FALSE_IDENTITY, "Her photo was AI-generated and the employer named on it was a shell company."),
    (FALSE_IDENTITY, "The court heard that the 'headhunter' was an intelligence officer."),
    (FALSE_IDENTITY, "Investigators said the think tank turned out to be a front for a ministry."),
    (FALSE_IDENTITY, "Attackers impersonated a well-known defence prime to reach engineers."),
    (FALSE_IDENTITY, "State-backed hackers ran the persona for a year."),
    (PAYLOAD, "The coding test she was sent contained malware that stole browser passwords."),
    (PAYLOAD, "The job description came as a document with malicious macros."),
    (PAYLOAD, "The repository they asked him to run installed a backdoor on his laptop."),
    (PAYLOAD, "The 'speaker portal' was a phishing page that harvested Microsoft logins."),
    (PAYLOAD, "Once opened, the spreadsheet dropped a remote access trojan."),
]

QUIET = [
    # doubt is not a finding
    (FALSE_IDENTITY, "I'm not sure if this is a fake recruiter, but he asked for my CV."),
    (FALSE_IDENTITY, "Could the firm be a front? I can't tell."),
    (FALSE_IDENTITY, "I wonder whether she might be a scammer."),
    # denied
    (FALSE_IDENTITY, "The firm was genuine and the recruiter was not an impostor."),
    # a genuine advisory quoted in the account
    (FALSE_IDENTITY, "MI5 warns that officers pose as headhunters; this one had a real firm and office."),
    (FALSE_IDENTITY, "The recruiter warned me about scammers posing as their firm on LinkedIn."),
    # the reporter's own organisation's exercises
    (FALSE_IDENTITY, "Our IT team ran a phishing simulation last week; this was not part of it."),
    (PAYLOAD, "IT asked us to install the approved VPN client, which protects laptops against malware."),
    (PAYLOAD, "Security scanned the attachment for malware and it came back clean."),
    (PAYLOAD, "It might be malware, I did not open it."),
    (PAYLOAD, "We had phishing awareness training the day before."),
]


#: How published sources tell an approach: the recipients as a class, the passive, whose material it was.
NARRATED = [
    ("lure.paid_reports", "Analysts were offered $400 for each short paper on the negotiations."),
    ("lure.paid_reports", "She had been promised a monthly fee for background notes on the reshuffle."),
    ("lure.secrecy", "Targets were told that if anyone asked, they should call it a translation job."),
    ("lure.secrecy", "He was instructed to describe the payments as consultancy fees."),
]


def told(account: str, text: str = "") -> Approach:
    return Approach.model_validate({"id": "account-rules", "text": text, "account": account})


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


@pytest.mark.parametrize(("detector", "account"), FIRES)
def test_when_an_account_states_what_was_found_out_then_the_rule_fires(detector: str, account: str) -> None:
    finding = assert_fires(detector, told(account))
    assert all(e.field == "account" for e in finding.evidence)


@pytest.mark.parametrize(("detector", "account"), QUIET)
def test_when_an_account_doubts_denies_or_quotes_then_the_rule_stays_quiet(detector: str, account: str) -> None:
    assert_quiet(detector, told(account))


@pytest.mark.parametrize(("detector", "words"), FIRES)
def test_when_the_same_words_are_the_senders_message_then_the_account_rules_do_not_read_them(
    detector: str, words: str
) -> None:
    assert_quiet(detector, told("", text=words))


@pytest.mark.parametrize(("detector", "account"), NARRATED)
def test_when_a_source_narrates_the_approach_then_its_rule_fires(detector: str, account: str) -> None:
    assert_fires(detector, told(account))


def test_when_an_account_says_the_sender_was_found_out_then_at_least_medium(engine: Engine) -> None:
    assessed = engine.assess(told("We found afterwards that the recruitment firm in his profile never existed."))
    assert assessed.band in ("medium", "high")
    assert any(f.detector == FALSE_IDENTITY for f in assessed.findings)


def test_when_a_found_out_sender_also_offered_money_for_reports_then_high(engine: Engine) -> None:
    account = "A man posing as a headhunter offered our researcher $500 per report on the committee's work."
    assert engine.assess(told(account)).band == "high"


def test_when_an_account_says_the_file_was_malicious_then_at_least_medium(engine: Engine) -> None:
    assessed = engine.assess(told("The interview app they sent turned out to be spyware."))
    assert assessed.band in ("medium", "high")
    assert any(f.detector == PAYLOAD for f in assessed.findings)


def test_when_accounts_are_screened_in_bulk_then_the_verdicts_are_those_of_one_by_one(engine: Engine) -> None:
    cases = [told(a) for _, a in FIRES + QUIET]
    one = [(a.band, a.score) for a in (engine.assess(c, meaning="unsure") for c in cases)]
    assert [(a.band, a.score) for a in engine.assess_many(cases)] == one
