"""A browser's User-Agent header, summarised for the person's own list of sessions ("Firefox 128 on Linux").

The header is whatever the client sent, so an attacker's string can reach the page: the summary keeps only
printable characters and a bounded length, and the template escapes it like all other text.
"""

from __future__ import annotations

import re

MAX_SUMMARY = 120
_FALLBACK = 80

#: (pattern, name) in order of precedence: Edge and Opera also say Chrome, Chrome also says Safari.
_BROWSERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), name)
    for p, name in (
        (r"\bEdgA?/(\d+)", "Edge"),
        (r"\bOPR/(\d+)", "Opera"),
        (r"\bFirefox/(\d+)", "Firefox"),
        (r"\bCrIOS/(\d+)", "Chrome"),
        (r"\bChrome/(\d+)", "Chrome"),
        (r"\bVersion/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/", "Safari"),
        (r"\bcurl/(\d+)", "curl"),
    )
)
_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Windows", "Windows"),
    ("Linux", "Linux"),
)
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]+")


def summarise(header: str | None) -> str | None:
    """ "Browser N on System" when either is known, else the header itself, cleaned and cut; None when empty."""
    text = " ".join(_UNPRINTABLE.sub(" ", header or "").split())
    if not text:
        return None
    browser = next((f"{name} {m.group(1)}" for p, name in _BROWSERS if (m := p.search(text))), None)
    system = next((name for key, name in _SYSTEMS if key in text), None)
    if browser or system:
        return " on ".join(part for part in (browser or "A browser", system) if part)[:MAX_SUMMARY]
    return text if len(text) <= _FALLBACK else text[: _FALLBACK - 1] + "…"
