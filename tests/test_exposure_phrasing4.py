"""Truth tables for the phrasing families of issue 13's fourth round (casebook/exposure/profiles_dev4.jsonl):
dotted letter+digit levels, misspellings that are real words, a clearance told as an event, lab and product codes
that share a level's letters, histories and lists, and willingness kept apart from a level held. Every case is
invented for this file (none is copied from the casebook), across the UK, US, AU, CA, NZ and NATO schemes."""

from __future__ import annotations

from typing import Any

import pytest

from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure import DETECTORS
from counterpitch.detectors.exposure.lists import CLEARANCES
from counterpitch.model import Profile

DETECTOR = {d.meta.id: d for d in DETECTORS}
AU, UK, US = "Townsville, Queensland, Australia", "Plymouth, England", "Dayton, Ohio, United States"
CA, NZ = "Halifax, Nova Scotia, Canada", "Christchurch, New Zealand"


def clearances(**fields: Any) -> set[str]:
    p = Profile.model_validate({"id": "phrasing4", **fields})
    return {f.value or "" for f in DETECTOR["exposure.clearance"].detect(p, Context())}


def explained(**fields: Any) -> list[str]:
    p = Profile.model_validate({"id": "phrasing4", **fields})
    return [f.explanation for f in DETECTOR["exposure.clearance"].detect(p, Context())]


# --- dotted letter+digit levels ----------------------------------------------------------------------------------

DOTTED = [
    ({"about": "Logistics officer with Defence, n.v.1 current.", "location": AU}, {"AU:NV1"}),
    ({"headline": "Test engineer | N.V.2 | Defence", "location": AU}, {"AU:NV2"}),
    ({"about": "Holds an N.V. 1 clearance.", "location": AU}, {"AU:NV1"}),
    ({"about": "Vetted to n.v 2 since 2020.", "location": AU}, {"AU:NV2"}),
    ({"about": "Custody officer; vetting held n.p.p.v.2.", "location": UK}, {"UK:NPPV2"}),
    ({"headline": "Assurance lead | e.d.v. | Cheltenham", "location": UK}, {"UK:eDV"}),
    ({"about": "d.v. cleared and based in Bristol.", "location": UK}, {"UK:DV"}),
    ({"about": "Background checks: s.s.b.i. adjudicated 2018.", "location": US}, {"US:TOP_SECRET"}),
]
NOT_DOTTED = [
    # a series of lab or catalogue codes sharing the letters
    {"about": "Our kits run n.v.1 to n.v.8; ask for the colour chart.", "location": AU},
    {"about": "Samples NV1 to NV12 went to the sequencer.", "location": AU},
    # a dotted token with its everyday sense and no context
    {"about": "Injected s.c. twice daily.", "location": UK},
    {"about": "Retired, d.v. (God willing) back on the allotment in spring.", "location": UK},
]


@pytest.mark.parametrize(("fields", "expected"), DOTTED)
def test_when_a_letter_digit_level_is_dotted_then_it_is_found(fields: dict[str, Any], expected: set[str]) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", NOT_DOTTED)
def test_when_dotted_letters_are_a_code_series_or_an_everyday_abbreviation_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()


def test_when_an_abbreviation_is_dotted_then_the_dotted_copy_has_its_own_rare_anchor() -> None:
    anchors = {g.anchor for g in CLEARANCES.groups}
    assert {"n.v", "n.p", "e.d"} <= anchors


# --- misspellings that are real words --------------------------------------------------------------------------

CONFUSED = [
    ({"about": "Active Top Secrete clearance, Air Force contractor.", "location": US}, {"US:TOP_SECRET"}),
    ({"about": "Secrete clearance with the Navy since 2016.", "location": US}, {"US:SECRET"}),
    ({"about": "Hold a current Secrete (Level II).", "location": CA}, {"CA:SECRET"}),
    ({"about": "NZ Secrete cleared, defence estate projects.", "location": NZ}, {"NZ:SECRET"}),
    ({"about": "Cleared NATO Secrete for SHAPE postings.", "location": "Mons, Belgium"}, {"NATO:SECRET"}),
    ({"about": "SC cleaned 2019, renewed 2024.", "location": UK}, {"UK:SC"}),
    ({"about": "Positiv Vetting held since 2012.", "location": AU}, {"AU:PV"}),
]
REAL_SENSES = [
    {"about": "Glands secrete hormones; my thesis was on the pancreas.", "location": US},
    {"about": "Keeps her kitchen cleaned and her knives sharp.", "location": UK},
    {"about": "A positiv outlook and a negativ bank balance.", "location": "Berlin, Germany"},
    {"about": "We secrete nothing: open books for every client.", "location": CA},
]


