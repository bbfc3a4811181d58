"""The scan report as one self-contained HTML file.

Every value from the archive is untrusted text: Jinja2 autoescaping is on for the whole template, links are
shown as text (never made clickable), and nothing is loaded from outside the file.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from counterpitch import __version__
from counterpitch.scan import ScanResult

#: The reports' one template environment (scan, audit and device pages): every value escaped, an unknown name an
#: error rather than an empty string.
TEMPLATES = Environment(
    loader=PackageLoader("counterpitch", "report/templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def made_at() -> str:
    """When a report is made, to the minute, in UTC: now, or SOURCE_DATE_EPOCH when set (the reproducible-builds
    convention), so that two runs over the same input can write byte-identical reports."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None:
        when = datetime.now(UTC)
    elif fixed.strip().isdigit():
        when = datetime.fromtimestamp(int(fixed), UTC)
    else:
        raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not {fixed!r}")
    return when.strftime("%Y-%m-%d %H:%M UTC")


def render_scan(result: ScanResult, title: str = "Counterpitch scan") -> str:
    kept = list(result.approaches)
    attention = [(a, s) for a, s in kept if s.band != "low"]
    quiet = [(a, s) for a, s in kept if s.band == "low"]
    return TEMPLATES.get_template("scan.html.j2").render(
        title=title,
        result=result,
        attention=attention,
        quiet=quiet,
        made=made_at(),
        version=__version__,
    )
