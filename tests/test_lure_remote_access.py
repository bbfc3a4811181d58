"""Truth table for `lure.remote_access`: someone controlling or viewing the recipient's machine (a remote-control
tool, a connection into their computer, taking control, a shared screen meant to show their work environment or to
fix or install something), never a video call for a remote interview or session. Invented wording, written for
these tests (not from a casebook)."""

from __future__ import annotations

import pytest

from counterpitch.engine import Engine
from tests.helpers import approach, assert_fires, assert_quiet

RULE = "lure.remote_access"

FIRES = [
    "Please install AnyDesk and send me the code so I can check your setup.",
    "Let me take control of your laptop for a minute to fix the driver.",
    "Share your screen from your work laptop so our engineer can install the update.",
    "Our technician will connect to your computer before the interview to prepare the test.",
    "We need remote access to your workstation to run the assessment.",
    "Open a remote session so I can fix your environment.",
    "During the exercise you share your screen and we control it remotely.",
    "Please share your screen so that our lead can see your tools and project files.",
    # non-native phrasings
    "pls give me remote control of your pc for the test",
    "for interview we need see your screen and your files",
]

TOLD = [
    "He asked me to install TeamViewer so he could look at my laptop.",
    "The recruiter wanted to take over my computer to set up the test.",
    "She wanted remote access to my work laptop for the coding round.",
]

QUIET = [
    # the video-call invitation that went high
    "Remote session - I'll send you a Zoom link.",
    "The interview is remote; I'll send a Teams link the day before.",
    "Please share your screen to walk us through your slides.",
    "Join the Webex call and share your screen when you present your portfolio.",
    "Our staff use remote access with the Authenticator app to reach email from home.",
    "We are hiring a network engineer to secure remote access for vendors.",
    "You can work remotely two days a week.",
    "Please connect to the Zoom call five minutes early.",
    "I'll share my screen to show you the job description.",
    "The session is on Google Meet; no software to install.",
    "The technical round is a remote session on Teams where you share your screen and talk through your code.",
    "Please share your screen during the presentation so the panel can follow your slides.",
    "We can do a remote session on Google Meet if travel is difficult.",
    "Can you see my screen now?",
    "Remote access to the lab is available via the university VPN.",
    # a job's duties and skills
    "You will provide remote support to customers using TeamViewer and ServiceNow.",
    "Experience with remote desktop tools and Active Directory is essential.",
]

TOLD_QUIET = [
    "She invited me to a remote interview on Google Meet.",
    "He sent a Zoom link for a remote session on Thursday.",
]


@pytest.mark.parametrize("text", FIRES)
def test_when_someone_would_control_or_view_the_machine_then_it_fires(text: str) -> None:
    assert_fires(RULE, approach(text))


@pytest.mark.parametrize("text", TOLD)
def test_when_remote_access_is_told_in_an_account_then_it_fires(text: str) -> None:
    assert_fires(RULE, approach(account=text))


@pytest.mark.parametrize("text", QUIET)
def test_when_it_is_a_video_call_or_a_topic_then_it_stays_quiet(text: str) -> None:
    assert_quiet(RULE, approach(text))


@pytest.mark.parametrize("text", TOLD_QUIET)
def test_when_an_account_tells_of_a_video_call_then_it_stays_quiet(text: str) -> None:
    assert_quiet(RULE, approach(account=text))


def test_when_a_remote_interview_is_arranged_on_zoom_then_it_is_not_high(engine: Engine) -> None:
    text = (
        "Thanks for applying to the analyst role. Remote session - I'll send you a Zoom link for Thursday at "
        "10:00, and we'll talk through your experience for about 40 minutes."
    )
    result = engine.assess(approach(text))
    assert RULE not in {f.detector for f in result.findings}
    assert result.band != "high"
