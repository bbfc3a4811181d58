"""Truth tables: negation, irrealis and reported speech across the phrase rules (detectors/assertion.py).

Each table is `(text, detector, fires)`, one per rule family: negated offers and requests, offers imagined and
declined, warnings and reports that describe the tactic, and the hard positives that must still fire (the
lure's own negatives: "don't tell anyone", "no questions asked", "there's no catch"). Some sentences are
written in the style of public documents (university invitations, NPSA/NCSC/FBI advisories, forwarded
warnings); all are invented here.
"""

from __future__ import annotations

import pytest

from counterpitch.detectors.assertion import Assertion
from counterpitch.engine import Engine
from counterpitch.model import Approach
from tests.helpers import approach, assert_fires, assert_quiet

Row = tuple[str, str, bool]

PAYMENT: list[Row] = [
    # negated
    ("We are unable to offer a fee for your views, but we will credit you in the report.", "lure.paid_reports", False),
    ("Please note that we cannot pay contributors for their briefing notes.", "lure.paid_reports", False),
    ("There is no honorarium for the review you would write for the journal.", "lure.paid_reports", False),
    ("We never pay for interviews or insights; your views would be quoted by name.", "lure.paid_reports", False),
    (
        "This is an unpaid role: members contribute short notes and their views to the newsletter.",
        "lure.paid_reports",
        False,
    ),
    (
        "Contributors to the commentary series write for us pro bono, and we share your analysis widely.",
        "lure.paid_reports",
        False,
    ),
    (
        "An honorarium is not available for your contribution, as the series is grant funded.",
        "lure.paid_reports",
        False,
    ),
    ("We pay no fee for your briefing, although lunch is provided.", "lure.paid_reports", False),
    (
        "We do not pay in cash or crypto; all fees are paid by invoice to your employer.",
        "lure.cash_crypto_gifts",
        False,
    ),
    # declined or imagined
    ("If we could pay a fee for your analysis we would, but our budget does not allow it.", "lure.paid_reports", False),
    ("We wish we could offer you an honorarium for your views on the draft chapter.", "lure.paid_reports", False),
    (
        "We would love to offer a fee for your perspective. Unfortunately, the grant does not allow it and we"
        " cannot pay.",
        "lure.paid_reports",
        False,
    ),
    ("Normally we pay a fee for your review, but this year we are not able to offer one.", "lure.paid_reports", False),
    # warned about or reported
    ("MI5 says headhunters offer you consultancy fees for reports on your work.", "lure.paid_reports", False),
    (
        "Be wary of recruiters who offer you generous fees for short reports or insights on your sector.",
        "lure.paid_reports",
        False,
    ),
    (
        "According to the NPSA, hostile actors pay you for harmless-looking reports first, then ask for more.",
        "lure.paid_reports",
        False,
    ),
    ("Payment in cash or crypto for your insights is a classic hostile-state tactic.", "lure.cash_crypto_gifts", False),
    ("Fraudsters may ask you to receive payments in bitcoin or gift cards.", "lure.cash_crypto_gifts", False),
    # hard positives
    ("There's no catch, we pay 2,000 a month for short reports on your team's work.", "lure.paid_reports", True),
    ("We will pay you well for your notes, no questions asked.", "lure.paid_reports", True),
    ("No contract is needed; we pay you in cash for each briefing.", "lure.paid_reports", True),
    ("No bank transfers, just cash in hand after each meeting.", "lure.cash_crypto_gifts", True),
    ("No contract, and we pay you £500 for each report.", "lure.paid_reports", True),
    ("Don't worry, our client pays a generous fee for your views on the committee.", "lure.paid_reports", True),
    ("We cannot name the fund, but it pays £800 for each of your briefing notes.", "lure.paid_reports", True),
    ("This is not a scam: we pay you USD 1,500 per report, in USDT if you prefer.", "lure.paid_reports", True),
    ("This is not a scam: we pay you USD 1,500 per report, in USDT if you prefer.", "lure.cash_crypto_gifts", True),
    (
        "MI5 warns about fake headhunters, but we are genuine: we pay a £600 fee for your insights.",
        "lure.paid_reports",
        True,
    ),
    ("We'd like to offer you a retainer for your insights, but we can't put it in writing.", "lure.paid_reports", True),
    # a lure quoted inside a warning speaks in the quoted sender's voice, not the writer's
    (
        'Watch out for messages such as "We pay well for short reports on your team\'s work."',
        "lure.paid_reports",
        False,
    ),
    (
        "Colleagues received these in the last month; be wary of anything like them:\n"
        '- "Our client pays USD 1,000 for each of your briefing notes, in crypto if you prefer."',
        "lure.paid_reports",
        False,
    ),
    # an approach told in the reporter's own words is assessed as one, not set aside as a warning
    (
        "A 'recruiter' from an unknown firm offered me £500 a month for short reports on my team.",
        "lure.paid_reports",
        True,
    ),
    (
        "Warning signs, as I understand them:\n- he offered me USD 2,000 per report on our programme",
        "lure.paid_reports",
        True,
    ),
]