@pytest.mark.parametrize(("fields", "expected"), CONFUSED)
def test_when_a_real_word_one_edit_from_a_clearance_word_stands_beside_clearance_words_then_it_is_read_as_it(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", REAL_SENSES)
def test_when_such_a_real_word_stands_in_its_own_sense_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert clearances(**fields) == set()


def test_when_a_confusable_is_read_as_a_level_then_the_evidence_quotes_it_as_written() -> None:
    p = Profile(id="q", about="Analyst, Top Secrete clearance.", location=US)
    (finding,) = DETECTOR["exposure.clearance"].detect(p, Context())
    assert [e.quote for e in finding.evidence] == ["Top Secrete"]


# --- a clearance told as an event ---------------------------------------------------------------------------------

EVENTS = [
    ({"about": "Six months of waiting, then my Secret came through.", "location": US}, {"US:SECRET"}),
    ({"about": "My TS finally came through, so I start on the program Monday.", "location": US}, {"US:TOP_SECRET"}),
    ({"about": "Got my SC back after the career break.", "location": UK}, {"UK:SC"}),
    ({"about": "My DV was renewed in March.", "location": UK}, {"UK:DV"}),
    ({"about": "Received my NV2 last spring, now on the classified network.", "location": AU}, {"AU:NV2"}),
    (
        {"about": "My Top Secret came through in 2021; I moved to the DND intelligence branch.", "location": CA},
        {"CA:TOP_SECRET"},
    ),
    ({"about": "my secret came through in June, back at NZDF Trentham.", "location": NZ}, {"NZ:SECRET"}),
]
NOT_EVENTS = [
    {"about": "My Secret Santa came through on time this year.", "location": UK},
    {"about": "My secret came out at the wedding: I cannot dance.", "location": US},
    {"about": "Got my PV back online after the storm; solar is great.", "location": AU},
    {"about": "My DV camera came back from repair.", "location": UK},
    {"about": "Hoping to get my Top Secret next year.", "location": US},
]


@pytest.mark.parametrize(("fields", "expected"), EVENTS)
def test_when_a_person_tells_their_level_as_an_event_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", NOT_EVENTS)
def test_when_an_event_happens_to_a_look_alike_or_is_only_hoped_for_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()


def test_when_an_event_decides_a_finding_then_the_explanation_quotes_it() -> None:
    (why,) = explained(about="My Secret came through in May.", location=US)
    assert "came through" in why


# --- lab, catalogue and product codes ---------------------------------------------------------------------------

PRODUCTS = [
    {"about": "Chemist at a Defence lab; calibrated the NV1 reagent kit for field trials.", "location": AU},
    {"about": "Norovirus work: NV2 primers and probes, qPCR all day.", "location": AU},
    {"about": "Protein chemist: TS buffer, SC-1 clean, DV-50 dispersant.", "location": UK},
    {"about": "Army armourer who also sells the NV1 lens on eBay.", "location": AU},
]
PRODUCTS_BESIDE_LEVELS = [
    ({"about": "NV1 cleared. Wrote the SOP for the NV2 buffer.", "location": AU}, {"AU:NV1"}),
    ({"about": "Chemist with the Royal Navy, DV cleared; ran the SC-1 clean on wafers.", "location": UK}, {"UK:DV"}),
]


@pytest.mark.parametrize("fields", PRODUCTS)
def test_when_a_level_abbreviation_names_a_product_or_lab_code_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()


@pytest.mark.parametrize(("fields", "expected"), PRODUCTS_BESIDE_LEVELS)
def test_when_a_product_code_stands_beside_a_level_held_then_only_the_level_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- histories, lists and verbs made of levels -------------------------------------------------------------------

HISTORIES = [
    ({"about": "Held SC throughout my time at the Met, DV from 2017.", "location": UK}, {"UK:SC", "UK:DV"}),
    ({"about": "Upgraded to TS/SCI in 2020 after four years at Secret.", "location": US}, {"US:SECRET", "US:TS/SCI"}),
    ({"about": "Since 2019, NV2; before that Baseline.", "location": AU}, {"AU:NV2", "AU:BASELINE"}),
    (
        {"about": "Reliability Status 2010, Secret 2014, Top Secret 2021 with DND.", "location": CA},
        {
            "CA:RELIABILITY",
            "CA:SECRET",
            "CA:TOP_SECRET",
        },
    ),
    (
        {"about": "Twenty years in NZDF signals, Top Secret Special throughout.", "location": NZ},
        {"NZ:TOP_SECRET_SPECIAL"},
    ),
    ({"about": "Formerly held a PV with Defence.", "location": AU}, {"AU:PV"}),
    ({"about": "SC'd since 2014, contractor to the Home Office.", "location": UK}, {"UK:SC"}),
    ({"about": "Integration engineer at Babcock, SC and NPPV2.", "location": UK}, {"UK:SC", "UK:NPPV2"}),
]


@pytest.mark.parametrize(("fields", "expected"), HISTORIES)
def test_when_a_history_or_list_of_levels_is_told_then_each_level_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- willingness and eligibility are not a level held -----------------------------------------------------------

WILLING = [
    {"about": "British national, happy to go through SC vetting and later DV.", "location": UK},
    {"about": "Going through DV vetting now, start date to follow.", "location": UK},
    {"about": "Australian citizen, NV1-ready.", "location": AU},
    {"about": "US citizen, eligible for a Secret clearance.", "location": US},
    {"about": "Prepared to undergo Top Secret (Level III) screening.", "location": CA},
    {"about": "Willing to be vetted to NATO Secret.", "location": "Brussels, Belgium"},
    {"about": "The NV2 form takes a weekend to fill in; I help new starters with it.", "location": AU},
]


@pytest.mark.parametrize("fields", WILLING)
def test_when_a_person_is_willing_eligible_or_in_process_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert clearances(**fields) == set()


# --- lower-case acronym levels need a strong context word ------------------------------------------------------

LOWER = [
    ({"about": "current ts clearance, Navy contractor", "location": US}, {"US:TOP_SECRET"}),
    ({"about": "Clearance: dv (renewed 2023)", "location": UK}, {"UK:DV"}),
    ({"about": "security clearance level: sc", "location": UK}, {"UK:SC"}),
    ({"about": "pv cleared, Canberra based", "location": AU}, {"AU:PV"}),
    ({"about": "nz tss clearance holder", "location": NZ}, {"NZ:TOP_SECRET_SPECIAL"}),
]
NOT_LOWER = [
    {"about": "sc injection cleared the rash in a week", "location": UK},
    {"about": "ts files are cleared from the build cache nightly", "location": US},
    {"about": "hold sc and ts shares in my ISA", "location": UK},
    {"about": "pv output cleared 12 kWh today", "location": AU},
]


@pytest.mark.parametrize(("fields", "expected"), LOWER)
def test_when_an_acronym_level_is_lower_case_beside_a_clearance_word_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", NOT_LOWER)
def test_when_lower_case_letters_have_no_clearance_word_or_another_sense_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()


# --- a level closing a clause at a cleared contractor or national laboratory ------------------------------------

CONTRACTORS = [
    (
        {
            "about": "Data platforms for federal customers. TS.",
            "experience": [{"title": "Engineer", "company": "CACI"}],
            "location": US,
        },
        {"US:TOP_SECRET"},
    ),
    (
        {
            "about": "Materials science at Sandia National Laboratories, Q cleared.",
            "location": "Albuquerque, New Mexico",
        },
        {"US:Q"},
    ),
    ({"about": "Federal consultant with Enhanced Reliability.", "location": CA}, {"CA:RELIABILITY"}),
]


@pytest.mark.parametrize(("fields", "expected"), CONTRACTORS)
def test_when_a_level_closes_a_clause_at_a_cleared_contractor_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- a level told with its date at the head of its clause -------------------------------------------------------

DATED = [
    ({"about": "Since 2020, Secret.", "location": US}, {"US:SECRET"}),
    ({"about": "Platform engineer. Since 2018, DV.", "location": UK}, {"UK:DV"}),
    ({"about": "From 2015 to 2019, PV.", "location": AU}, {"AU:PV"}),
    ({"about": "Since 2021, Top Secret.", "location": CA}, {"CA:TOP_SECRET"}),
]
NOT_DATED = [
    {"about": "Solar since 2010. Since 2020, PV.", "location": "Perth, Western Australia, Australia"},
    {"about": "Since 2020, SC.", "location": "Greenville, South Carolina, United States"},
    {"about": "Since 2020, Secret Escapes.", "location": UK},
    {"about": "In 2019, DV cameras were obsolete.", "location": UK},
]


@pytest.mark.parametrize(("fields", "expected"), DATED)
def test_when_a_clause_is_a_date_a_comma_and_a_level_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", NOT_DATED)
def test_when_a_dated_clause_holds_another_sense_or_a_name_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert clearances(**fields) == set()
