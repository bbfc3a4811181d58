"""Truth tables for the sender-profile indicators (family `persona`). Invented people and firms."""

from __future__ import annotations

from typing import Any

import pytest

from counterpitch.model import Approach
from tests.helpers import approach, assert_fires, assert_quiet, run


def sent(sender: dict[str, Any], *, whole: bool = False, **extra: Any) -> Approach:
    """An approach from `sender`; `whole` as if their profile had been read from a saved LinkedIn PDF."""
    a = approach("Hello, may we talk?", sender=sender, sent_at="2026-03-10T09:00:00Z", **extra)
    return a.with_sender_read_whole() if whole else a


ESTABLISHED = {
    "name": "Harriet Oyelaran",
    "headline": "Partner, Board Practice",
    "company": "Fenwick Lyle Search",
    "connections": 2400,
    "account_created": "2012-05",
    "experience": [
        {"title": "Partner", "company": "Fenwick Lyle Search", "start": "2017-01"},
        {"title": "Consultant", "company": "Marlow Hale", "start": "2011-03", "end": "2016-12"},
    ],
}

POSITIVE = [
    ("persona.thin_profile", {**ESTABLISHED, "connections": 23}),
    ("persona.thin_profile", {**ESTABLISHED, "account_created": "2026-01"}),
    (
        "persona.thin_profile",
        {**ESTABLISHED, "account_created": "2015-11", "experience": [{"title": "Director", "start": "2015-10"}]},
    ),
    ("persona.cover_company", {**ESTABLISHED, "company": "Meridian Executive Search"}),
    ("persona.cover_company", {**ESTABLISHED, "company": "Centre for Euro-Pacific Strategic Studies"}),
    ("persona.cover_company", {**ESTABLISHED, "company": "Global Horizon Partners"}),
    ("persona.lookalike_company", {**ESTABLISHED, "company": "Booz Allan Hamiltan"}),
    ("persona.lookalike_company", {**ESTABLISHED, "company": "Northrup Grumann Ltd"}),
    ("persona.name_format", {**ESTABLISHED, "name": "jenny wu"}),
    ("persona.name_format", {**ESTABLISHED, "name": "MARK ELLIS"}),
    ("persona.name_format", {**ESTABLISHED, "name": "Sam_Taylor88"}),
    ("persona.webmail_sender", {**ESTABLISHED, "email": "fenwick.partner@gmail.com"}),
]

#: The same person with their work history simply not pasted.
NO_HISTORY_PASTED = {k: v for k, v in ESTABLISHED.items() if k != "experience"}

NEGATIVE = [
    ("persona.thin_profile", ESTABLISHED),
    ("persona.thin_profile", {**ESTABLISHED, "account_created": None}),
    # Missing is not evidence: a work history that was not pasted, or a form's empty list, says nothing.
    ("persona.thin_profile", {**NO_HISTORY_PASTED, "connections": 3200}),
    ("persona.thin_profile", {**NO_HISTORY_PASTED, "connections": 3200, "experience": []}),
    ("persona.thin_profile", NO_HISTORY_PASTED),
    ("persona.thin_profile", {"name": "Ana Ruiz", "headline": "Talent Partner"}),
    ("persona.thin_profile", {"name": "Ana Ruiz", "headline": "Talent Partner", "experience": []}),
    ("persona.thin_profile", {"name": "Ana Ruiz", "headline": "Talent Partner", "connections": 300, "experience": []}),
    (
        "persona.thin_profile",
        {**ESTABLISHED, "account_created": "2015-01", "experience": [{"title": "Partner", "start": "2019-06"}]},
    ),
    ("persona.cover_company", ESTABLISHED),
    ("persona.cover_company", {**ESTABLISHED, "company": "University of Leeds"}),
    ("persona.lookalike_company", {**ESTABLISHED, "company": "Northrop Grumman"}),
    ("persona.lookalike_company", {**ESTABLISHED, "company": "Hartley Marine Engineering"}),
    ("persona.name_format", ESTABLISHED),
    ("persona.name_format", {**ESTABLISHED, "name": "Zhang Wei"}),
    ("persona.name_format", {**ESTABLISHED, "name": "Siobhán Ní Bhriain"}),
    ("persona.webmail_sender", {**ESTABLISHED, "email": "h.oyelaran@fenwicklyle.co.uk"}),
]


#: Profiles read whole (a saved LinkedIn PDF): only there is an empty work history the sender's own "none".
WHOLE_POSITIVE = [
    {"name": "Ana Ruiz", "headline": "Talent Partner", "experience": []},
    {"name": "Ana Ruiz", "company": "Meridian Partners", "experience": [], "education": [], "skills": []},
]

WHOLE_NEGATIVE = [
    ESTABLISHED,
    {"name": "Ana Ruiz", "headline": "Talent Partner"},  # an Experience section that could not be read
    {"name": "Ana Ruiz", "experience": []},  # nothing to be thin about: no role claimed at all
    {"headline": "Talent Partner", "experience": []},
]


