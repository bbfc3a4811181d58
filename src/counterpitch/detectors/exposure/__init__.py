"""Exposure detectors (family `exposure`): what one person's own profile tells an outsider about their access.

ASIO counted about 2,500 Australian profiles stating a clearance in 2025, and over 100 people on one military
project naming it; NPSA's first advice is not to advertise either. These detectors read a Profile (the engine
also converts an approach's recipient into one) and report each distinct disclosure once, with the places it
was seen. Word lists live in data/clearances.yaml and data/sensitive_roles.yaml; this package holds the rules
that tell a disclosure from its look-alikes: negated and hypothetical mentions ("eligible for SC", "SC
required"), acronyms with everyday senses (SC = South Carolina, PV = photovoltaic), words used as adjectives
("secret sauce"), programme names that are also ordinary words ("Sentinel" lymph nodes), and people who write
about a programme rather than work on it. Misspelt clearance words are read as the words (decision 0044).

Layout, in the order a profile meets it:
    text.py       the profile as cleaned text fields; clause breaks; RE2 anchor sets
    lists.py      data/clearances.yaml and data/sensitive_roles.yaml, validated and compiled on import
    common.py     what a scan returns, the negation/commentary discount, the shared detector shape
    clearance.py  exposure.clearance
    projects.py   exposure.sensitive_project
    roles.py      exposure.sensitive_role
    contacts.py   exposure.personal_contact
The registry imports this package and reads DETECTORS. Why each rule is as it is: text.py (speed),
the module docstrings, and docs/decisions/0005-exposure-detection.md.
"""

from __future__ import annotations

from counterpitch.detectors.base import Detector
from counterpitch.detectors.exposure.clearance import CLEARANCE, Candidate, ClearanceExposure, scan_clearances
from counterpitch.detectors.exposure.common import Scan
from counterpitch.detectors.exposure.contacts import CONTACT, ContactExposure, scan_contacts
from counterpitch.detectors.exposure.lists import CLEARANCES, ROLES
from counterpitch.detectors.exposure.projects import (
    CORROBORATE_OPTION,
    PROJECT,
    ProjectExposure,
    compile_terms,
    scan_projects,
)
from counterpitch.detectors.exposure.roles import ROLE, RoleExposure, scan_roles

DETECTORS: list[Detector] = [CLEARANCE, PROJECT, ROLE, CONTACT]

__all__ = [
    "CLEARANCES",
    "CORROBORATE_OPTION",
    "DETECTORS",
    "ROLES",
    "Candidate",
    "ClearanceExposure",
    "ContactExposure",
    "ProjectExposure",
    "RoleExposure",
    "Scan",
    "compile_terms",
    "scan_clearances",
    "scan_contacts",
    "scan_projects",
    "scan_roles",
]
