"""Truth tables: approaches told in the reporter's own words (the Approach's `account`, decision 0043).

An account is evidence of what the sender did, not a warning: reported speech of the sender counts as the
sender's ("she said to keep it between us"), third-person targets count as the recipient ("he asked our
researcher to install ..."), negation still applies ("he did not ask for anything"), and the reporter's own
refusal does not cancel the sender's ask ("she offered me money for reports; I declined"). A pasted message is
read as before. Every account here is invented.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from counterpitch.cli import app
from counterpitch.detectors.assertion import Assertion
from counterpitch.engine import Engine
from counterpitch.model import Approach
from tests.helpers import assert_fires, assert_quiet

Row = tuple[str, str]

#: Narrated hostile accounts, first person: (account, the detector that must fire).
FIRST_PERSON: list[Row] = [
    (
        "A woman from a recruitment firm messaged me on LinkedIn and offered me 2,000 pounds a month to write reports"
        " about what my MP's committee discusses.",
        "lure.paid_reports",
    ),
    ("She wanted to move the chat to WeChat and said to keep it between us.", "lure.off_platform"),
    ("She wanted to move the chat to WeChat and said to keep it between us.", "lure.secrecy"),
    ("They told me not to tell my manager about the consultancy.", "lure.secrecy"),
    ("She asked for my clearance level and the programmes I worked on.", "lure.cv_clearance"),
    (
        "A recruiter invited me to a forum in Beijing, all expenses paid, and said they would cover my flights.",
        "lure.paid_travel",
    ),
    ("He said they would pay me in bitcoin so nothing would link back to me.", "lure.cash_crypto_gifts"),
    ("The headhunter asked me to install an app on my laptop for the interview.", "lure.install_software"),
    ("He wanted me to share my screen and open AnyDesk so he could watch me work.", "lure.remote_access"),
    (
        "He sent me a link to a portal and asked me to sign in with my work Microsoft account to see the job.",
        "lure.credential_request",
    ),
    ("She asked me to introduce her to the minister privately.", "lure.politician_access"),
    ("He wanted to know which of my colleagues were unhappy or short of money.", "lure.talent_spotting"),
    ("He wanted me to send him internal drafts of the committee report before publication.", "lure.nonpublic_request"),
    ("I was offered $300 per report on my team's current work, paid in cash.", "lure.paid_reports"),
    ("I was offered $300 per report on my team's current work, paid in cash.", "lure.cash_crypto_gifts"),
    ("A fake recruiter offered me 1,000 dollars for a short report on my team's work.", "lure.paid_reports"),
    ("A 'headhunter' asked me to move to WhatsApp.", "lure.off_platform"),
]

#: ... and third person, as a security officer types it for a colleague.
THIRD_PERSON: list[Row] = [
    (
        "A man claiming to be a headhunter offered our researcher $500 per short report and asked her to install an"
        " app for interviews.",
        "lure.paid_reports",
    ),
    (
        "A man claiming to be a headhunter offered our researcher $500 per short report and asked her to install an"
        " app for interviews.",
        "lure.install_software",
    ),
    ("Our engineer was offered a paid trip to a conference, all expenses covered.", "lure.paid_travel"),
    (
        "A consultant asked our analyst to send him the internal briefing pack before the meeting.",
        "lure.nonpublic_request",
    ),
    ("They told the researcher to keep the arrangement between them and not to tell her manager.", "lure.secrecy"),
    ("A recruiter asked my colleague for his security clearance level and vetting reference.", "lure.cv_clearance"),
    ("The sender asked the engineer to run the attached coding test on his work laptop.", "lure.install_software"),
    ("She offered him 800 euros a month for notes on his department's thinking.", "lure.paid_reports"),
]

#: Other voices: passives, "kept pushing", "promised", reported requests, scare quotes, a colleague approached.
VOICES: list[Row] = [
    ("I was asked to download a skills test and run it on my work computer.", "lure.install_software"),
    ("She kept pushing me to switch to WhatsApp and to send her my personal number.", "lure.off_platform"),
    ("They promised my colleague a fully funded trip to a summit, flights and hotel on them.", "lure.paid_travel"),
    ("The recruiter wanted my vetting level and asked which projects I had worked on.", "lure.cv_clearance"),
    (
        "He offered to pay our engineer in crypto for a few short papers on the radar programme.",
        "lure.cash_crypto_gifts",
    ),
    (
        "A contact asked our staffer to pass on an invitation to the MP and arrange a private meeting.",
        "lure.politician_access",
    ),
    (
        "She said her client would pay me a retainer for my views on what the minister says privately.",
        "lure.nonpublic_request",
    ),
    ("He asked me to keep our conversations confidential and not mention them to my employer.", "lure.secrecy"),
    ('The "consultant" said the fee would go to my wife\'s account so it would not show up.', "lure.cash_crypto_gifts"),
    (
        "My colleague was approached on LinkedIn by a think tank that offered him $1,000 per article about policy.",
        "lure.paid_reports",
    ),
    ("He told our analyst that his client could not be named and that she should delete the messages.", "lure.secrecy"),
    ("The man asked whether I knew anyone at work who was in debt or unhappy.", "lure.talent_spotting"),
    (
        "Someone posing as a recruiter sent me a zip file with a coding test and told me to open it on my laptop.",
        "lure.install_software",
    ),
    ("She asked me to log in to their candidate portal with my university password.", "lure.credential_request"),
]

#: The reporter (or the colleague) refused: the sender's offer or ask still stands.
REFUSED: list[Row] = [
    ("She offered me money for reports; I declined.", "lure.paid_reports"),
    ("I refused her offer of 500 euros for short notes on our committee's work.", "lure.paid_reports"),
    ("I said no when she offered me £800 a month for analysis of the committee's thinking.", "lure.paid_reports"),
    (
        "I did not install the app he sent, but he asked me to download it on my laptop for the test.",
        "lure.install_software",
    ),
    ("Our researcher refused his offer of $400 for each report on the committee.", "lure.paid_reports"),
    ("I never replied when he asked me to keep it between us and move to Telegram.", "lure.off_platform"),
]

#: Negation, irrealis and genuine advisories still apply in an account.
NOT_ASSERTED: list[Row] = [
    ("He did not offer me any money for reports.", "lure.paid_reports"),
    ("I was not offered any money for reports.", "lure.paid_reports"),
    ("She never asked me to install anything; the interview was on Teams.", "lure.install_software"),
    ("He did not ask for anything and I have not heard from him since.", "lure.cv_clearance"),
    ("MI5 warns that headhunters offer money for reports. Nobody has contacted me.", "lure.paid_reports"),
    ("Be wary of recruiters who offer paid trips; I have not been approached.", "lure.paid_travel"),
    (
        "The university said that if they could pay a fee for my review they would, but the budget does not allow it.",
        "lure.paid_reports",
    ),
]

#: Accounts of ordinary contact: low.
BENIGN = [
    "A recruiter from Thales asked if I hold SC for a cleared role.",
    "A professor invited me to speak at a public conference, travel paid, programme online.",
    "A headhunter from Korn Ferry contacted me about a permanent role at a bank; salary 90k, through HR.",
    "A journalist asked me for a comment on the published committee report.",
    "A former colleague messaged me to ask how I was and whether I'd like to catch up for coffee.",
    "A recruiter asked me to send my CV for a software engineering role and said the interview would be on Teams.",
    "He did not ask for anything and I have not heard from him since.",
    "A university invited our researcher to give a talk; they could not pay a fee but the slides will be published.",
]


def told(account: str, text: str = "", **fields: object) -> Approach:
    return Approach.model_validate({"id": "told", "text": text, "account": account, **fields})


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


@pytest.mark.parametrize(("account", "detector"), FIRST_PERSON + THIRD_PERSON + VOICES + REFUSED)
def test_when_an_account_tells_the_tactic_then_its_rule_fires_on_the_account(account: str, detector: str) -> None:
    finding = assert_fires(detector, told(account))
    assert {e.field for e in finding.evidence} == {"account"}
    for e in finding.evidence:
        assert e.start is not None and e.end is not None and account[e.start : e.end] == e.quote


@pytest.mark.parametrize(("account", "detector"), FIRST_PERSON + THIRD_PERSON + VOICES + REFUSED)
def test_when_the_engine_reads_an_account_then_its_index_lets_the_rule_through(
    engine: Engine, account: str, detector: str
) -> None:
    assert detector in {f.detector for f in engine.assess(told(account)).findings}


@pytest.mark.parametrize(("account", "detector"), NOT_ASSERTED)
def test_when_an_account_negates_or_quotes_an_advisory_then_the_rule_stays_quiet(account: str, detector: str) -> None:
    assert_quiet(detector, told(account))


@pytest.mark.parametrize("account", BENIGN)
def test_when_an_account_tells_of_ordinary_contact_then_low(engine: Engine, account: str) -> None:
    assert engine.assess(told(account)).band == "low"


@pytest.mark.parametrize(
    "account",
    [
        "A woman from a recruitment firm messaged me on LinkedIn and offered me 2,000 pounds a month to write reports"
        " about what my MP's committee discusses. She wanted to move the chat to WeChat and said to keep it"
        " between us.",
        "A man claiming to be a headhunter offered our researcher $500 per short report and asked her to install an"
        " app for interviews.",
        "He wanted me to send him internal drafts of the committee report before publication.",
    ],
)
def test_when_a_hostile_approach_is_told_then_it_is_medium_or_high(engine: Engine, account: str) -> None:
    assessed = engine.assess(told(account))
    assert assessed.band in ("medium", "high"), assessed
    assert all(e.field == "account" for f in assessed.findings for e in f.evidence if f.detector.startswith("lure."))


def test_when_accounts_are_screened_in_bulk_then_the_verdicts_are_those_of_one_by_one(engine: Engine) -> None:
    cases = [told(a) for a, _ in FIRST_PERSON + THIRD_PERSON + VOICES + REFUSED] + [told(a) for a in BENIGN]
    cases = [c.model_copy(update={"id": f"c{i}"}) for i, c in enumerate(cases)]
    assert list(engine.assess_many(cases, batch=7)) == [engine.assess(c, meaning="unsure") for c in cases]


def test_when_the_same_words_are_a_message_then_they_are_read_as_written() -> None:
    """In a pasted message, the reporter's refusal is a negation and a third-person report is a warning:
    the account's reading applies to the account only."""
    assert_quiet("lure.paid_reports", told("", text="I refused her offer of 500 euros for short notes on our work."))
    assert_fires("lure.paid_reports", told("I refused her offer of 500 euros for short notes on our work."))
    assert_quiet(
        "lure.paid_travel",
        told(
            "", text="Our engineer was offered a paid trip to a conference, all expenses covered. Report such offers."
        ),
    )