@pytest.mark.parametrize(("detector", "sender"), POSITIVE)
def test_when_profile_shows_indicator_then_detector_fires(detector: str, sender: dict[str, Any]) -> None:
    assert_fires(detector, sent(sender))


@pytest.mark.parametrize(("detector", "sender"), NEGATIVE)
def test_when_profile_is_ordinary_then_detector_stays_quiet(detector: str, sender: dict[str, Any]) -> None:
    assert_quiet(detector, sent({k: v for k, v in sender.items() if v is not None}))


@pytest.mark.parametrize("sender", WHOLE_POSITIVE)
def test_when_profile_read_whole_shows_no_work_history_then_thin_profile_fires(sender: dict[str, Any]) -> None:
    f = assert_fires("persona.thin_profile", sent(sender, whole=True))
    assert [e.field for e in f.evidence] == ["sender.experience"]
    assert "no work history" in f.explanation


@pytest.mark.parametrize("sender", WHOLE_NEGATIVE)
def test_when_profile_read_whole_shows_history_or_none_was_read_then_thin_profile_stays_quiet(
    sender: dict[str, Any],
) -> None:
    assert_quiet("persona.thin_profile", sent(sender, whole=True))


def test_when_many_connections_and_no_history_pasted_then_no_thin_finding_at_any_strength() -> None:
    """The issue's case: 3,200 connections, a recruiter's headline, work history not pasted."""
    sender = {"name": "Ana Ruiz", "headline": "Talent Partner", "company": "Meridian Partners", "connections": 3200}
    for given in ({}, {"experience": []}, {"experience": [], "education": [], "skills": []}):
        assert run("persona.thin_profile", sent({**sender, **given})) == []


def test_when_headhunter_headline_shares_nothing_with_recipient_then_mismatch_fires() -> None:
    a = sent(
        {**ESTABLISHED, "headline": "Senior Headhunter", "company": "Apex Talent"},
        recipient={
            "headline": "Parliamentary Researcher, Treasury Committee",
            "organisation": "House of Commons",
        },
    )
    assert_fires("persona.intermediary_mismatch", a)


HEADHUNTER = {**ESTABLISHED, "headline": "Senior Headhunter", "company": "Apex Talent"}
RESEARCHER = {"headline": "Parliamentary Researcher, Treasury Committee", "organisation": "House of Commons"}


@pytest.mark.parametrize(
    ("sender", "recipient"),
    [
        ({k: v for k, v in HEADHUNTER.items() if k != "company"}, RESEARCHER),  # the firm may be in their field
        (HEADHUNTER, {"headline": RESEARCHER["headline"]}),  # the shared word may be in the organisation
        (HEADHUNTER, {"organisation": RESEARCHER["organisation"]}),
        (HEADHUNTER, {"headline": "", "organisation": "House of Commons"}),
        (HEADHUNTER, None),
    ],
)
def test_when_either_side_is_partly_unknown_then_mismatch_stays_quiet(
    sender: dict[str, Any], recipient: dict[str, Any] | None
) -> None:
    """'Nothing in common' is judged only on both sides in full: a missing field may hold the common word."""
    extra = {"recipient": recipient} if recipient is not None else {}
    assert_quiet("persona.intermediary_mismatch", sent(sender, **extra))


def test_when_recruiter_works_in_recipients_field_then_mismatch_stays_quiet() -> None:
    a = sent(
        {**ESTABLISHED, "headline": "Recruiter, naval engineering", "company": "Tamar Naval Engineering"},
        recipient={"headline": "Senior Mechanical Engineer, naval platforms", "organisation": "Devonport Yard"},
    )
    assert_quiet("persona.intermediary_mismatch", a)


@pytest.mark.parametrize("location", ["London, United Kingdom", "Shanghai, China", "Hong Kong", "Singapore"])
def test_when_only_location_changes_then_persona_findings_do_not(location: str) -> None:
    ids = ["persona.thin_profile", "persona.cover_company", "persona.name_format", "persona.intermediary_mismatch"]
    base = sent({**ESTABLISHED, "location": "London, United Kingdom"})
    moved = sent({**ESTABLISHED, "location": location})
    assert [len(run(i, base)) for i in ids] == [len(run(i, moved)) for i in ids]


def test_when_all_signs_of_a_made_up_profile_show_then_one_finding_at_full_strength() -> None:
    thin = {
        "name": "K Lee",
        "headline": "Consultant",
        "connections": 12,
        "account_created": "2026-01",
        "experience": [{"title": "Consultant", "start": "2026-01"}],
    }
    found = run("persona.thin_profile", sent(thin))
    assert len(found) == 1
    assert found[0].strength == 1.0
    assert {e.field for e in found[0].evidence} == {
        "sender.connections",
        "sender.account_created",
        "sender.experience[0].start",
    }


def test_when_only_one_sign_shows_then_strength_is_partial() -> None:
    (f,) = run("persona.thin_profile", sent({**ESTABLISHED, "connections": 60}))
    assert 0 < f.strength < 0.5
