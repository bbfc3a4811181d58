"""Truth tables for the message indicators (family `lure`, data/detectors/lure.yaml). Invented wording."""

from __future__ import annotations

import pytest

from counterpitch.detectors.context import Context
from counterpitch.detectors.phrases import NEGATION_REACH, from_spec
from tests.helpers import approach, assert_fires, assert_quiet, run

POSITIVE = [
    ("lure.paid_reports", "Each short note you write for my client earns a USD 900 honorarium."),
    ("lure.paid_reports", "We pay £600 per briefing on how the committee sees the bill."),
    ("lure.paid_reports", "Our fund offers a retainer for your occasional perspective on Brussels."),
    ("lure.paid_travel", "Flights and a suite at the Peninsula are on us for the week in Shenzhen."),
    ("lure.paid_travel", "The whole trip is fully funded by our foundation, hotels included."),
    ("lure.off_platform", "Easier to continue on Telegram - what is your handle?"),
    ("lure.off_platform", "Please send your personal email so I can share the brief there."),
    (
        "lure.cv_clearance",
        "To put you forward, send your CV with your clearance level and the programmes you support.",
    ),
    ("lure.cv_clearance", "Please confirm your vetting reference and which projects you are cleared for."),
    ("lure.nonpublic_request", "Could you share the internal draft of the strategy before it is published?"),
    (
        "lure.nonpublic_request",
        "My client wants to know what ministers are saying privately about the tariff.",
    ),
    ("lure.nonpublic_request", "Tell me which suppliers are on the shortlist for the radar upgrade."),
    ("lure.secrecy", "Please keep this between us - your manager does not need to hear about it."),
    ("lure.secrecy", "There is no need to tell your department; no paperwork is involved."),
    ("lure.secrecy", "Delete this message once you have read it."),
    ("lure.secrecy", "No pressure, but please keep this between us."),
    ("lure.credential_request", "Log in on our onboarding portal with your current employer's Outlook account."),
    ("lure.credential_request", "Just approve the MFA push you get now, it links your candidate profile."),
    ("lure.credential_request", "For the deployment task please send your AWS access keys."),
    ("lure.credential_request", "Send photos of your staff ID badge, front and back, to verify employment."),
    ("lure.install_software", "The PDF only opens with our secure reader, download it from the link."),
    ("lure.install_software", "Connect with the VPN config I attached to reach the test environment."),
    # a cover story for the contact or the money
    ("lure.secrecy", "If your manager ever asks, just tell them it is a translation job."),
    ("lure.secrecy", "Best to describe the payments as tutoring fees."),
    ("lure.secrecy", "Please never message me from your office e-mail or work phone."),
    ("lure.cash_crypto_gifts", "We can settle in USDT so nothing reaches your bank."),
    ("lure.cash_crypto_gifts", "Payment can go to your cousin's account if that is simpler."),
    ("lure.cash_crypto_gifts", "I sent you a little something for your help last week."),
    ("lure.cash_crypto_gifts", "The fee can go out in USDT to whichever wallet you prefer."),
    ("lure.cash_crypto_gifts", "Each completed form earns a GBP 100 gift card."),
    # the tactic in other words (issue 12, item 6: the wide paraphrase set)
    ("lure.secrecy", "I'd rather you kept it from your line manager for the time being."),
    ("lure.secrecy", "Probably best not to let HR know we've been talking."),
    ("lure.secrecy", "Don't put any of this in an email, we can talk it through when we meet."),
    ("lure.secrecy", "No one at your ministry needs to be aware of our little arrangement."),
    ("lure.cash_crypto_gifts", "We could settle it in used notes each time you come."),
    ("lure.cash_crypto_gifts", "Hard cash, every month, and nobody asks where it came from."),
    ("lure.cash_crypto_gifts", "We are happy to clear your credit card debts as a thank you."),
    ("lure.off_platform", "Is there an app where we can talk more freely? This inbox is rather exposed."),
    ("lure.off_platform", "Better to continue outside LinkedIn, do you use Viber?"),
    ("lure.paid_travel", "Our ministry will foot the bill for your flights and the hotel."),
    ("lure.paid_travel", "They offered to pick up the tab for a week at a resort with my wife."),
    ("lure.install_software", "Unzip the assessment file and run the installer before Friday's interview."),
    ("lure.install_software", "Clone our repo, run npm install and then npm start to see the coding task."),
    # the order starts a later sentence: `^` in a rule means the start of a sentence, not of the message
    ("lure.install_software", "Hello. Unzip the file and run the installer."),
    ("lure.install_software", "Our take-home is quick: clone the repo and run the tests on your laptop."),
    ("lure.install_software", "To unlock your matches, download the Resume Builder for Windows from your dashboard."),
    ("lure.install_software", "I'll send it over WhatsApp as a ZIP; inside there's a small reader app for the PDF."),
    ("lure.remote_access", "Our engineer will use AnyDesk to see your normal setup during the test."),
    (
        "lure.credential_request",
        "Log in on the portal with your work Microsoft password to download the pack.",
    ),
    ("lure.politician_access", "Could you introduce me to the minister's special adviser over dinner?"),
    ("lure.politician_access", "Which of your colleagues on the committee might be sympathetic to our bid?"),
    (
        "lure.talent_spotting",
        "Know any colleagues who are short of money or feel passed over? Send them my way.",
    ),
    ("lure.unnamed_client", "The client is an overseas investor who cannot be named at this stage."),
    ("lure.moonlighting", "The work fits easily alongside your current job, a few hours a month."),
    # other words for the same tactics (issue 12, item 6: the wide set's families)
    (
        "lure.unnamed_client",
        "The family I act for would prefer to stay out of the limelight, so their name stays with me.",
    ),
    ("lure.unnamed_client", "Our principal's identity is kept under wraps, but the engagement is very well paid."),
    ("lure.moonlighting", "None of this would clash with your day job; think of it as paid hours on the side."),
    ("lure.moonlighting", "We would never ask you to quit your post, and your current role stays as it is."),
    (
        "lure.politician_access",
        "Could you book us a breakfast with the permanent secretary, without it going through the diary office?",
    ),
    ("lure.politician_access", "Which senators on the panel could be persuaded, do you think?"),
    (
        "lure.talent_spotting",
        "Anyone in your division going through hard times with money? Names would be appreciated.",
    ),
    ("lure.talent_spotting", "Do put us in touch with cleared colleagues who might be receptive to a quiet approach."),
    ("lure.flattery", "Your analysis is exceptional - exactly the perspective my clients lack."),
    ("lure.urgency", "This is urgent: I need an answer within 24 hours."),
    ("lure.vague_contact", "I would like to make friends and exchange views about your country sometimes."),
]

