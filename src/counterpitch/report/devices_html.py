"""The device audit's site report as one self-contained HTML file: per site, covered devices by maker and by
basis (inline SVG bars from report/svg.py), and the devices to remove with every clue and where it came from.

Same rules as the other reports: Jinja2 autoescaping on for the whole template (asset names, banners and
register cells are hostile text), no script, nothing loaded from outside (a Content-Security-Policy forbids it).
"""

from __future__ import annotations

from counterpitch import __version__
from counterpitch.devices.summary import Summary
from counterpitch.devices.tables import Tables
from counterpitch.report.html import TEMPLATES, made_at
from counterpitch.report.svg import bar_chart


def render_devices(summary: Summary, tables: Tables, *, title: str = "Device audit", errors: int = 0) -> str:
    sites = []
    for name, s in sorted(summary.sites.items(), key=lambda kv: (-kv[1].covered, kv[0])):
        sites.append(
            {
                "name": name,
                "s": s,
                "makers": bar_chart(
                    s.makers.most_common(), label=f"Covered devices by maker at {name}", unit="devices"
                ),
                "bases": bar_chart(s.bases.most_common(), label=f"Covered devices by basis at {name}", unit="devices"),
            }
        )
    return TEMPLATES.get_template("devices.html.j2").render(
        title=title,
        summary=summary,
        sites=sites,
        bases=tables.bases,
        checked=tables.checked,
        registry=tables.registry.name,
        errors=errors,
        made=made_at(),
        version=__version__,
    )
