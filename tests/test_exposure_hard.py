"""A harder truth table for the exposure detectors: every scheme of ../shared/reference/clearances.md written the
ways people write it, beside negation, hypotheticals, job adverts and tokens with everyday senses; sensitive
terms by word boundary, case and spacing. Every case is invented for this file."""

from __future__ import annotations

from typing import Any

import pytest

from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure import DETECTORS
from counterpitch.model import Profile

DETECTOR = {d.meta.id: d for d in DETECTORS}
TERMS = ("Type 83", "MARLIN 4", "Kestrel Bay", "SEA 1000")


def found(detector_id: str, terms: tuple[str, ...] = TERMS, **fields: Any) -> set[str]:
    p = Profile.model_validate({"id": "hard", **fields})
    return {f.value or "" for f in DETECTOR[detector_id].detect(p, Context(sensitive_terms=terms))}


STATED = [
    # UK
    ({"headline": "Engineer | SC-cleared"}, {"UK:SC"}),
    ({"about": "Current SC clearance (renewed 2024)."}, {"UK:SC"}),
    ({"headline": "Analyst | DV Cleared | Cheltenham", "location": "Cheltenham, England"}, {"UK:DV"}),
    ({"about": "Hold eDV."}, {"UK:eDV"}),
    ({"about": "NPPV 3 vetted contractor."}, {"UK:NPPV3"}),
    ({"about": "BPSS cleared; SC pending."}, {"UK:BPSS"}),
    ({"about": "Security Check (SC) cleared since 2016."}, {"UK:SC"}),
    # US
    ({"headline": "Cloud Engineer | Active TS/SCI w/ FS Poly"}, {"US:TS/SCI", "US:POLY_FS"}),
    ({"about": "Formerly TS/SCI; lapsed in 2022."}, {"US:TS/SCI"}),
    ({"skills": ["Top Secret Clearance", "Kubernetes"], "location": "Huntsville, Alabama"}, {"US:TOP_SECRET"}),
    ({"about": "Yankee White (Presidential Support Program)."}, {"US:TOP_SECRET"}),
    ({"about": "L-cleared engineer at a DOE site."}, {"US:L"}),
    ({"headline": "DevOps | TS//SCI | CI Polygraph"}, {"US:TS/SCI", "US:POLY_CI"}),
    ({"about": "Active DoD Secret clearance."}, {"US:SECRET"}),
    ({"about": "DOE Q cleared physicist."}, {"US:Q"}),
    ({"about": "Public Trust position (Tier 4 background investigation)."}, {"US:PUBLIC_TRUST"}),
    # AU
    (
        {"headline": "ICT Manager | NV-1 cleared", "location": "Canberra, Australian Capital Territory, Australia"},
        {"AU:NV1"},
    ),
    ({"about": "Negative Vetting Level 2 clearance holder."}, {"AU:NV2"}),
    ({"about": "AGSVA Baseline clearance.", "location": "Adelaide, South Australia, Australia"}, {"AU:BASELINE"}),
    ({"about": "PV cleared analyst.", "location": "Canberra, Australia"}, {"AU:PV"}),
    ({"headline": "Intelligence Analyst | TSPV", "location": "Canberra, Australia"}, {"AU:PV"}),
    # A level held before the current one is held too (issue 13: each level of a history is found).
    ({"about": "Holds an NV2 and a Baseline before that.", "location": "Perth, Australia"}, {"AU:NV2", "AU:BASELINE"}),
    # NATO
    ({"about": "Cleared to NATO Secret."}, {"NATO:SECRET"}),
    ({"about": "COSMIC TOP SECRET (CTS) holder."}, {"NATO:COSMIC_TOP_SECRET"}),
    # CA
    ({"about": "Secret (Level II) clearance, Government of Canada."}, {"CA:SECRET"}),
    ({"about": "Federal Reliability Status (security screening)."}, {"CA:RELIABILITY"}),
    ({"about": "Top Secret clearance.", "location": "Ottawa, Ontario, Canada"}, {"CA:TOP_SECRET"}),
    # NZ
    ({"about": "NZ Secret clearance."}, {"NZ:SECRET"}),
    ({"about": "TSS cleared (NZSIS vetting)."}, {"NZ:TOP_SECRET_SPECIAL"}),
]