NEWSLETTER = (
    "Security bulletin. MI5 has warned that hostile state actors posing as headhunters offer consultancy fees for"
    " reports on your work, paid trips abroad, and ask you to move to WhatsApp. Be wary of recruiters who offer"
    " payment for insights. Report anyone who asks for your clearance level to the security team."
)


def test_when_a_security_newsletter_is_the_message_then_it_still_does_not_fire(engine: Engine) -> None:
    assessed = engine.assess(told("", text=NEWSLETTER))
    assert assessed.band == "low"
    assert not [f for f in assessed.findings if f.detector.startswith("lure.")]


def test_when_message_and_account_are_both_given_then_each_field_is_read_its_own_way(engine: Engine) -> None:
    message = "Hello, would you be open to a short chat about your work on the committee?"
    account = (
        "After this message she offered me 2,000 pounds a month for reports on the committee's private discussions"
        " and asked me to switch to WeChat."
    )
    assessed = engine.assess(told(account, text=message))
    fields = {e.field for f in assessed.findings if f.detector.startswith("lure.") for e in f.evidence}
    assert fields == {"account"}
    assert assessed.band in ("medium", "high")


def test_when_only_an_account_is_given_then_text_may_be_left_out_and_is_written_empty() -> None:
    a = Approach.model_validate({"id": "x", "account": "She offered me money for reports."})
    assert a.text == "" and a.told
    doc = a.to_json_dict()
    assert doc["text"] == "" and doc["account"] == "She offered me money for reports."
    assert Approach.model_validate(doc) == a
    with pytest.raises(ValueError, match="text"):
        Approach.model_validate({"id": "x"})