TRAVEL: list[Row] = [
    # the issue's two examples and their kin
    (
        "We are unable to offer a fee but will cover standard-class rail travel to the panel, which is public and"
        " recorded.",
        "lure.paid_travel",
        False,
    ),
    (
        "The workshop is open to all, with no fee or hospitality for speakers and no travel covered.",
        "lure.paid_travel",
        False,
    ),
    ("Unfortunately we cannot cover flights or hotels for invited speakers this year.", "lure.paid_travel", False),
    ("Travel and accommodation are not covered, as the forum is run by volunteers.", "lure.paid_travel", False),
    ("Speakers' travel cannot be reimbursed by the Society.", "lure.paid_travel", False),
    (
        "We would love to fly you to Geneva for the summit, but sadly there is no budget for speakers' travel.",
        "lure.paid_travel",
        False,
    ),
    ("Had we the funds, we would gladly cover your flights and hotel.", "lure.paid_travel", False),
    # warned about or reported
    ("Be wary of recruiters who offer paid trips or ask to move to WhatsApp.", "lure.paid_travel", False),
    ("Never accept an all-expenses-paid trip from a contact you have not verified.", "lure.paid_travel", False),
    (
        "Hostile state actors often host you on fully funded visits to conferences abroad.",
        "lure.paid_travel",
        False,
    ),
    (
        "Offers of business class flights and hotels paid for by the host are a common lure used by foreign"
        " intelligence services.",
        "lure.paid_travel",
        False,
    ),
    (
        "Warning signs include:\n- an invitation to a forum abroad with flights and hotels paid for\n- a request to"
        " keep the trip quiet",
        "lure.paid_travel",
        False,
    ),
    # hard positives
    ("You won't regret it — flights and hotel on us for the week in Shanghai.", "lure.paid_travel", True),
    ("No fee, but flights and a hotel are on us for the whole week.", "lure.paid_travel", True),
    ("There is no fee, and we will pay for your flights and hotel for the forum.", "lure.paid_travel", True),
    ("No need to book anything: we will pay for your flights and the hotel.", "lure.paid_travel", True),
    (
        "If you could join us on the Beijing trip, all expenses would be covered by the institute.",
        "lure.paid_travel",
        True,
    ),
    ("We'd love to host you for a week's visit to Shenzhen, all expenses paid.", "lure.paid_travel", True),
    (
        "We would love to fly you to Shanghai business class, all expenses paid, but please don't mention the"
        " trip to anyone.",
        "lure.paid_travel",
        True,
    ),
    (
        "Not a problem if you can't make the dates; we will pay for flights whenever suits you.",
        "lure.paid_travel",
        True,
    ),
]

