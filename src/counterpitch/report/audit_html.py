"""The organisation audit as one self-contained HTML file: figures, charts, whom to help first, the mosaic.

Same rules as the scan report (report/html.py): autoescaping everywhere, no script, no outside file (a
Content-Security-Policy forbids both), charts drawn as inline SVG by report/svg.py with their text escaped.
"""

from __future__ import annotations

import networkx as nx

from counterpitch import __version__
from counterpitch.audit.graph import clusters, named_lines, rosters
from counterpitch.audit.mosaic import Mosaic
from counterpitch.audit.summary import OrgSummary
from counterpitch.report.html import TEMPLATES, made_at
from counterpitch.report.svg import bar_chart, mosaic_svg

#: Lines of each inference listed in the report (the GraphML export has them all).
MAX_LISTED = 40


def render_audit(summary: OrgSummary, mosaic: Mosaic, graph: nx.DiGraph, *, org: str | None = None) -> str:
    doc = summary.to_json(org)
    people = mosaic.kept()

    def pairs(key: str) -> list[tuple[str, int]]:
        return [(str(c["value"]), int(c["people"])) for c in doc[key]]  # type: ignore[attr-defined]

    title = f"Exposure audit: {org}" if org else "Exposure audit"
    return TEMPLATES.get_template("audit.html.j2").render(
        title=title,
        doc=doc,
        summary=summary,
        priority=summary.priority(),
        charts={
            "clearances": bar_chart(pairs("clearances"), label="People per clearance level"),
            "schemes": bar_chart(pairs("schemes"), label="People per clearance scheme"),
            "terms": bar_chart(pairs("terms"), label="People per sensitive term"),
            "roles": bar_chart(pairs("roles"), label="People per sensitive role"),
        },
        picture=mosaic_svg(graph),
        rosters=rosters(people)[:MAX_LISTED],
        lines=named_lines(graph)[:MAX_LISTED],
        clusters=clusters(people)[:MAX_LISTED],
        mosaic_people=len(people),
        mosaic_seen=mosaic.seen,
        made=made_at(),
        version=__version__,
    )