def test_when_an_approach_with_an_account_is_written_then_it_is_valid_against_the_shared_schema() -> None:
    from jsonschema import Draft202012Validator

    from tests.conftest import SCHEMAS

    path = SCHEMAS / "approach.schema.json"
    if not path.is_file():
        pytest.skip("shared schemas not present")
    schema = Draft202012Validator(json.loads(path.read_text("utf-8")))
    schema.validate(told("She offered me money for reports.").to_json_dict())
    schema.validate(told("She offered me money for reports.", text="Hi, we pay for notes.").to_json_dict())


def test_the_told_cues_widen_the_rules_persons_and_only_whole_words() -> None:
    told_cues = Assertion.told()
    widened = told_cues.narrated(r"\b(?:ask|want)\w* you to\b|\byours?\b|\bsome\b")
    assert "our|my|the" in widened and "yours?" in widened and "some" in widened
    assert Assertion.load().narrated(r"\byou\b") == r"\byou\b"  # a message is read as written


def test_when_an_advisory_list_is_misnamed_then_loading_fails_naming_it() -> None:
    from importlib import resources

    text = (resources.files("counterpitch") / "data" / "assertion.yaml").read_text("utf-8")
    broken = text.replace("advisories: [advice to be wary,", "advisories: [advice to be careful,")
    with pytest.raises(ValueError, match="advice to be careful"):
        Assertion.told(broken)