CONTACT: list[Row] = [
    # off platform
    ("We will never ask you to move the conversation to WhatsApp or a personal email.", "lure.off_platform", False),
    ("Please do not send your personal phone number; we only use this platform.", "lure.off_platform", False),
    ("Be cautious of anyone who asks to continue on Telegram or your personal email.", "lure.off_platform", False),
    (
        "Fake recruiters often ask to switch to WhatsApp early in the conversation, the FBI warns.",
        "lure.off_platform",
        False,
    ),
    ("Easier to continue on WhatsApp - no need to mention it to anyone at work.", "lure.off_platform", True),
    ("Don't hesitate to message me on Telegram, it's quicker.", "lure.off_platform", True),
    # clearance and programmes
    ("We will not ask you for your clearance level or the programmes you work on.", "lure.cv_clearance", False),
    ("Report anyone who asks for your clearance level or which projects you support.", "lure.cv_clearance", False),
    (
        "Requests to share your clearance details should always be reported to your security officer.",
        "lure.cv_clearance",
        False,
    ),
    ("No cover letter needed, just send your CV with your clearance level.", "lure.cv_clearance", True),
    (
        "Nothing formal yet - please share your vetting reference and the projects you are cleared for.",
        "lure.cv_clearance",
        True,
    ),
    # non-public material
    ("We will not ask for anything confidential, internal or unpublished.", "lure.nonpublic_request", False),
    (
        "Watch out for contacts who would like to know what ministers say privately or who want internal drafts.",
        "lure.nonpublic_request",
        False,
    ),
    (
        "No need to be formal: could you share the internal draft before it is published?",
        "lure.nonpublic_request",
        True,
    ),
    # secrecy (the matches are negatives themselves)
    ("Please don't tell anyone at work about our arrangement.", "lure.secrecy", True),
    ("There is no need to mention this to your employer.", "lure.secrecy", True),
    ("Nothing is written down and nothing links back to you.", "lure.secrecy", True),
    ("Report anyone who tells you to keep a contact secret from your employer.", "lure.secrecy", False),
    ("Spies and their handlers often tell you not to tell your employer about the contact.", "lure.secrecy", False),
    # remote access and software
    ("We will never ask you to install AnyDesk.", "lure.remote_access", False),
    (
        "Scammers posing as recruiters ask you to install AnyDesk so they can watch you work.",
        "lure.remote_access",
        False,
    ),
    ("No worries, our engineer will just connect to your laptop with AnyDesk.", "lure.remote_access", True),
    (
        "You do not need to download or install anything for the test; it runs in your browser.",
        "lure.install_software",
        False,
    ),
    (
        "Operation Dream Job: fake recruiters send a skills test and ask you to install the reader app to open it.",
        "lure.install_software",
        False,
    ),
    (
        "Don't worry about the warning, just download and run the installer on your laptop.",
        "lure.install_software",
        True,
    ),
    (
        "Be careful with links: never enter your work password on a portal sent by a recruiter.",
        "lure.credential_request",
        False,
    ),
    (
        "No need to create an account, just log in to the portal with your work Microsoft password.",
        "lure.credential_request",
        True,
    ),
    # a colon ends a negation's reach, so the rule itself must tell a vendor's own exercises from a request
    (
        "Phishing drills are agreed with your security team. We never collect real passwords: our simulated login"
        " pages record only that a click occurred.",
        "lure.credential_request",
        False,
    ),
]

ACCESS: list[Row] = [
    ("We will not ask you to introduce us to any ministers or their staff.", "lure.politician_access", False),
    (
        "The NCSC notes that hostile actors ask staff to introduce them to MPs and ministers.",
        "lure.politician_access",
        False,
    ),
    (
        "Never fear, introductions to the minister can wait - could you introduce me to his adviser?",
        "lure.politician_access",
        True,
    ),
    ("We will never ask about colleagues who are unhappy or short of money.", "lure.talent_spotting", False),
    ("Be suspicious of anyone asking which colleagues are in debt or disgruntled.", "lure.talent_spotting", False),
    (
        "Know any colleagues who are frustrated and looking to leave? No pressure, just curious.",
        "lure.talent_spotting",
        True,
    ),
]

LOW_SIGNAL: list[Row] = [
    # unnamed client: the indicator includes its own negatives ("can't be named")
    ("I can't say who the client is until you have signed up.", "lure.unnamed_client", True),
    ("The client is an overseas fund that cannot be named at this stage.", "lure.unnamed_client", True),
    (
        "Our client is not an anonymous overseas investor: it is Barclays, and you can check us.",
        "lure.unnamed_client",
        False,
    ),
    (
        "Fake headhunters typically claim an overseas client who cannot be named, the advisory warns.",
        "lure.unnamed_client",
        False,
    ),
    # side work
    ("The work fits easily alongside your current job, a few hours a month.", "lure.moonlighting", True),
    ("It won't take more than a few hours a month.", "lure.moonlighting", True),
    ("This is not a side gig: it is a full-time, permanent post in Leeds.", "lure.moonlighting", False),
    ("Be wary of 'side gigs' for clients abroad that fit around your day job.", "lure.moonlighting", False),
    # urgency
    ("There is no urgency at all - reply whenever suits you.", "lure.urgency", False),
    ("Don't wait, reply within 24 hours or the offer lapses.", "lure.urgency", True),
    ("Scammers create pressure to act immediately.", "lure.urgency", False),
    # flattery and vague contact are not cancelled by negation (their negative forms are rare and still flattery)
    ("No one else has your unique insight into the committee.", "lure.flattery", True),
    ("Hostile actors open with flattery: they say your analysis is exceptional.", "lure.flattery", False),
    ("I hope we can make friends and exchange views from time to time.", "lure.vague_contact", True),
    (
        "Be wary of profiles that only want to make friends and exchange views now and then.",
        "lure.vague_contact",
        False,
    ),
]

