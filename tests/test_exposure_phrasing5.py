"""Truth tables for the phrasing families of issue 13's fifth round (casebook/exposure/profiles_dev5.jsonl): a level
as a topic, the reader's or other people's; the supply-chain sense of SC; a comma that ends one statement before
the next; lower-case acronyms held; a slip beside a firm statement; the organisations that name Canada's scheme;
clearance words carried over from other languages; enhancement and Reliability told in short. Every case is
invented for this file (none is copied from the casebook), across the UK, US, AU, CA, NZ and NATO schemes."""

from __future__ import annotations

from typing import Any

import pytest

from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure import DETECTORS
from counterpitch.model import Profile

DETECTOR = {d.meta.id: d for d in DETECTORS}
AU, UK, US = "Perth, Western Australia, Australia", "Leeds, England", "Norfolk, Virginia, United States"
CA, NZ, BE = "Winnipeg, Manitoba, Canada", "Dunedin, New Zealand", "Brussels, Belgium"


def clearances(**fields: Any) -> set[str]:
    p = Profile.model_validate({"id": "phrasing5", **fields})
    return {f.value or "" for f in DETECTOR["exposure.clearance"].detect(p, Context())}


# --- a level as a topic, the reader's, or other people's ----------------------------------------------------------

NOT_HELD = [
    # teaching, coaching, writing about
    {"about": "I run workshops and teach modules on SC and DV vetting for line managers.", "location": UK},
    {"about": "Coaching veterans through the NV2 clearance process.", "location": AU},
    {"about": "Freelance writer; I have written about TS/SCI clearances for Wired.", "location": US},
    {"about": "Reporting on NZ Top Secret vetting delays at the NZSIS.", "location": NZ},
    # the level as the subject of a system, policy or crisis
    {"about": "My thesis: the eDV vetting crisis and its cost to departments.", "location": UK},
    {"about": "Analyst of federal Secret clearance reinvestigation times.", "location": US},
    {"about": "Drafted the department's Baseline clearance policy for contractors.", "location": AU},
    # the reader's, or a condition
    {"about": "If you hold NV1 or NV2, send me your CV.", "location": AU},
    {"about": "Happy to chat if your DV is current.", "location": UK},
    {"about": "Unless you hold Reliability Status we cannot start you.", "location": CA},
    # other people's
    {"about": "Our engineers all hold SC clearances.", "location": UK},
    {"about": "Everyone on the floor holds TS/SCI.", "location": US},
    {"about": "Our whole team is NATO Secret cleared.", "location": BE},
    {"about": "Their Secret clearances came through last month.", "location": CA},
]


@pytest.mark.parametrize("fields", NOT_HELD)
def test_when_a_level_is_a_topic_the_readers_or_other_peoples_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert clearances(**fields) == set()


HELD_BESIDE_TOPICS = [
    ({"about": "I teach cyber at TAFE. Personally I hold NV1 (current).", "location": AU}, {"AU:NV1"}),
    ({"about": "Our team builds radars. I am DV cleared.", "location": UK}, {"UK:DV"}),
    ({"about": "Reporter turned analyst; Top Secret clearance since 2021.", "location": CA}, {"CA:TOP_SECRET"}),
]


@pytest.mark.parametrize(("fields", "expected"), HELD_BESIDE_TOPICS)
def test_when_the_person_states_their_own_level_beside_a_topic_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- SC in its supply-chain sense ---------------------------------------------------------------------------------

SUPPLY_CHAIN = [
    ({"headline": "SC | Logistics | Supply-chain analytics", "location": UK}, set()),
    ({"headline": "Head of SC · S&OP", "about": "Twenty years in supply chain.", "location": UK}, set()),
    # a clearance word still decides
    ({"about": "Supply chain security lead, SC cleared.", "location": UK}, {"UK:SC"}),
]


