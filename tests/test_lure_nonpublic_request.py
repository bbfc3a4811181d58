"""Truth table for `lure.nonpublic_request`: it fires on what is asked for (material that is not public by what it
is or whose it is), never on a lone word ("schedule", "draft", "trials", "questionnaire", "sensitive") or on the
recipient's own views. Invented wording, written for these tests (not from a casebook)."""

from __future__ import annotations

import pytest

from counterpitch.engine import Engine
from tests.helpers import approach, assert_fires, assert_quiet

RULE = "lure.nonpublic_request"

#: An ask whose object is the recipient's organisation's or officials' non-public material.
FIRES = [
    "Could you forward me your department's draft guidance on export licences?",
    "I'd love a copy of the internal schedule for the minister's visit next week.",
    "Please send the unpublished results from your latest engine tests.",
    "My client wants to know which firms are on the shortlist for the bridge contract.",
    "Can you tell me what the cabinet discussed in private about the tariff?",
    "It would help us to see the procurement scoring before the award is announced.",
    "Would you share the technical specifications of the new radar your team is building?",
    "What does your minister really think about the deal?",
    "Let me know who attended the closed meeting with the regulator.",
    "Please list the names of the engineers working on the sonar upgrade.",
    "Any colour on what the committee is saying before it is announced would be great.",
    "I'd appreciate an early look at the regulator's findings before publication.",
    "Which ministers are wavering on the bill?",
    "Do you have the Secretary of State's diary for the week of the summit?",
    "We would value a short note on how the evaluation panel is scoring the bids.",
    "Could you send over the minutes of the board's closed session?",
    # non-native phrasings: articles dropped, verb forms off
    "pls u send me internal schedule of minister for next week",
    "My boss want know what is thinking inside ministry about new law.",
    "Can you share draft report of committee before it publish?",
    "Is possible you give me list of attendee for closed session?",
    "Need the numbers before they are published, can pay well.",
]

#: The same asks told in an account, in the reporter's words (reported speech).
TOLD = [
    "She asked me for the internal schedule of the delegation.",
    "He kept pressing our analyst about the committee's draft recommendations.",
    "The caller wanted to know what the minister says about the bid in private.",
    "A man offered my colleague money for a copy of the unpublished audit.",
    "They asked her to send the list of officials travelling with the minister.",
]

#: Ordinary mail with the rule's old trigger words, or an ask for the recipient's own views on public matters.
QUIET = [
    # the user-research invitation that went high through `payment_for_nonpublic`
    "We're looking for five people to give 30-45 minutes of their time to test the tool and share their honest "
    "thoughts, with a $50 Amazon gift card as a thank you.",
    "Could you share your honest feedback on our new dashboard?",
    "What do you really think about the new pension rules?",
    "Please send me your availability and I will schedule the interview.",
    "I will share the draft agreement before we sign.",
    "Please fill in the short questionnaire about your experience with our app.",
    "Our trials run on Tuesdays; please bring trainers.",
    "Could you confirm the parameters of the role, such as hours and location?",
    "This is a sensitive topic, so please take your time replying.",
    "Please keep this information internal until the results are announced.",
    "Which of these dates will work for you?",
    "Could you send the published annual report and the public schedule of hearings?",
    "Have your say on the draft transport plan before the consultation closes.",
    "We'll share our findings with you before publication.",
    "Let us know in confidence if you need any adjustments for the interview.",
    "Would you be willing to review our draft paper before we submit it?",
    "You will prepare internal reports and briefings for senior management.",
    "Please don't send us anything confidential or unpublished.",
    "If a client asks for internal documents, end the call and tell us.",
    "Please return the signed contract; the draft agreement is attached.",
    "Could you tell me which topics you are most interested in?",
    "Would love to hear your views on the published strategy.",
    # what public bodies publish, asked for by name
    "Could you explain the government's position on the new tariffs for our readers?",
    "Could you send me the link to the committee's published report?",
    "Can you tell me what was said at the public hearing on Monday?",
    "Could you share the list of participants for the workshop so we can plan seating?",
    "Could you share the raw data behind your published paper so we can replicate the analysis?",
    "Could you meet us inside the building at the main reception?",
    "Please send me the minister's published diary for June.",
    "The minister's schedule for the conference is on the public website; could you check the timing?",
    "We'd love to hear what you think about the draft guidance that is out for consultation.",
    "Could you tell me who is on the panel for Thursday's public event?",
    "Could you let me know before the results are announced whether I passed?",
    # the sender's own material, or work the recipient does for the sender
    "Please share your thoughts on the unpublished manuscript I sent you for peer review.",
    "Could you review our confidential proposal and let us know your fee?",
    "Please send the signed NDA before we share the confidential brief with you.",
    "What's the status of the draft report you are writing for us?",
    "Could you send me an advance copy of your book before it comes out? I'd love to review it.",
    "We would like to interview you about the unpublished history of the shipyard for our documentary.",
    "Our expert network only asks about public information; we never want internal or confidential material.",
    # a job's duties, and ordinary chat
    "Are you organised, discreet and able to manage the Minister's diary and travel plans?",
    "Do you want to work with sensitive data in a secure environment?",
    "Could you join our internal data team for the spring project?",
    "Can you send me the song before it's out?",
    "Did you see the leaked photos?",
    "Not sure where his head is at, can you ask him?",
    "Let me know anything you pick up at the shop.",
    "What are the names of the people coming tonight?",
    "Who is going to the dinner tonight?",
    "Sorry about the delivery delays, can you wait until Monday?",
    "We'd love to help with the challenges your team is facing - could we book a call?",
    "Can you tell me your exam results before they are published on the portal?",
]

#: Accounts of ordinary asks: the reporter's own views, a public document.
TOLD_QUIET = [
    "She asked me for my thoughts on the published strategy.",
    "He asked whether I could join a user-research session and share my views on the app.",
    "The organiser asked me to send my slides before the conference.",
]


@pytest.mark.parametrize("text", FIRES)
def test_when_the_ask_is_for_non_public_material_then_it_fires(text: str) -> None:
    assert_fires(RULE, approach(text))


@pytest.mark.parametrize("text", TOLD)
def test_when_the_ask_is_told_in_an_account_then_it_fires(text: str) -> None:
    assert_fires(RULE, approach(account=text))


@pytest.mark.parametrize("text", QUIET)
def test_when_the_object_is_public_or_the_recipients_own_view_then_it_stays_quiet(text: str) -> None:
    assert_quiet(RULE, approach(text))


@pytest.mark.parametrize("text", TOLD_QUIET)
def test_when_an_account_tells_an_ordinary_ask_then_it_stays_quiet(text: str) -> None:
    assert_quiet(RULE, approach(account=text))


def test_when_a_user_research_invitation_offers_a_gift_card_then_it_is_not_high(engine: Engine) -> None:
    """Thanks in a gift card (lure.cash_crypto_gifts) plus an ask for honest thoughts is not payment for
    non-public information: the decisive `payment_for_nonpublic` must not make it high."""
    text = (
        "Hi Priya, we're redesigning our expense-tracking app and would love 30-45 minutes of your time to test "
        "the tool and share your honest thoughts. As a thank you, every participant gets a $50 Amazon gift card. "
        "Please reply with a couple of times that suit you."
    )
    result = engine.assess(approach(text))
    assert RULE not in {f.detector for f in result.findings}
    assert result.band != "high"