SAFEGUARDS: list[Row] = [
    # safeguards state negatives themselves and are not cancelled by negation or by a warning frame
    ("We will not ask for anything confidential.", "safeguard.public_only", True),
    ("Experts may not disclose non-public information under our terms.", "safeguard.public_only", True),
    (
        "Be aware that we keep strictly to published work and never ask for confidential material.",
        "safeguard.public_only",
        True,
    ),
    ("No fee is offered; please check that your employer permits outside talks.", "safeguard.employer_consent", True),
    (
        "Genuine networks, the guidance says, run a conflicts check before any call.",
        "safeguard.employer_consent",
        True,
    ),
    ("We are unable to pay a fee, but expenses are capped and paid against receipts.", "safeguard.open_process", True),
]

ALL = PAYMENT + TRAVEL + CONTACT + ACCESS + LOW_SIGNAL + SAFEGUARDS


def _check(text: str, detector: str, fires: bool) -> None:
    if fires:
        assert_fires(detector, approach(text))
    else:
        assert_quiet(detector, approach(text))


@pytest.mark.parametrize(("text", "detector", "fires"), PAYMENT)
def test_when_payment_is_negated_declined_or_reported_then_payment_rules_stay_quiet(
    text: str, detector: str, fires: bool
) -> None:
    _check(text, detector, fires)


@pytest.mark.parametrize(("text", "detector", "fires"), TRAVEL)
def test_when_travel_is_negated_declined_or_reported_then_paid_travel_stays_quiet(
    text: str, detector: str, fires: bool
) -> None:
    _check(text, detector, fires)


@pytest.mark.parametrize(("text", "detector", "fires"), CONTACT)
def test_when_a_request_is_negated_or_warned_about_then_request_rules_stay_quiet(
    text: str, detector: str, fires: bool
) -> None:
    _check(text, detector, fires)


@pytest.mark.parametrize(("text", "detector", "fires"), ACCESS)
def test_when_access_requests_are_negated_or_warned_about_then_access_rules_stay_quiet(
    text: str, detector: str, fires: bool
) -> None:
    _check(text, detector, fires)


@pytest.mark.parametrize(("text", "detector", "fires"), LOW_SIGNAL)
def test_when_low_signal_indicators_are_reported_then_they_stay_quiet(text: str, detector: str, fires: bool) -> None:
    _check(text, detector, fires)


@pytest.mark.parametrize(("text", "detector", "fires"), SAFEGUARDS)
def test_when_a_safeguard_states_a_negative_or_sits_in_a_warning_then_it_still_fires(
    text: str, detector: str, fires: bool
) -> None:
    _check(text, detector, fires)


def test_every_lure_and_safeguard_rule_has_rows_in_the_tables() -> None:
    from counterpitch.detectors.phrases import PhraseDetector
    from tests.helpers import _REGISTRY

    rules = {d.meta.id for d in _REGISTRY if isinstance(d, PhraseDetector) and d.scope == "message"}
    covered = {d for _, d, _ in ALL}
    assert rules - covered == set()


# --- whole documents ------------------------------------------------------------------------------------------

UNIVERSITY_INVITATION = """Dear Dr Okafor,

On behalf of the Centre for Energy Policy I am delighted to invite you to speak at our public seminar series on
5 March. Sessions are open to all, recorded and posted on the Centre's website.

I should say at the outset that, as a small academic unit, we cannot offer honoraria, and we are not able to
cover travel or accommodation for speakers. If we could pay for your time we would, but our seminar budget does
not stretch to it. We would of course be glad to credit your analysis and to share the recording.

With best wishes,
Professor Hannah Rees"""

