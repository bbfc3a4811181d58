"""Truth tables per phrasing family of issue 13: the ways people state a clearance or a programme that the first
rules missed, and their look-alikes. Every case is invented for this file (none is copied from
casebook/exposure/), across the UK, US, AU, CA, NZ and NATO schemes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from counterpitch.audit.core import audit_engine, audit_profile
from counterpitch.audit.inputs import read_terms
from counterpitch.audit.person import changes_for
from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure import DETECTORS
from counterpitch.detectors.exposure.projects import compile_terms, parse_term
from counterpitch.model import Profile

DETECTOR = {d.meta.id: d for d in DETECTORS}
TERMS = (
    "Type 31 = Inspiration class = Arrowhead 140",
    "Harrier Bay | sonar, trials",
    "Gale | radar, jammer, electronic warfare",
    "NORTHSTAR 2",
)


def found(detector_id: str, terms: tuple[str, ...] = TERMS, **fields: Any) -> set[str]:
    p = Profile.model_validate({"id": "phrasing", **fields})
    return {f.value or "" for f in DETECTOR[detector_id].detect(p, Context(sensitive_terms=terms))}


def clearances(**fields: Any) -> set[str]:
    return found("exposure.clearance", **fields)


# --- clearances: a level alone at the end of a clause or list, where the profile bears vetting -----------------

CLOSING = [
    ({"headline": "Radar engineer at Thales UK, SC", "location": "Crawley, England"}, {"UK:SC"}),
    ({"about": "Firmware for the Royal Navy. DV.", "location": "Portsmouth, England"}, {"UK:DV"}),
    ({"headline": "Structural engineer, shipyard QA, Secret", "location": "Bath, Maine, United States"}, {"US:SECRET"}),
    ({"about": "Works for Department of Defence, NV2.", "location": "Canberra, Australia"}, {"AU:NV2"}),
    ({"about": "Analyst with the NZDF. Secret.", "location": "Wellington, New Zealand"}, {"NZ:SECRET"}),
    ({"about": "Signals officer, Canadian Army, Secret", "location": "Kingston, Ontario, Canada"}, {"CA:SECRET"}),
]
NOT_CLOSING = [
    {"headline": "Wedding photographer, SC", "location": "Greenville, South Carolina"},
    {"about": "Video editor. DV.", "location": "Leeds, England"},
    {"about": "Solar design engineer, PV", "location": "Perth, Australia"},
    {"about": "Pastry chef. Secret.", "location": "Ottawa, Ontario, Canada"},
    {"about": "Our new range is a secret.", "location": "London, England", "headline": "Ministry of Food founder"},
]


@pytest.mark.parametrize(("fields", "expected"), CLOSING)
def test_when_a_level_closes_a_clause_in_a_vetting_bearing_profile_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", NOT_CLOSING)
def test_when_a_level_closes_a_clause_without_defence_or_government_work_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()


# --- histories and upgrades: every level held is found ---------------------------------------------------------

HISTORIES = [
    ({"about": "Held BPSS on joining, then upgraded to SC in 2018."}, {"UK:BPSS", "UK:SC"}),
    ({"about": "Cleared to SC throughout my career; DV granted in 2021."}, {"UK:SC", "UK:DV"}),
    (
        {"about": "Baseline when I started, NV1 granted 2017.", "location": "Darwin, Australia"},
        {"AU:BASELINE", "AU:NV1"},
    ),
    ({"about": "Active Secret clearance, upgraded to TS/SCI last year."}, {"US:SECRET", "US:TS/SCI"}),
    (
        {"about": "Was NATO Secret throughout my posting; COSMIC Top Secret since 2023."},
        {"NATO:SECRET", "NATO:COSMIC_TOP_SECRET"},
    ),
    (
        {"about": "Held NZ Confidential, upgraded to Secret in 2020.", "location": "Auckland, New Zealand"},
        {"NZ:CONFIDENTIAL", "NZ:SECRET"},
    ),
    ({"about": "DV from 2010 to 2016; SC today.", "location": "London, England"}, {"UK:DV", "UK:SC"}),
    ({"about": "My DV was renewed in 2023.", "location": "Bristol, England"}, {"UK:DV"}),
    ({"about": "Top Secret was granted in 2015.", "location": "Auckland, New Zealand"}, {"NZ:TOP_SECRET"}),
]


@pytest.mark.parametrize(("fields", "expected"), HISTORIES)
def test_when_a_clearance_history_is_told_then_each_level_held_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- dotted and lower-case abbreviations -----------------------------------------------------------------------

DOTTED = [
    ({"headline": "Planner | s.c. cleared"}, {"UK:SC"}),
    ({"about": "dv cleared network engineer"}, {"UK:DV"}),
    ({"about": "Holds sc clearance."}, {"UK:SC"}),
    ({"headline": "Targeting analyst, T.S./S.C.I."}, {"US:TS/SCI"}),
    ({"about": "active t.s./sci with the Army"}, {"US:TS/SCI"}),
    ({"about": "D.V. cleared since 2019."}, {"UK:DV"}),
    ({"about": "Security clearance: TS.", "location": "Halifax, Nova Scotia, Canada"}, {"CA:TOP_SECRET"}),
]


@pytest.mark.parametrize(("fields", "expected"), DOTTED)
def test_when_a_level_is_dotted_or_lower_case_then_it_is_found(fields: dict[str, Any], expected: set[str]) -> None:
    assert clearances(**fields) == expected


# --- misspellings of the clearance words -----------------------------------------------------------------------

MISSPELT = [
    ({"about": "Active Top Secert clearance."}, {"US:TOP_SECRET"}),
    ({"about": "DV cleard, Cheltenham based.", "location": "Cheltenham, England"}, {"UK:DV"}),
    ({"headline": "TS/SCI | Full Scope Polygrpah"}, {"US:TS/SCI", "US:POLY_FS"}),
    ({"about": "Positve Vetting (PV) holder.", "location": "Canberra, Australia"}, {"AU:PV"}),
    ({"about": "NV2 clearence since 2016.", "location": "Canberra, Australia"}, {"AU:NV2"}),
    ({"about": "Enhanced Devloped Vetting."}, {"UK:eDV"}),
    # Australia's top level as an adjective of the person ("positively vetted"), as people write it
    ({"about": "Positive Vetted. Capability acquisition since 2012.", "location": "Canberra, Australia"}, {"AU:PV"}),
    ({"headline": "Project officer, Defence | Positively vetted", "location": "Canberra, Australia"}, {"AU:PV"}),
]
REAL_WORDS = [
    {"about": "Secrets of good sourdough, a cookbook."},
    {"about": "I cleared the backlog of claims in 2020."},
    {"about": "A developer who loves clear APIs."},
]


@pytest.mark.parametrize(("fields", "expected"), MISSPELT)
def test_when_a_clearance_word_is_misspelt_then_it_is_read_as_the_word(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


@pytest.mark.parametrize("fields", REAL_WORDS)
def test_when_real_words_sit_near_clearance_words_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert clearances(**fields) == set()


def test_when_a_misspelt_level_is_found_then_the_evidence_quotes_it_as_written() -> None:
    p = Profile(id="q", about="Analyst, active Top Secrit clearance.")
    (finding,) = DETECTOR["exposure.clearance"].detect(p, Context())
    assert [e.quote for e in finding.evidence] == ["Top Secrit"]


# --- willingness and eligibility, other people's clearances, firm names ----------------------------------------

NOT_HELD = [
    {"about": "Happy to go through SC vetting."},
    {"about": "Open to DV for the right role."},
    {"about": "US citizen, clearable to Top Secret."},
    {"about": "Able to obtain NV1.", "location": "Canberra, Australia"},
    {"about": "Willing to be vetted to NZ Top Secret.", "location": "Wellington, New Zealand"},
    {"about": "I process SC and DV applications for the Home Office."},
    {"about": "Handling NV1 and NV2 renewals for the department.", "location": "Canberra, Australia"},
    {"about": "Security officer managing Secret clearances for 200 employees.", "location": "Reston, Virginia"},
    {"about": "Advising clients whose DV was refused."},
    {"about": "Thriller writer; my hero holds TS/SCI."},
    {"headline": "Director, Top Secret Solutions Ltd", "about": "Escape rooms."},
    {"headline": "Trader at DV Trading", "location": "Chicago, Illinois"},
]


@pytest.mark.parametrize("fields", NOT_HELD)
def test_when_a_clearance_is_wished_for_handled_for_others_or_a_firm_name_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert clearances(**fields) == set()


def test_when_a_vetting_officer_states_their_own_clearance_then_only_that_is_found() -> None:
    about = "SC cleared myself; I process DV applications for other staff."
    assert clearances(about=about, location="London, England") == {"UK:SC"}


# --- programmes: involvement, commentary, everyday senses, aliases ---------------------------------------------

INVOLVED = [
    ({"about": "I work on the Inspiration class frigates at Rosyth."}, {"Type 31"}),
    ({"about": "Part of the Arrowhead 140 design team."}, {"Type 31"}),
    ({"headline": "Sonar trials lead, Harrier Bay"}, {"Harrier Bay"}),
    ({"about": "Supporting Gale, an electronic warfare pod, at Leonardo UK."}, {"Gale"}),
    ({"about": "NORTHSTAR 2 integration, 2021-2024."}, {"NORTHSTAR 2"}),
    (
        {"headline": "Defence journalist, formerly an engineer", "about": "I worked on Type 31 for six years."},
        {"Type 31"},
    ),
    (
        {
            "headline": "Lecturer",
            "about": "Before academia I designed hull blocks for the Inspiration class frigates at Babcock.",
        },
        {"Type 31"},
    ),
]
NOT_INVOLVED = [
    {"headline": "Defence correspondent", "about": "I cover Type 31 and NORTHSTAR 2 for the Telegraph."},
    {"headline": "Research fellow", "about": "A paper on the Type 31 export deals."},
    {"about": "I write about the Inspiration class frigates and their costs."},
    {"headline": "PhD candidate", "about": "Thesis: NORTHSTAR 2 and alliance politics."},
    {"about": "Forecaster: gale warnings for shipping.", "headline": "Met Office, Royal Navy liaison"},
    {"about": "Birdwatcher at Harrier Bay, Norfolk."},
    {"about": "A gale of laughter; Royal Navy veteran and comedian."},
]


@pytest.mark.parametrize(("fields", "expected"), INVOLVED)
def test_when_a_person_says_they_work_on_a_programme_then_its_short_name_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert found("exposure.sensitive_project", **fields) == expected


@pytest.mark.parametrize("fields", NOT_INVOLVED)
def test_when_a_programme_is_written_about_or_its_word_has_an_everyday_sense_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert found("exposure.sensitive_project", **fields) == set()


TERM_LINES = [
    ("Type 26", (["Type 26"], [])),
    (
        "Type 26 = Global Combat Ship = City-class frigate",
        (["Type 26", "Global Combat Ship", "City-class frigate"], []),
    ),
    ("Osprey = V-22 | tiltrotor, V-22 ,  squadron", (["Osprey", "V-22"], ["tiltrotor", "V-22", "squadron"])),
    ("  Kestrel   Bay  ", (["Kestrel Bay"], [])),
]


@pytest.mark.parametrize(("line", "expected"), TERM_LINES)
def test_when_a_terms_line_gives_aliases_and_sense_words_then_they_are_read_apart(
    line: str, expected: tuple[list[str], list[str]]
) -> None:
    assert parse_term(line) == expected


def test_when_an_old_one_per_line_terms_file_is_read_then_every_term_is_its_own_name(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("# ours\nType 26\nHunter class\n\nSKYNET 6\n", encoding="utf-8")
    # Distinct names: a class name is also looked for by its first ship alone, reported as the class.
    names = [t.name for t in compile_terms(read_terms(path)).terms]
    assert list(dict.fromkeys(names)) == ["Type 26", "Hunter class", "SKYNET 6"]


# --- explanations: the words that decided each finding ---------------------------------------------------------

EXPLAINED = [
    ("exposure.clearance", {"about": "Active DV, Cheltenham."}, "UK:DV", "“Active”"),
    ("exposure.clearance", {"about": "Software engineer at Leidos UK. DV", "location": "Bristol"}, "UK:DV", "“Leidos”"),
    ("exposure.clearance", {"about": "DV held; SC before that.", "location": "Leeds"}, "UK:SC", "beside UK:DV"),
    ("exposure.clearance", {"about": "Top Secrit clearance."}, "US:TOP_SECRET", "“Top Secrit” read as “Top Secret”"),
    ("exposure.sensitive_project", {"about": "I work on the Inspiration class frigates."}, "Type 31", "“work on”"),
    ("exposure.sensitive_project", {"about": "Gale jammer trials lead."}, "Gale", "sense word “jammer”"),
]


@pytest.mark.parametrize(("detector_id", "fields", "value", "words"), EXPLAINED)
def test_when_a_finding_is_made_then_its_explanation_names_the_words_that_decided_it(
    detector_id: str, fields: dict[str, Any], value: str, words: str
) -> None:
    p = Profile.model_validate({"id": "why", **fields})
    by_value = {f.value: f for f in DETECTOR[detector_id].detect(p, Context(sensitive_terms=TERMS))}
    assert "Decided by: " in by_value[value].explanation
    assert words in by_value[value].explanation


def test_when_a_person_is_listed_for_change_then_the_line_says_what_decided_it() -> None:
    p = Profile(id="line", about="I work on the Inspiration class frigates. Active DV.")
    lines = changes_for(audit_profile(audit_engine(TERMS), p))
    assert any("Decided by: “work on”" in line for line in lines)
    assert any("Decided by: “Active”" in line for line in lines)


def test_when_only_the_location_names_a_base_then_a_closing_level_is_not_settled() -> None:
    assert clearances(about="Video editor, DV", location="HMNB Portsmouth Naval Base, England") == set()
    assert clearances(about="Video editor, DV", location="Portsmouth, England", headline="Royal Navy") == {"UK:DV"}