NEGATIVE = [
    ("lure.politician_access", "Could we book a meeting with the councillor about the planning application?"),
    ("lure.talent_spotting", "Please tell your manager if anyone in your team is struggling with workload."),
    ("lure.unnamed_client", "Our clients abroad can't see your salary history."),
    ("lure.secrecy", "Management don't know what they're doing."),
    ("lure.cash_crypto_gifts", "Participants receive a $50 Amazon gift card as a thank you for testing our prototype."),
    ("lure.install_software", "Researchers must use the university-managed VPN, which IT installs on request."),
    ("lure.secrecy", "Have a look whenever suits, no pressure at all."),
    ("lure.secrecy", "Please don't tell me anything about your current projects."),
    ("lure.secrecy", "We don't need to know which programme you are on."),
    ("lure.secrecy", "Officials may attend in a personal capacity with their employer's approval."),
    ("lure.credential_request", "No reputable body will ever ask for your password by e-mail."),
    ("lure.credential_request", "Speakers should not be asked to log in to any outside portal."),
    (
        "lure.credential_request",
        "Reach the benefits portal from the intranet and sign in with your usual network login.",
    ),
    ("lure.secrecy", "If anyone asks about the programme, it is all on our website."),
    ("lure.secrecy", "Please describe your work in a short paragraph for the speaker page."),
    # Job-advert wording the high-severity rules must not read as lures (a high-severity finding is never shown
    # under a low band, so each of these would raise an alarm).
    ("lure.cash_crypto_gifts", "We also have our own dedicated team offshore so we can work 24 hours a day."),
    ("lure.cash_crypto_gifts", "Our offshore development centres support hundreds of SAP projects."),
    ("lure.cash_crypto_gifts", "You will help out in the gift shop and the garden centre at weekends."),
    # crypto, gifts or vouchers as a subject, not as a way to pay the recipient
    ("lure.cash_crypto_gifts", "Our research note compares bitcoin and gold as stores of value."),
    ("lure.cash_crypto_gifts", "We're hiring a Solidity engineer for our stablecoin team in Lisbon."),
    ("lure.secrecy", "All applications will be treated as strictly confidential."),
    ("lure.secrecy", "We want you to be curious, quietly ambitious and keen to learn."),
    ("lure.nonpublic_request", "Please submit your resume for immediate and confidential consideration."),
    ("lure.credential_request", "Proven leadership credentials and a positive team spirit are essential."),
    ("lure.install_software", "You will design, document and execute test plans with the QA team."),
    ("lure.install_software", "IT will install your workstation and the internal tools on your first morning."),
    ("lure.install_software", "Our installers fit windows, doors and decks; quality installations since 2009."),
    # money for a job, not for information
    ("lure.paid_reports", "The post pays £52,000-£58,000 a year plus pension; apply on our careers page."),
    ("lure.paid_reports", "Our product costs £30 per seat each month."),
    # a thank-you for user research on the sender's own product
    (
        "lure.paid_reports",
        "Participants in our usability study get a $40 voucher for an hour of feedback on the new app.",
    ),
    # capped, receipted support
    ("lure.paid_travel", "Speakers may claim up to EUR 900 towards economy travel against receipts."),
    ("lure.paid_travel", "Presenters arrange their own travel and hotels."),
    # innocent mentions of a messenger
    ("lure.off_platform", "Our alumni group is on WhatsApp if you want to join, no pressure."),
    # vetting handled properly
    ("lure.cv_clearance", "SC is needed for the post, and vetting is done after a conditional offer."),
    # negated request for confidential information
    ("lure.nonpublic_request", "We will not ask for any confidential or unpublished material."),
    (
        "lure.nonpublic_request",
        "Experts may not disclose internal or restricted information under our terms.",
    ),
    ("lure.secrecy", "Nothing is off the record and the recording goes on our website."),
    ("lure.secrecy", "It begins with a phone chat between us and then a panel interview."),
    ("lure.cash_crypto_gifts", "Please add the bottle of wine to the gifts register as usual."),
    ("lure.cash_crypto_gifts", "They will present their views on procurement to the panel."),
    ("lure.install_software", "The assessment runs in your browser - no download needed."),
    # (public SMS corpus wording: the writer ran it himself; an order needs a sentence that starts with it)
    ("lure.install_software", "Dai i downloaded but there is only exe file which i can only run that exe after it."),
    ("lure.remote_access", "The interview is an ordinary Teams call with the hiring panel."),
    ("lure.credential_request", "The booking form asks only for your name and dietary needs."),
    ("lure.politician_access", "The session will be introduced by a professor of public law."),
    ("lure.talent_spotting", "Feel free to share the advert with colleagues who might be interested."),
    ("lure.unnamed_client", "We are retained by Halden Marine Systems, our client, for this hire."),
    ("lure.moonlighting", "This is a full-time permanent role based in Bristol."),
    ("lure.moonlighting", "You will remain in your current role until the reorganisation is complete."),
    ("lure.moonlighting", "We are looking for creative, open-minded people; the role involves 40 paid hours a week."),
    ("lure.unnamed_client", "We never pass the names of our candidates to a client without your written consent."),
    ("lure.politician_access", "The minister's diary is full this week, so the hospital visit moves to Tuesday."),
    (
        "lure.talent_spotting",
        "Which of your staff hold clearances due for renewal? Please send names to the vetting office.",
    ),
    (
        "lure.talent_spotting",
        "We are looking for open-minded individuals who can turn disgruntled customers into happy ones.",
    ),
    ("lure.flattery", "Thanks for your message about the seminar dates."),
    ("lure.urgency", "No rush at all - reply whenever suits you."),
    ("lure.vague_contact", "Could you tell me what the application deadline for the PhD programme is?"),
    # job-advert wording behind false alarms on real adverts (EMSCAD, bench/false_alarms.py; decision 0042)
    ("lure.flattery", "Equity options for exceptional candidates and an outstanding chance to learn with you."),
    ("lure.secrecy", "There is no contract between the company and its student ambassadors."),
    ("lure.nonpublic_request", "You are a team player who is interested in the internet of things."),
    ("lure.paid_reports", "Reward every customer with an offer that keeps them in your venue, not background noise."),
    # everyday wording near the widened secrecy, cash, off-platform and travel vocabularies (issue 12, item 6)
    ("lure.secrecy", "Don't forget to let your manager know when you book leave."),
    ("lure.secrecy", "No need to bring your laptop to work tomorrow, the network is down."),
    ("lure.secrecy", "Don't talk about work this weekend, you deserve a rest!"),
    ("lure.secrecy", "If anyone asks, I'm in the meeting room until 3."),
    ("lure.cash_crypto_gifts", "The scholarship covers your tuition fees and a living allowance."),
    ("lure.cash_crypto_gifts", "Complete the staff survey for a chance to win a £50 Amazon gift card."),
    ("lure.cash_crypto_gifts", "Our charity can help with your debts; call the free advice line."),
    ("lure.off_platform", "Follow us on Telegram for event updates."),
    ("lure.off_platform", "Let's move to a private channel in Slack for the launch plan."),
    ("lure.off_platform", "Our customer service team is available on WhatsApp only during office hours."),
    ("lure.paid_travel", "25 days paid holiday plus bank holidays, and occasional travel to client sites."),
    ("lure.paid_travel", "You won two nights at a spa hotel in the staff prize draw!"),
]