ADVISORY = """Think Before You Link: how hostile states use professional networking sites

Foreign intelligence services are using fake profiles on LinkedIn and similar sites to approach people with
access to sensitive information. Approaches often begin with flattery and an offer of paid consultancy: the
'recruiter' offers you a generous fee for short reports or your insights on your sector. Be wary of anyone who
offers an all-expenses-paid trip to a conference abroad, asks to move the conversation to WhatsApp, WeChat or a
personal email, or asks for your clearance level or the projects you work on.

Warning signs include:
- payment in cash, cryptocurrency or gift cards
- requests to keep the contact between you and them
- pressure to reply within 24 hours

If you are approached, do not confront the sender. Report it to your security team."""

FORWARDED_WARNING = """Hi all,

Passing this on from the security office. MI5 says headhunters on LinkedIn offer consultancy fees for reports
on our work and paid trips to conferences in China. They may ask you to switch to WhatsApp or to send your
clearance details. Please report anyone who asks for your clearance level.

Thanks,
Priya"""


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def _lures(engine: Engine, text: str) -> list[str]:
    found = engine.assess(Approach.model_validate({"id": "t", "text": text}))
    return [f.detector for f in found.findings if f.detector.startswith("lure.")]


@pytest.mark.parametrize("text", [UNIVERSITY_INVITATION, ADVISORY, FORWARDED_WARNING])
def test_when_a_document_only_declines_or_warns_then_no_lure_fires(engine: Engine, text: str) -> None:
    assert _lures(engine, text) == []


ISSUE_EXAMPLES = [
    # a public, recorded panel that declines a fee and pays standard-class rail travel
    "Dear Dr Patel, we would like to invite you to share your views on a public, recorded panel at our annual"
    " conference. We are unable to offer a fee but will cover standard-class rail travel.",
    # a public academic panel with no fee or hospitality
    "Dear Professor Lee, I am writing to invite you to give your perspective on a public academic panel on trade"
    " policy in March, with no fee or hospitality. The session is open to all and will be recorded.",
]


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
def test_when_a_genuine_invitation_declines_payment_then_it_is_low(engine: Engine, text: str) -> None:
    found = engine.assess(Approach.model_validate({"id": "t", "text": text}))
    assert [f.detector for f in found.findings if f.detector.startswith("lure.")] == []
    assert found.band == "low"


def test_when_the_same_offer_is_made_then_the_lures_fire(engine: Engine) -> None:
    text = (
        "Dear Dr Patel, we would like to invite you to share your views with our partners. We offer a fee of"
        " GBP 2,000 and will cover business-class flights and a suite at the Peninsula."
    )
    assert {"lure.paid_reports", "lure.paid_travel"} <= set(_lures(engine, text))


# --- the cue file ---------------------------------------------------------------------------------------------


def test_when_a_cue_example_does_not_match_then_loading_names_the_list() -> None:
    from importlib import resources

    text = (resources.files("counterpitch") / "data" / "assertion.yaml").read_text("utf-8")
    broken = text.replace('examples: ["there is no honorarium"', 'examples: ["there is an honorarium"', 1)
    assert broken != text
    with pytest.raises(ValueError, match=r"negation\.before \(negation words\): example 'there is an honorarium'"):
        Assertion.load(broken, "assertion.yaml")


def test_when_a_cue_has_a_capturing_group_then_loading_fails() -> None:
    from importlib import resources

    text = (resources.files("counterpitch") / "data" / "assertion.yaml").read_text("utf-8")
    broken = text.replace("patterns: ['unpaid'", "patterns: ['(unpaid)'", 1)
    assert broken != text
    with pytest.raises(ValueError, match="capturing group"):
        Assertion.load(broken, "assertion.yaml")


def test_when_quotable_is_not_one_flag_per_group_then_loading_fails() -> None:
    from counterpitch.detectors.phrases import from_spec

    spec = {
        "id": "test.pay",
        "title": "t",
        "severity": "low",
        "explanation": "e",
        "guidance": "g",
        "sources": ["invented"],
        "match": {"all_of": [[r"\bpay\b"], [r"\byou\b"]], "quotable": [True]},
    }
    with pytest.raises(ValueError, match=r"match\.quotable must be true, false or one flag per all_of group"):
        from_spec(spec, "rules.yaml")
    spec["match"] = {"all_of": [[r"\bpay\b"]], "quotable": "yes"}
    with pytest.raises(ValueError, match=r"match\.quotable must be true, false or a list of booleans"):
        from_spec(spec, "rules.yaml")