runner = CliRunner()


def test_when_the_cli_is_given_only_an_account_then_it_assesses_it() -> None:
    account = "A man offered our researcher $500 per short report and asked her to install an app for the interview."
    r = runner.invoke(app, ["check", "--account", account, "-f", "json", "--no-semantic"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["band"] in ("medium", "high")
    assert {e["field"] for f in doc["findings"] for e in f["evidence"]} == {"account"}


def test_when_the_cli_account_names_a_file_then_the_file_is_read(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "account.txt"
    path.write_text("He asked me to install an app on my laptop for the interview.\n", encoding="utf-8")
    r = runner.invoke(app, ["check", "--account", str(path), "--text", "Hi, are you free for a chat?", "-f", "json"])
    assert r.exit_code == 0, r.output
    assert "lure.install_software" in {f["detector"] for f in json.loads(r.stdout)["findings"]}


def test_when_the_cli_gets_neither_message_nor_account_then_it_says_so() -> None:
    r = runner.invoke(app, ["check", "--account", "  ", "--text", ""])
    assert r.exit_code == 2
    assert "both empty" in r.output


def test_when_a_file_of_approaches_carries_accounts_then_they_are_read(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "told.jsonl"
    rows = [
        {"id": "a", "account": "She offered me 2,000 pounds a month for reports and said to keep it between us."},
        {"id": "b", "text": "", "account": "A professor invited me to speak at a public conference, programme online."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["check", str(path), "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    bands = {d["id"]: d["band"] for d in map(json.loads, r.stdout.splitlines())}
    assert bands["a"] in ("medium", "high") and bands["b"] == "low"


def test_when_a_csv_has_an_account_column_then_text_may_be_missing() -> None:
    import io

    from counterpitch.ingest.tabular import read_csv

    data = 'id,account\nr1,"She offered me money for reports and said to keep it between us."\n'
    (row,) = list(read_csv(io.BytesIO(data.encode()), "told.csv"))
    assert isinstance(row, Approach) and row.text == "" and row.account and row.account.startswith("She offered")