@pytest.mark.parametrize(("fields", "expected"), STATED)
def test_when_a_clearance_is_stated_in_any_usual_spelling_then_scheme_and_level_are_exact(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert found("exposure.clearance", **fields) == expected


NOT_STATED = [
    {"about": "No security clearance."},
    {"about": "I do not hold SC or DV."},
    {"about": "Never held a clearance; happy to be vetted."},
    {"about": "Willing to undergo DV vetting."},
    {"about": "Able to obtain a Secret clearance if required."},
    {"about": "Could get SC within weeks."},
    {"about": "Eligible to apply for NV1."},
    {"about": "Hiring: TS/SCI required, CI poly preferred."},
    {"about": "Seeking DV cleared engineers for a client in Bristol."},
    {"about": "Candidates must be able to obtain NATO Secret."},
    {"headline": "Recruiter | SC & DV cleared roles | Defence"},
    {"about": "Sales manager covering Columbia, SC and Charlotte, NC."},
    {"headline": "Realtor | Greenville, SC", "location": "Greenville, South Carolina, United States"},
    {"about": "Green card holder via the DV lottery."},
    {"about": "Applied to the DV-2026 program."},
    {"about": "Designing rooftop PV arrays and PV inverters."},
    {"headline": "Solar Engineer | PV | Battery storage"},
    {"about": "Our secret sauce is customer focus."},
    {"about": "Worked at Victoria's Secret for five years."},
    {"about": "Top secret recipe blogger."},
    {"headline": "Frontend Developer | TS | React | Node"},
    {"about": "TS and JS developer; TypeScript since 2016."},
    {"about": "A baseline study of river water quality."},
    {"about": "Confidential HR adviser."},
    {"about": "Reached Level 3 on the leadership programme."},
    {"about": "Q1 revenue up 20%; L&Q housing partner."},
    {"about": "Support worker for DV survivors (domestic violence)."},
    {"about": "DV 360 campaign manager."},
    {"about": "University of South Carolina (USC) alumnus; SC native."},
    {"about": "Pharmacovigilance (PV) specialist, drug safety."},
    {"headline": "Baseline Engineer | Git | CI"},
    {"about": "SC required. DV desirable."},
    {"about": "Do you hold SC? Contact our team."},
    {"about": "Pursuing DV sponsorship."},
    {"about": "Without a clearance, but experienced in defence work."},
]


@pytest.mark.parametrize("fields", NOT_STATED)
def test_when_a_clearance_is_negated_hypothetical_advertised_or_another_sense_then_nothing_is_found(
    fields: dict[str, Any],
) -> None:
    assert found("exposure.clearance", **fields) == set()


TERMS_FOUND = [
    ({"about": "Working on Type-83 combat systems for the Royal Navy."}, {"Type 83"}),
    ({"about": "Working on TYPE 83 combat systems for the Royal Navy."}, {"Type 83"}),
    ({"about": "Working on type83 combat systems for the Royal Navy."}, {"Type 83"}),
    ({"headline": "Engineer | MARLIN-4 | SC", "location": "Barrow, England"}, {"MARLIN 4"}),
    ({"about": "Submarine systems engineer on KESTREL BAY."}, {"Kestrel Bay"}),
    ({"about": "Submarine systems engineer on Kestrel  Bay."}, {"Kestrel Bay"}),
    ({"about": "Submarine programme SEA1000 since 2019."}, {"SEA 1000"}),
]


@pytest.mark.parametrize(("fields", "expected"), TERMS_FOUND)
def test_when_a_term_is_written_with_other_case_spacing_or_hyphens_then_it_is_found(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert found("exposure.sensitive_project", **fields) == expected


TERMS_NOT_FOUND = [
    {"about": "Working on Type 830 systems for the Royal Navy."},
    {"about": "Working on Prototype 83 of our app at a defence contractor."},
    {"about": "MARLIN 40 outboard engines, Royal Navy supplier."},
    {"about": "Holiday at Kestrel Bay resort."},  # a word-only term without defence context
    {"about": "I write about the Type 83 programme for a defence magazine."},  # commentary, not work on it
    {"about": "SEA 10000 is not a programme; submarine trivia."},
]


@pytest.mark.parametrize("fields", TERMS_NOT_FOUND)
def test_when_a_term_is_only_part_of_a_word_or_a_number_or_off_context_then_it_is_not_found(
    fields: dict[str, Any],
) -> None:
    assert found("exposure.sensitive_project", **fields) == set()


ROLES_AND_CONTACTS = [
    ("exposure.sensitive_role", {"headline": "Ex-GCHQ | now in fintech"}, True),
    ("exposure.sensitive_role", {"about": "Information security: the CIA triad, threat models."}, False),
    ("exposure.sensitive_role", {"about": "I have never worked for GCHQ."}, False),
    ("exposure.sensitive_role", {"about": "Intelligence analyst at ASIO."}, True),
    ("exposure.sensitive_role", {"about": "Twelve years at the NSA."}, True),
    ("exposure.sensitive_role", {"about": "Cybersecurity: CIA triad, NSA guidance, ASD Essential Eight."}, False),
    ("exposure.sensitive_role", {"about": "Aspiring MI6 officer."}, False),
    ("exposure.sensitive_role", {"headline": "Special Adviser to the Chancellor of the Exchequer"}, True),
    ("exposure.sensitive_role", {"about": "Weapons engineer at AWE Aldermaston."}, True),
    ("exposure.personal_contact", {"about": "jane.doe [at] proton [dot] me"}, True),
    ("exposure.personal_contact", {"about": "2015 - 2019 BSc; 2019-2023 PhD"}, False),
    ("exposure.personal_contact", {"about": "Signal processing engineer; telegram-style reports."}, False),
    ("exposure.personal_contact", {"about": "Signal me on +44 7700 900456."}, True),
    ("exposure.personal_contact", {"about": "Grant ref 2019-2023 1234567; ISBN 978-0-00-000000-2."}, False),
    ("exposure.personal_contact", {"about": "Write to careers@harbourline.example for vacancies."}, False),
]


@pytest.mark.parametrize(("detector_id", "fields", "expected"), ROLES_AND_CONTACTS)
def test_when_roles_and_contacts_have_look_alikes_then_only_the_real_ones_count(
    detector_id: str, fields: dict[str, Any], expected: bool
) -> None:
    assert bool(found(detector_id, **fields)) is expected


#: More of the same, in the spellings of profiles and job sites (invented).
MORE_STATED = [
    ({"about": "Top Secret clearance (current)."}, {"US:TOP_SECRET"}),
    ({"headline": "Systems Admin | Active TS clearance"}, {"US:TOP_SECRET"}),
    ({"about": "Interim Secret clearance.", "location": "Dayton, Ohio"}, {"US:SECRET"}),
    ({"about": "Secret clearance (inactive).", "location": "Dayton, Ohio"}, {"US:SECRET"}),
    ({"about": "DV (lapsed 2021)."}, {"UK:DV"}),
    ({"about": "Developed Vetting (DV) cleared."}, {"UK:DV"}),
    ({"about": "SC (Security Check) and NPPV3."}, {"UK:NPPV3", "UK:SC"}),
    ({"about": "eDV (enhanced Developed Vetting) since 2018."}, {"UK:eDV"}),
    ({"headline": "Engineer | NV1 (AGSVA)"}, {"AU:NV1"}),
    ({"about": "TS-PA holder.", "location": "Canberra, Australia"}, {"AU:PV"}),
    ({"about": "Level II (Secret) clearance.", "location": "Ottawa, Ontario, Canada"}, {"CA:SECRET"}),
    ({"about": "Reliability status with PSPC."}, {"CA:RELIABILITY"}),
    ({"about": "NZSIS Top Secret vetting."}, {"NZ:TOP_SECRET"}),
    ({"about": "Confidential clearance.", "location": "Wellington, New Zealand"}, {"NZ:CONFIDENTIAL"}),
    ({"about": "Q clearance holder at Sandia."}, {"US:Q"}),
    ({"about": "L clearance (DOE)."}, {"US:L"}),
    ({"headline": "Analyst | TS/SCI/FSP"}, {"US:POLY_FS", "US:TS/SCI"}),
    ({"headline": "Analyst | TS/SCI w/ Full Scope"}, {"US:POLY_FS", "US:TS/SCI"}),
    ({"headline": "Analyst | TS/SCI + CI/FS Poly"}, {"US:POLY_CI", "US:POLY_FS", "US:TS/SCI"}),
    ({"about": "UK DV cleared."}, {"UK:DV"}),
    ({"about": "Held NATO Secret and UK SC while posted to SHAPE."}, {"NATO:SECRET", "UK:SC"}),
    ({"skills": ["Security Clearance (SC)"]}, {"UK:SC"}),
    ({"skills": ["DV"], "location": "Bristol, England, United Kingdom"}, {"UK:DV"}),
    ({"headline": "Engineer | SC | Bristol", "location": "Bristol, England"}, {"UK:SC"}),
    ({"about": "I have an active Secret clearance.", "location": "San Diego, California"}, {"US:SECRET"}),
    ({"about": "Cleared to SC level."}, {"UK:SC"}),
    ({"about": "Security clearance: DV."}, {"UK:DV"}),
    ({"about": "Clearance: SC (active)"}, {"UK:SC"}),
    ({"about": "Currently hold SC clearance, previously DV."}, {"UK:DV", "UK:SC"}),
    ({"about": "Baseline Personnel Security Standard (BPSS) checked."}, {"UK:BPSS"}),
    ({"about": "Counter-Terrorist Check cleared."}, {"UK:CTC"}),
    ({"headline": "Cyber | NV2 | TS PV pending"}, {"AU:NV2"}),
    ({"about": "MBI Public Trust."}, {"US:PUBLIC_TRUST"}),
    ({"about": "Full-scope polygraph and TS/SCI."}, {"US:POLY_FS", "US:TS/SCI"}),
    ({"about": "Current CTS (COSMIC Top Secret) clearance."}, {"NATO:COSMIC_TOP_SECRET"}),
    ({"about": "Enhanced Reliability status, Government of Canada."}, {"CA:RELIABILITY"}),
    ({"about": "Secret clearance holder.", "location": "Auckland, New Zealand"}, {"NZ:SECRET"}),
    ({"about": "Top Secret (TS) clearance.", "location": "Toronto, Ontario, Canada"}, {"CA:TOP_SECRET"}),
    ({"about": "CI/CD pipelines; TS/SCI with CI/FS poly."}, {"US:TS/SCI", "US:POLY_CI", "US:POLY_FS"}),
    ({"about": "Airside pass and CTC."}, {"UK:CTC"}),
    ({"headline": "Ex-Army | TS/SCI", "about": "Now a technical recruiter for cleared roles."}, {"US:TS/SCI"}),
]

MORE_NOT_STATED = [
    {"about": "Marketing lead at SC Johnson."},
    {"about": "Fan of SC Freiburg."},
    {"headline": "Nurse | Columbia, SC"},
    {"about": "NPV and PV calculations for project finance."},
    {"about": "Top Secret: a novel about MI6 (my debut)."},
    {"about": "Secret shopper and Secret Santa organiser."},
    {"headline": "Tier 3 Support Engineer | ServiceNow"},
    {"headline": "Level 3 Support Engineer"},
    {"about": "Level II trauma center nurse."},
    {"about": "Customs clearance specialist."},
    {"about": "Clearance sale coordinator."},
    {"about": "CI/CD pipelines and poly-repo tooling."},
    {"about": "Financial services provider (FSP) licence."},
    {"about": "Reliability engineer on wind turbines."},
    {"about": "Public trust in institutions is my research topic."},
    {"about": "CTC 12 LPA expected."},
    {"about": "We need SC cleared developers urgently."},
    {"about": "SC clearance would be an advantage."},
    {"about": "Obtaining DV is a long process; I have applied."},
    {"about": "Requires an active TS/SCI."},
    {"about": "Must be eligible for NV1 clearance."},
    {"about": "Q&A sessions and L&D programmes."},
    {"about": "Top Secret Recipes cookbook author."},
    {"about": "Confidential and discreet executive assistant."},
    {"about": "The baseline for the PV project."},
    {"about": "Sentencing of DV offenders; family court."},
    {"headline": "Sales | DV360 | Google Ads"},
    {"about": "Recruiting for eDV roles in Cheltenham."},
    {"about": "Talent partner: SC/DV cleared contractors."},
    {"about": "Ex-recruiter of DV cleared staff."},
    {"about": "NATO secret talks were in the news."},
    {"about": "My SC application is in progress."},
    {"about": "Awaiting DV clearance."},
    {"about": "Hoping to get SC."},
    {"about": "SC clearance not required."},
    {"about": "Full scope audit services for SMEs."},
    {"headline": "Technical Recruiter | Cleared jobs | TS/SCI | Poly"},
    {"headline": "Talent Acquisition Partner | DV | SC | NPPV3"},
    {"headline": "Staffing | Cleared talent | NV1 NV2"},
    {"about": "We deliver the full scope of TS migration work (TypeScript)."},
]


@pytest.mark.parametrize(("fields", "expected"), MORE_STATED)
def test_when_more_spellings_are_stated_then_they_are_found_exactly(fields: dict[str, Any], expected: set[str]) -> None:
    assert found("exposure.clearance", **fields) == expected


@pytest.mark.parametrize("fields", MORE_NOT_STATED)
def test_when_more_look_alikes_appear_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert found("exposure.clearance", **fields) == set()


#: Clearances held in the past (reported as held: clearances.md counts "held until 2022", "lapsed"), dated lists
#: of clearances, and a Top Secret clearance that goes on to name SCI.
PAST_DATED_AND_SCI_STATED = [
    ({"about": "Previously held BPSS."}, {"UK:BPSS"}),
    ({"headline": "Civil servant | previously held BPSS"}, {"UK:BPSS"}),
    ({"about": "Previously held BPSS, SC pending."}, {"UK:BPSS"}),
    ({"about": "No active clearance (previously held BPSS)."}, {"UK:BPSS"}),
    ({"about": "Not currently cleared but previously held BPSS."}, {"UK:BPSS"}),
    ({"about": "Held SC since 2015 and DV from 2019."}, {"UK:SC", "UK:DV"}),
    ({"about": "Held SC 2015-2018, DV 2019-present."}, {"UK:SC", "UK:DV"}),
    ({"about": "Held SC (2015-2018) and DV (since 2019)."}, {"UK:SC", "UK:DV"}),
    ({"about": "Held SC in March 2015 and DV in 2019."}, {"UK:SC", "UK:DV"}),
    ({"about": "Held BPSS since 2015 and SC since 2019."}, {"UK:BPSS", "UK:SC"}),
    ({"about": "Eligible for SC and currently hold DV."}, {"UK:DV"}),
    ({"about": "TS clearance with SCI access."}, {"US:TS/SCI"}),
    ({"about": "Active Top Secret security clearance w/ SCI."}, {"US:TS/SCI"}),
    ({"headline": "Analyst | TS clearance and SCI access | Full scope poly"}, {"US:TS/SCI", "US:POLY_FS"}),
    ({"about": "Holds a TS clearance with SCI and a CI poly."}, {"US:TS/SCI", "US:POLY_CI"}),
    ({"about": "TS clearance with SCI eligibility."}, {"US:TOP_SECRET"}),  # eligible for SCI: not read in
]

#: The same shapes, negated, hypothetical, advertised, or in another sense.
PAST_DATED_AND_SCI_NOT_STATED = [
    {"about": "Never previously held BPSS."},
    {"about": "No BPSS previously held; happy to be vetted."},
    {"about": "Must be able to obtain SC."},
    {"about": "Candidates must have held SC since 2015 and DV from 2019."},
    {"about": "SC since 2015 and DV from 2019 required."},
    {"about": "Eligible for SC and DV from 2019."},
    {"about": "I have not held SC since 2015."},
    {"about": "Not cleared (applied for SC in 2023)."},
    {"about": "Living in Columbia, SC since 2015."},
    {"about": "Lived in Greenville, SC since 2015 and in Durham, NC from 2019."},
    {"about": "Chair of the steering committee (SC) since 2015."},
    {"about": "DV support worker from 2019; safeguarding lead."},
    {"about": "Requires TS clearance with SCI access."},
    {"about": "Hiring: TS clearance with SCI access."},
    {"about": "Able to obtain a TS clearance with SCI eligibility."},
    {"about": "TypeScript (TS) developer, papers in SCI-indexed journals."},
    {"about": "Published in TS and SCI journals."},
    {"about": "Not (yet) SC cleared."},
    {"about": "No clearance (SC or DV)."},
]


@pytest.mark.parametrize(("fields", "expected"), PAST_DATED_AND_SCI_STATED)
def test_when_a_past_dated_or_sci_clearance_is_stated_then_it_is_found_exactly(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert found("exposure.clearance", **fields) == expected


@pytest.mark.parametrize("fields", PAST_DATED_AND_SCI_NOT_STATED)
def test_when_past_dated_or_sci_shapes_are_not_disclosures_then_nothing_is_found(fields: dict[str, Any]) -> None:
    assert found("exposure.clearance", **fields) == set()


def test_when_top_secret_goes_on_to_name_sci_then_the_evidence_quotes_both() -> None:
    p = Profile.model_validate({"id": "hard", "about": "Cleared: TS clearance with SCI access."})
    [finding] = DETECTOR["exposure.clearance"].detect(p, Context(sensitive_terms=TERMS))
    assert finding.value == "US:TS/SCI"
    assert [e.quote for e in finding.evidence] == ["TS clearance with SCI"]


#: The dev casebook's own terms list, against other spellings and the terms' everyday senses (profiles invented).
DEV_TERMS = ("Type 26", "Hunter class", "Ajax", "SKYNET 6", "Columbia class", "Sentinel", "LAND 400", "Moonraker",
             "Blackthorn", "Wedgetail")  # fmt: skip
DEV_TERM_CASES = [
    ({"about": "Hunter-class frigate combat systems at BAE Systems."}, {"Hunter class"}),
    ({"about": "HUNTER CLASS FFG, Royal Australian Navy."}, {"Hunter class"}),
    ({"about": "Skynet6A ground segment, MoD."}, {"SKYNET 6"}),
    ({"about": "Land400 Phase 3 integration for the Australian Army."}, {"LAND 400"}),
    ({"about": "Columbia-class SSBN design at Electric Boat."}, {"Columbia class"}),
    ({"about": "Type26 frigate, Royal Navy."}, {"Type 26"}),
    ({"about": "Type 26/31 frigates for the Royal Navy."}, {"Type 26"}),
    ({"about": "Ajax armoured vehicle trials, British Army."}, {"Ajax"}),
    ({"about": "E-7 Wedgetail mission systems, RAAF."}, {"Wedgetail"}),
    ({"about": "Worked on Moonraker, a secure messaging system for deployed forces."}, {"Moonraker"}),
    ({"about": "Ajax fan; web developer using AJAX and jQuery."}, set()),
    ({"about": "Sentinel lymph node biopsy research, oncology."}, set()),
    ({"about": "Copernicus Sentinel-2 imagery analyst."}, set()),
    ({"about": "Hunter class of 2019 graduate; Hunter College."}, set()),
    ({"about": "Type 260 valve fitter."}, set()),
    ({"about": "Moonraker fan: read every Bond book."}, set()),
    ({"about": "Blackthorn hedges and wildlife surveys."}, set()),
    ({"about": "Columbia class of 2015 (Columbia University)."}, set()),
    ({"about": "Wedgetail eagles in the Flinders Ranges; ecologist."}, set()),
    ({"about": "I follow news about the Type 26 programme as a defence journalist."}, set()),
    ({"headline": "Engineer on AJAX | British Army | SC"}, {"Ajax"}),
    ({"about": "Sentinel ICBM guidance engineer at Northrop Grumman."}, {"Sentinel"}),
]


@pytest.mark.parametrize(("fields", "expected"), DEV_TERM_CASES)
def test_when_listed_terms_meet_spellings_and_other_senses_then_only_work_on_them_counts(
    fields: dict[str, Any], expected: set[str]
) -> None:
    assert found("exposure.sensitive_project", DEV_TERMS, **fields) == expected
