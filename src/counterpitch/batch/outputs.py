"""Per-person lines as the audit command writes them, as top-level functions a Dask worker can be sent.

The same functions serve the single-process run, so a person's line is the same text whichever runner made it.
"""

from __future__ import annotations

import csv
import io

from counterpitch.audit.export import COLUMNS, person_row
from counterpitch.model import Assessment, Profile
from counterpitch.render import assessment_json


def jsonl_line(profile: Profile, assessment: Assessment) -> str:
    """One Assessment as a JSON line (`--format jsonl`, assessments.jsonl)."""
    return assessment_json(assessment) + "\n"


def _csv_text(row: list[str] | tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    return buffer.getvalue()


def csv_line(profile: Profile, assessment: Assessment) -> str:
    """One person as a CSV row, safe against formula injection (audit/export.py)."""
    return _csv_text(person_row(profile, assessment))


def csv_header() -> str:
    return _csv_text(COLUMNS)
