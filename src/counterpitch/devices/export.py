"""A verdict as a JSON line and as a CSV row a spreadsheet shows and never evaluates.

Registers and banners are hostile text: a hostname or a server header can be `=HYPERLINK(...)`. Every CSV cell
goes through audit/export.py's safe_cell (a leading = + - @ tab or CR is quoted), as the people audit's are.
"""

from __future__ import annotations

import json

from counterpitch.audit.export import safe_cell
from counterpitch.devices.model import Verdict

COLUMNS = (
    "asset",
    "site",
    "ip",
    "mac",
    "vendor",
    "brand",
    "covered",
    "check",
    "basis",
    "confidence",
    "conflict",
    "note",
    "evidence",
    "sources",
)


def evidence_text(v: Verdict) -> str:
    """Each clue on one line of text: `oui 44:19:B6:12:34:56 in 44:19:B6 -> Hikvision @ assets.csv line 2, mac`."""
    return "; ".join(
        f"{'register ' if c.claim else ''}{c.kind} {c.value} -> {c.label} ({c.weight:g}) @ {c.source}"
        for c in v.evidence
    )


def csv_row(v: Verdict) -> list[str]:
    row: list[object] = [
        v.asset,
        v.site,
        v.ip,
        v.mac,
        v.vendor,
        v.brand,
        "true" if v.covered else "false",
        "true" if v.check else "false",
        ";".join(v.basis),
        f"{v.confidence:.3f}",
        v.conflict,
        v.note,
        evidence_text(v),
        "; ".join(v.sources),
    ]
    return [safe_cell(x) for x in row]


def json_line(v: Verdict) -> str:
    return json.dumps(v.to_json(), ensure_ascii=False)
