"""Per-person rows for spreadsheets, safe against formula injection.

A profile is written by its owner, and anyone can put `=HYPERLINK(...)` or `=cmd|...` in a headline. A
spreadsheet opening the audit's CSV would evaluate it. Every cell that starts with = + - @, a tab or a carriage
return is prefixed with a single quote (OWASP, "CSV Injection"), so it is shown as text; nothing else changes.
"""

from __future__ import annotations

from counterpitch.audit.person import changes_for
from counterpitch.model import Assessment, Profile

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "id",
    "name",
    "headline",
    "score",
    "band",
    "clearances",
    "sensitive_projects",
    "sensitive_roles",
    "personal_contacts",
    "changes",
)
_KIND_COLUMN = {
    "exposure.clearance": "clearances",
    "exposure.sensitive_project": "sensitive_projects",
    "exposure.sensitive_role": "sensitive_roles",
    "exposure.personal_contact": "personal_contacts",
}


def safe_cell(value: object) -> str:
    """The value as text a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_TRIGGERS) else text


def person_row(profile: Profile, assessment: Assessment) -> list[str]:
    values: dict[str, list[str]] = {c: [] for c in _KIND_COLUMN.values()}
    for f in assessment.findings:
        if f.detector in _KIND_COLUMN:
            values[_KIND_COLUMN[f.detector]].append(f.value or "")
    row: list[object] = [
        profile.id,
        profile.name,
        profile.headline,
        f"{assessment.score:.1f}",
        assessment.band,
        *("; ".join(sorted(values[c])) for c in _KIND_COLUMN.values()),
        " ".join(changes_for(assessment)),
    ]
    return [safe_cell(v) for v in row]
