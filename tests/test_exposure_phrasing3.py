"""Truth tables for the phrasing families of issue 13's third round (casebook/exposure/profiles_dev3.jsonl):
a level alone in brackets after a title, a level after the person's employer and a comma, dotted abbreviations
with their settling word, a level the person calls theirs or that a history says it became, and people who manage
or oversee other people's clearances. Every case is invented for this file, none copied from the casebook."""

from __future__ import annotations

from typing import Any

import pytest

from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure import DETECTORS
from counterpitch.model import Profile

DETECTOR = {d.meta.id: d for d in DETECTORS}


def clearances(**fields: Any) -> set[str]:
    p = Profile.model_validate({"id": "phrasing3", **fields})
    return {f.value or "" for f in DETECTOR["exposure.clearance"].detect(p, Context())}


# --- a level alone in brackets after a title, in a vetting-bearing profile ---------------------------------------

BRACKETED = [
    (
        {"headline": "Firmware engineer (DV)", "about": "Work for the Royal Navy.", "location": "Portsmouth, England"},
        {"UK:DV"},
    ),
    (
        {
            "headline": "Test analyst (NV1)",
            "experience": [{"title": "Test Analyst", "company": "Department of Defence"}],
            "location": "Canberra, Australia",
        },
        {"AU:NV1"},
    ),
    (
        {"headline": "Desktop support (SC)", "about": "Laptops for MOD users.", "location": "Andover, England"},
        {"UK:SC"},
    ),
]
NOT_BRACKETED = [
    {"headline": "Solar designer (PV)", "location": "Perth, Australia"},
    {"headline": "Support worker (DV)", "about": "Domestic abuse refuge.", "location": "Leeds, England"},
    {"headline": "Realtor (SC)", "location": "Charleston, South Carolina, United States"},
    {"headline": "Chef (Secret)", "location": "London, England"},
    {"headline": "Editor (DV)", "about": "Wedding films.", "location": "Leeds, England"},
]


@pytest.mark.parametrize(("fields", "expected"), BRACKETED)
def test_when_a_level_stands_alone_in_brackets_in_a_vetting_bearing_profile_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", NOT_BRACKETED)
def test_when_a_bracketed_token_has_no_defence_or_government_work_around_it_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()


# --- a level after the person's own employer and a comma: no place ----------------------------------------------

AFTER_EMPLOYER = [
    (
        {
            "headline": "Mission planner at Babcock, SC",
            "experience": [{"title": "Planner", "company": "Babcock"}],
            "location": "Devonport, England",
        },
        {"UK:SC"},
    ),
    (
        {
            "headline": "Sonar technician, Thales UK, SC.",
            "experience": [{"title": "Technician", "company": "Thales UK"}],
            "location": "Templecombe, England",
        },
        {"UK:SC"},
    ),
]
PLACES = [
    {
        "headline": "Estate agent at Coastal Homes, SC",
        "experience": [{"title": "Agent", "company": "Coastal Homes"}],
        "location": "Myrtle Beach, South Carolina, United States",
    },
    {"headline": "Barista at Greenville, SC", "location": "Bristol, England"},
    {
        "headline": "Logistics at Babcock; grew up in Florence, SC",
        "experience": [{"title": "Planner", "company": "Babcock"}],
        "location": "Rosyth, Scotland",
    },
]


@pytest.mark.parametrize(("fields", "expected"), AFTER_EMPLOYER)
def test_when_a_level_follows_the_persons_employer_and_a_comma_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", PLACES)
def test_when_a_capitalised_place_and_a_comma_lead_to_sc_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert clearances(**fields) == set()


# --- dotted abbreviations with their settling word ---------------------------------------------------------------

DOTTED = [
    ({"about": "s.c cleared since 2012.", "location": "Leeds, England"}, {"UK:SC"}),
    ({"headline": "D.V cleared analyst", "location": "Cheltenham, England"}, {"UK:DV"}),
    ({"about": "tester, d.v. clearance, red team", "location": "Hereford, England"}, {"UK:DV"}),
    ({"about": "c.i. poly, 2020", "location": "Laurel, Maryland, United States"}, {"US:POLY_CI"}),
]


@pytest.mark.parametrize(("fields", "expected"), DOTTED)
def test_when_an_abbreviation_is_dotted_beside_its_settling_word_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- a level the person calls theirs, or that a history says it became --------------------------------------------