@pytest.mark.parametrize(("fields", "expected"), SUPPLY_CHAIN)
def test_when_sc_means_supply_chain_then_only_a_clearance_word_makes_it_a_level(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- a comma ends one statement before the next ---------------------------------------------------------------------

COMMA = [
    ({"about": "NV1 current, NV2 in progress.", "location": AU}, {"AU:NV1"}),
    ({"about": "Hold Secret (Level II), Top Secret pending.", "location": CA}, {"CA:SECRET"}),
    ({"about": "CTC cleared, DV sponsorship required for the next role.", "location": UK}, {"UK:CTC"}),
    ({"about": "NZ Confidential held, Top Secret in process.", "location": NZ}, {"NZ:CONFIDENTIAL"}),
    # a list of names with nothing between them and the comma stays one list
    ({"about": "SC, DV or eDV required for this team.", "location": UK}, set()),
    ({"about": "Sponsor officer: I initiate Baseline, NV1, NV2 and PV clearances.", "location": AU}, set()),
]


@pytest.mark.parametrize(("fields", "expected"), COMMA)
def test_when_a_comma_follows_a_stated_level_then_a_cue_after_the_next_name_does_not_reach_back(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- lower-case acronyms held ---------------------------------------------------------------------------------------

LOWER_HELD = [
    ({"about": "devops, terraform. hold sc.", "location": UK}, {"UK:SC"}),
    ({"about": "analyst at defence. held nv1 until 2020.", "location": AU}, {"AU:NV1"}),
    ({"about": "i possess edv.", "location": UK}, {"UK:eDV"}),
    # a noun after the list, the everyday sense, or no holding word
    ({"about": "hold dv and sc shares in a fund.", "location": UK}, set()),
    ({"about": "we hold pv panels in stock.", "location": AU}, set()),
    ({"about": "Refuge worker. hold dv.", "about2": "", "location": UK, "headline": "Domestic abuse support"}, set()),
    ({"about": "love sc and dv.", "location": UK}, set()),
]


@pytest.mark.parametrize(("fields", "expected"), LOWER_HELD)
def test_when_a_lower_case_acronym_follows_a_holding_word_and_ends_its_clause_then_it_is_held(
    fields: dict[str, Any], expected: set[str]
) -> None:
    fields = {k: v for k, v in fields.items() if k != "about2"}
    assert clearances(**fields) == expected


# --- a misspelt level beside a firm statement ------------------------------------------------------------------------

SLIP_BESIDE_FIRM = [
    ({"about": "Active TS/SCI; Full Scope Polygrap in 2022.", "location": US}, {"US:TS/SCI", "US:POLY_FS"}),
    ({"about": "SC cleared. Earlier Devloped Vetting at GCHQ.", "location": UK}, {"UK:SC", "UK:DV"}),
    ({"about": "NV1 current; Negitive Vetting 2 lapsed.", "location": AU}, {"AU:NV1", "AU:NV2"}),
    # the firm statement alone when nothing is misspelt
    ({"about": "NV1 current; developing vetting tools.", "location": AU}, {"AU:NV1"}),
]


@pytest.mark.parametrize(("fields", "expected"), SLIP_BESIDE_FIRM)
def test_when_a_misspelt_level_stands_beside_a_firm_statement_then_both_are_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- Canada's scheme named by its organisations; words from other languages; short forms --------------------------

SCHEMES = [
    ({"about": "RCMP civilian member with a Secret clearance.", "location": BE}, {"CA:SECRET"}),
    ({"about": "Ex-CAF signaller (Top Secret clearance).", "location": BE}, {"CA:TOP_SECRET"}),
    ({"about": "DND contractor, Secret clearance, Mons posting.", "location": BE}, {"CA:SECRET"}),
    ({"about": "Habilitation: NATO Secret, since 2019.", "location": BE}, {"NATO:SECRET"}),
    ({"about": "I possess NATO Secret habilitation.", "location": BE}, {"NATO:SECRET"}),
    ({"about": "Top Secret habilitation (NZSIS).", "location": NZ}, {"NZ:TOP_SECRET"}),
    ({"about": "DV (enhanced) since 2017.", "location": UK}, {"UK:eDV"}),
    ({"about": "Cleared to Developed Vetting [enhanced].", "location": UK}, {"UK:eDV"}),
    ({"about": "Cleared to Reliability in 2019.", "location": CA}, {"CA:RELIABILITY"}),
    ({"about": "Passed the Reliability Status check in 2021.", "location": CA}, {"CA:RELIABILITY"}),
    ({"about": "Site reliability engineer; cleared the on-call backlog.", "location": CA}, set()),
    ({"about": "Reliability engineering, cleared for flight tests by Transport Canada.", "location": CA}, set()),
]


@pytest.mark.parametrize(("fields", "expected"), SCHEMES)
def test_when_a_level_is_named_by_an_organisation_another_language_or_in_short_then_its_scheme_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- a context word leading to the level; dotted qualifiers ----------------------------------------------------------

LEAD_AND_DOTTED = [
    ({"about": "Cleared to TS in 2016.", "location": US}, {"US:TOP_SECRET"}),
    ({"about": "Clreared to TS while at Fort Meade.", "location": US}, {"US:TOP_SECRET"}),
    ({"about": "Vetted to T.S. for the embassy posting.", "location": NZ}, {"NZ:TOP_SECRET"}),
    ({"about": "Hold a current U.K. SC.", "location": UK}, {"UK:SC"}),
    # a dotted qualifier no longer ends the clause, so it names the scheme
    ({"about": "Dual national; hold an active U.S. Secret clearance.", "location": CA}, {"US:SECRET"}),
    # "to" after a context word, but no level
    ({"about": "Cleared to fly TS-200 drones commercially.", "location": US}, set()),
    ({"about": "Moved to the U.K. SC team lead for supply chain.", "location": UK}, set()),
]


@pytest.mark.parametrize(("fields", "expected"), LEAD_AND_DOTTED)
def test_when_a_context_word_leads_to_the_level_or_a_dotted_qualifier_names_it_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected


# --- a bracket about another level; number words; SCI access ---------------------------------------------------------

BRACKETS_AND_FORMS = [
    ({"about": "NV1 (NV2 in progress).", "location": AU}, {"AU:NV1"}),
    ({"about": "BPSS (SC pending), based in Leeds.", "location": UK}, {"UK:BPSS"}),
    ({"about": "Secret clearance (TS/SCI eligible).", "location": US}, {"US:SECRET"}),
    # the bracket is about the level itself, or holds no other level
    ({"about": "NV1 (pending).", "location": AU}, set()),
    ({"about": "Eligible for SC (or DV).", "location": UK}, set()),
    ({"about": "Holding a Negative Vetting Level Two clearance.", "location": AU}, {"AU:NV2"}),
    ({"about": "NV Level One since 2019.", "location": AU}, {"AU:NV1"}),
    ({"about": "SCI access, inactive since 2021.", "location": US}, {"US:TS/SCI"}),
    ({"about": "SCI access required for the role.", "location": US}, set()),
    ({"about": "Published in SCI journals; access to Scopus.", "location": US}, set()),
]


@pytest.mark.parametrize(("fields", "expected"), BRACKETS_AND_FORMS)
def test_when_a_bracket_names_another_level_or_a_level_is_in_words_then_the_level_held_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert clearances(**fields) == expected