@pytest.mark.parametrize(("detector", "text"), POSITIVE)
def test_when_message_shows_indicator_then_detector_fires(detector: str, text: str) -> None:
    assert_fires(detector, approach(text))


@pytest.mark.parametrize(("detector", "text"), NEGATIVE)
def test_when_message_is_ordinary_then_detector_stays_quiet(detector: str, text: str) -> None:
    assert_quiet(detector, approach(text))


def test_when_indicator_is_in_thread_then_evidence_names_the_turn() -> None:
    a = approach(
        "Thanks, talk soon.",
        thread=[
            {"from": "sender", "text": "Hello!"},
            {"from": "sender", "text": "Let's move this chat to WhatsApp, easier for me."},
        ],
    )
    f = assert_fires("lure.off_platform", a)
    assert f.evidence[0].field == "thread[1].text"


def test_when_recipient_writes_the_words_then_sender_is_not_blamed() -> None:
    a = approach(
        "Noted, thanks.",
        thread=[{"from": "recipient", "text": "Can we move this to WhatsApp? I rarely check here."}],
    )
    assert_quiet("lure.off_platform", a)


def test_when_invisible_characters_split_words_then_rules_still_match_and_offsets_hold() -> None:
    text = "Keep this be\u200btween us. We pa\u200by a re\u00adtainer for your no\u200dtes on the committee."
    f = assert_fires("lure.secrecy", approach(text))
    e = f.evidence[0]
    assert e.start == 0 and text[e.start : e.end].startswith("Keep this be\u200btween us")
    assert_fires("lure.paid_reports", approach(text))