OWNED = [
    ({"about": "My DV lapsed last year when I left the Navy.", "location": "Leeds, England"}, {"UK:DV"}),
    ({"about": "My SC went with me from the RAF to industry.", "location": "Lincoln, England"}, {"UK:SC"}),
    (
        {"about": "Joined with Baseline; it later became NV1.", "location": "Canberra, Australia"},
        {"AU:BASELINE", "AU:NV1"},
    ),
    (
        {
            "about": "Started on Reliability Status, which became Secret in 2015.",
            "location": "Halifax, Nova Scotia, Canada",
        },
        {"CA:RELIABILITY", "CA:SECRET"},
    ),
]
NOT_OWNED = [
    {"about": "My DV caseload is full.", "location": "Leeds, England"},
    {"about": "My Baseline was 120 bpm.", "location": "Perth, Australia"},
    {"about": "My secret recipe came from my gran.", "location": "Perth, Australia"},
    {"about": "My PV panels went up in May.", "location": "Adelaide, Australia"},
]


@pytest.mark.parametrize(("fields", "expected"), OWNED)
def test_when_a_person_calls_a_level_theirs_or_a_history_says_it_became_one_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", NOT_OWNED)
def test_when_my_stands_before_an_everyday_sense_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert clearances(**fields) == set()


# --- other people's clearances, managed or overseen ----------------------------------------------------------------

OTHERS = [
    {"about": "I manage NV1 and NV2 clearances for 80 staff.", "location": "Canberra, Australia"},
    {"about": "I oversee SC renewals for the programme.", "location": "London, England"},
    {"about": "FSO: manages Secret and Top Secret clearances, DISS.", "location": "Dayton, Ohio, United States"},
    {"about": "Overseeing NZ Secret vetting for a ministry.", "location": "Wellington, New Zealand"},
]
OWN = [
    ({"about": "I manage a team; SC cleared.", "location": "London, England"}, {"UK:SC"}),
    ({"about": "Managing Director. DV cleared.", "location": "London, England"}, {"UK:DV"}),
    ({"headline": "Security manager, NATO Secret", "location": "Brussels, Belgium"}, {"NATO:SECRET"}),
]


@pytest.mark.parametrize("fields", OTHERS)
def test_when_a_person_manages_or_oversees_other_peoples_clearances_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()


@pytest.mark.parametrize(("fields", "expected"), OWN)
def test_when_a_manager_states_their_own_clearance_then_it_is_found(fields: dict[str, Any], expected: set[str]) -> None:
    assert clearances(**fields) == expected


# --- programmes: organisations named after a term, policy institutes, a class by its first ship -----------------

TERMS = (
    "Harrier class = Harrier-class corvette | corvette, hull",
    "Lantern = Future Littoral Sensor = FLSN | sensor, littoral",
    "Beacon",
    "Kite | drone, UAV, loitering",
    "Falcon Reach | sonar, trials",
    "MERIDIAN 4",
)


def projects(**fields: Any) -> set[str]:
    p = Profile.model_validate({"id": "phrasing3", **fields})
    return {f.value or "" for f in DETECTOR["exposure.sensitive_project"].detect(p, Context(sensitive_terms=TERMS))}


INVOLVED = [
    ({"about": "Four years fitting out hulls for Harrier at the yard.", "headline": "Shipwright"}, {"Harrier class"}),
    ({"about": "Harrier-class corvette combat systems integration."}, {"Harrier class"}),
    ({"about": "Loitering drone autopilot work on Kite."}, {"Kite"}),
    (
        {"headline": "Defence reporter", "about": "Reporter now; before that I was on the MERIDIAN 4 team at Thales."},
        {"MERIDIAN 4"},
    ),
    ({"about": "Sonar trials lead, Falcon Reach, since 2022."}, {"Falcon Reach"}),
    ({"about": "Part of the FLSN team in Portsmouth."}, {"Lantern"}),
    ({"about": "Buyer for the Beacon programme since 2022."}, {"Beacon"}),
    ({"about": "Stress engineer on the Beacon program's ground station."}, {"Beacon"}),
]
NOT_INVOLVED = [
    {
        "headline": "Editor, Kite Publishing",
        "about": "Books on drones and UAV history.",
        "experience": [{"title": "Editor", "company": "Kite Publishing"}],
    },
    {"about": "Instructor at the Falcon Reach Surf School; sonar-free zone.", "headline": "Surf coach, ex-Navy"},
    {"headline": "Analyst, RUSI", "about": "Open-source analysis of Harrier class corvette costs."},
    {
        "headline": "Research analyst",
        "about": "MERIDIAN 4 budget lines, reviewed from public data.",
        "experience": [{"title": "Analyst", "company": "Lowy Institute"}],
    },
    {"about": "Hull surveys in the Harrier Valley; Royal Navy reservist.", "headline": "Surveyor"},
    {"name": "Sam Harrier", "about": "Corvette hull welder at Babcock.", "headline": "Welder"},
    {"about": "I write about defence; the MERIDIAN 4 delays are my latest piece."},
    {"about": "Lantern festival volunteer; flsn is my gamer tag."},
    {"about": "Beacon of hope for the community; lighthouse keeper."},
    {"about": "Coordinator of the beacon programme for youth clubs."},
]