#: A sentence of multi-byte characters, and its ASCII twin: rules match UTF-8 bytes, evidence counts characters.
WIDE, TWIN = "Grüße aus Köln ☕ — ça va? ", "Grusse aus Koln * - ca va? "


@pytest.mark.parametrize(("detector", "text"), POSITIVE + NEGATIVE)
def test_when_message_has_multibyte_characters_then_rules_answer_as_for_ascii(detector: str, text: str) -> None:
    for extra in (WIDE + text, text + " " + WIDE):
        ascii_twin = extra.replace(WIDE, TWIN)
        if run(detector, approach(ascii_twin)):
            assert_fires(detector, approach(extra))  # checks each quote against the text at its offsets
        else:
            assert_quiet(detector, approach(extra))


def test_when_negation_is_near_in_characters_but_far_in_bytes_then_it_still_negates() -> None:
    rule = from_spec(
        {
            "id": "test.payment",
            "title": "t",
            "severity": "low",
            "explanation": "e",
            "guidance": "g",
            "sources": ["invented"],
            "match": {"all_of": [[r"\bpayment\b"]]},
        },
        "test",
    )
    # Two-byte characters: within NEGATION_REACH characters of the cue, though more bytes away.
    near = "We do not " + "é" * (NEGATION_REACH - 20) + " offer payment."
    far = "We do not " + "é" * (NEGATION_REACH + 10) + " offer payment."
    assert len(near.encode()) - len(near) > 30
    assert list(rule.detect(approach(near), Context())) == []
    (finding,) = rule.detect(approach(far), Context())
    e = finding.evidence[0]
    assert e.start is not None and e.end is not None and far[e.start : e.end] == far