@pytest.mark.parametrize(("fields", "expected"), INVOLVED)
def test_when_a_person_works_on_a_programme_by_any_of_its_names_then_its_short_name_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert projects(**fields) == expected


@pytest.mark.parametrize("fields", NOT_INVOLVED)
def test_when_a_term_names_a_firm_a_place_a_person_or_an_institutes_subject_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert projects(**fields) == set()


# --- vetting staff: the levels they handle, and the ones they hold ------------------------------------------------

HANDLED = [
    {"headline": "Personnel Vetting Officer | SC | DV | CTC", "location": "Glasgow, Scotland"},
    {"about": "Vetting caseworker, AGSVA. NV1 and NV2 assessments.", "location": "Canberra, Australia"},
    {
        "about": "I run the clearance office: TS/SCI and Secret investigations.",
        "location": "Reston, Virginia, United States",
    },
    {"about": "Coaching new officers on NV1 and NV2 processes.", "location": "Canberra, Australia"},
    {"headline": "Clearance adjudicator · Secret · Top Secret", "location": "Boyers, Pennsylvania, United States"},
    {"about": "Lecturer on the history of Top Secret clearances in the Cold War.", "location": "Oxford, England"},
]
HELD_BY_VETTING_STAFF = [
    ({"headline": "Vetting officer | DV cleared", "location": "York, England"}, {"UK:DV"}),
    ({"headline": "Background investigator, active Secret", "location": "Dayton, Ohio, United States"}, {"US:SECRET"}),
]


@pytest.mark.parametrize("fields", HANDLED)
def test_when_vetting_staff_name_the_levels_they_handle_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert clearances(**fields) == set()


@pytest.mark.parametrize(("fields", "expected"), HELD_BY_VETTING_STAFF)
def test_when_vetting_staff_state_their_own_level_with_a_context_word_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- firm names after NATO Secret; lower-case eDV; "I'm" before an acronym -------------------------------------------

MORE = [
    ({"headline": "Engineer at NATO Secret Squirrel Labs", "location": "Mons, Belgium"}, set()),
    ({"about": "NATO Secret Clearance, 2018.", "location": "Mons, Belgium"}, {"NATO:SECRET"}),
    ({"about": "edv cleared since 2016", "location": "Cheltenham, England"}, {"UK:eDV"}),
    ({"about": "I'm SC and NPPV3 vetted.", "location": "Bath, England"}, {"UK:SC", "UK:NPPV3"}),
    ({"about": "I'm DV.", "location": "Bath, England"}, {"UK:DV"}),
    ({"about": "I am SC based in Bath.", "location": "Bath, England"}, set()),
]


@pytest.mark.parametrize(("fields", "expected"), MORE)
def test_when_a_level_word_names_a_firm_or_an_owner_states_it_then_only_the_clearance_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- a level after "with" at the end of a clause: what the person is, or what they work with -----------------------

WITH_HELD = [
    ({"about": "Civil servant at the Home Office with SC", "location": "Croydon, England"}, {"UK:SC"}),
    (
        {"about": "Logistics officer for National Defence with Secret", "location": "Kingston, Ontario, Canada"},
        {"CA:SECRET"},
    ),
    ({"about": "Navy veteran with PV", "location": "Darwin, Northern Territory, Australia"}, {"AU:PV"}),
]
WITH_WORKED = [
    {"about": "Police officer working with DV.", "location": "Leeds, England"},
    {"about": "Police constable; I deal with DV.", "location": "Leeds, England"},
    {"about": "Police caseworker experienced with DV.", "location": "Leeds, England"},
    {"about": "Government contractor in Columbia with SC", "location": "Columbia, South Carolina, United States"},
    {"about": "Wedding filmmaker with DV", "location": "Leeds, England"},
]


@pytest.mark.parametrize(("fields", "expected"), WITH_HELD)
def test_when_a_vetting_bearing_clause_ends_with_a_level_after_with_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", WITH_WORKED)
def test_when_with_joins_a_level_to_what_the_person_does_or_a_place_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()
