"""Charts and the mosaic picture as inline SVG, made here so the report needs no script and no outside file.

Every piece of text drawn comes from profiles, so every one is escaped (text and attributes alike); the SVG
holds no script, no links and no external references. Layouts are deterministic: the same audit draws the same
picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import networkx as nx
from markupsafe import Markup

#: Bars drawn at most; the rest are summed in one line below the chart.
MAX_BARS = 30
#: People drawn in the mosaic picture at most (the most exposed), with everything they connect to.
MAX_PEOPLE_DRAWN = 40
COLOURS = {
    "person": "#3f6fb5",
    "employer": "#6b7785",
    "team": "#9aa3ad",
    "project": "#c62828",
    "clearance": "#ef9f00",
    "site": "#2e7d32",
    "post": "#7b1fa2",
}
_BAND_COLOURS = {"high": "#c62828", "medium": "#ef9f00", "low": "#3f6fb5"}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(items: Sequence[tuple[str, int]], *, label: str, unit: str = "people", width: int = 640) -> Markup:
    """Horizontal bars, one per value, longest first as given."""
    shown = list(items[:MAX_BARS])
    if not shown:
        return Markup("")
    bar_h, gap, right = 20, 6, 60
    left = min(260, 24 + 8 * max(len(_short(name, 34)) for name, _ in shown))
    height = len(shown) * (bar_h + gap) + gap
    top = max(n for _, n in shown) or 1
    rows = []
    for i, (name, n) in enumerate(shown):
        y = gap + i * (bar_h + gap)
        w = max(2.0, (width - left - right) * n / top)
        rows.append(
            f'<g class="bar"><title>{_e(name)}: {n} {_e(unit)}</title>'
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{_e(_short(name, 34))}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3"></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + 14}" class="n">{n}</text></g>'
        )
    more = len(items) - len(shown)
    tail = f'<p class="muted">and {more} more (in the JSON summary)</p>' if more > 0 else ""
    return Markup(  # noqa: S704 - every piece of text in it went through _e
        f'<svg class="chart" role="img" aria-label="{_e(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>{tail}'
    )


def _focus(g: nx.DiGraph, limit: int) -> nx.DiGraph:
    """The most exposed people and everything they connect to, nodes and edges in a fixed order."""
    people = sorted(
        (n for n, d in g.nodes(data=True) if d.get("kind") == "person"),
        key=lambda n: (-float(g.nodes[n].get("score", 0)), n),
    )[:limit]
    keep = set(people)
    for n in people:
        keep.update(g.successors(n))
        keep.update(g.predecessors(n))
    sub: nx.DiGraph = nx.DiGraph()
    for n in sorted(keep):
        sub.add_node(n, **g.nodes[n])
    for a, b in sorted(g.subgraph(keep).edges()):
        sub.add_edge(a, b, **g.edges[a, b])
    return sub


def _packed_layout(g: nx.DiGraph, width: int, height: int) -> dict[str, tuple[float, float]]:
    """Each connected part laid out on its own (seeded spring layout), parts packed in rows, largest first.

    One spring layout over many separate parts pushes them to the edges and crushes each into a dot; laid out
    apart, every part keeps its shape and the picture stays the same for the same audit.
    """
    undirected = g.to_undirected(as_view=False)
    parts = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(c)))
    sizes = [30.0 + 26.0 * len(c) ** 0.5 for c in parts]
    scale = min(3.0, (width * height / max(1.0, sum((2 * s) ** 2 for s in sizes)) * 0.55) ** 0.5)
    out: dict[str, tuple[float, float]] = {}
    x, y, row = 10.0, 10.0, 0.0
    for nodes, size in zip(parts, sizes, strict=True):
        side = min(2 * size * scale, width - 20.0, height * 0.9)
        if x + side > width and x > 10:
            x, y, row = 10.0, y + row + 8, 0.0
        # A fresh graph in sorted order: a subgraph view walks its nodes in set order, which varies with the
        # string hash seed, and the spring layout depends on the order it is given.
        sub = nx.Graph()
        sub.add_nodes_from(sorted(nodes))
        sub.add_edges_from(sorted(tuple(sorted(e)) for e in undirected.subgraph(nodes).edges()))
        layout = nx.spring_layout(sub, seed=7, iterations=80) if len(nodes) > 1 else {next(iter(nodes)): (0.0, 0.0)}
        for n, (px, py) in layout.items():
            out[n] = (x + side / 2 + float(px) * (side / 2 - 14), y + side / 2 + float(py) * (side / 2 - 14))
        x, row = x + side + 8, max(row, side)
    return out


def mosaic_svg(g: nx.DiGraph, *, width: int = 960, height: int = 680, limit: int = MAX_PEOPLE_DRAWN) -> Markup:
    """The mosaic drawn with a seeded spring layout: people (sized by exposure) linked to what they state."""
    sub = _focus(g, limit)
    if sub.number_of_nodes() == 0:
        return Markup('<p class="muted">Nothing to draw: no profile states anything the mosaic uses.</p>')
    pos = _packed_layout(sub, width, height - 30)
    height = int(max(y for _, y in pos.values()) + 50)  # as tall as the packed parts need, legend below

    def at(n: str) -> tuple[float, float]:
        return pos[n]

    parts = []
    for a, b, d in sub.edges(data=True):
        (x1, y1), (x2, y2) = at(a), at(b)
        cls = "edge inferred" if d.get("inferred") else "edge"
        parts.append(
            f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}">'
            f"<title>{_e(d.get('relation', ''))}{': ' + _e(d['basis']) if d.get('basis') else ''}</title></line>"
        )
    for n, d in sub.nodes(data=True):
        x, y = at(n)
        kind = str(d.get("kind", ""))
        label = str(d.get("label", n))
        if kind == "person":
            r = 5 + float(d.get("score", 0)) / 14
            fill = _BAND_COLOURS.get(str(d.get("band")), COLOURS["person"])
            tip = f"{label} — {d.get('title', '')} (exposure {float(d.get('score', 0)):.0f})"
        else:
            r, fill, tip = 7.0, COLOURS.get(kind, "#999"), f"{kind}: {label}"
        shape = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}"></circle>'
            if kind == "person"
            else f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{fill}"></rect>'
        )
        shown = kind in ("person", "post", "project") or sub.degree(n) >= 2
        text = f'<text x="{x + r + 3:.1f}" y="{y + 4:.1f}">{_e(_short(label, 22))}</text>' if shown else ""
        parts.append(f'<g class="node {_e(kind)}"><title>{_e(tip)}</title>{shape}{text}</g>')
    legend = "".join(
        f'<g><rect x="{12 + i * 118}" y="{height - 22}" width="10" height="10" fill="{c}"></rect>'
        f'<text x="{26 + i * 118}" y="{height - 13}">{_e(k)}</text></g>'
        for i, (k, c) in enumerate(COLOURS.items())
    )
    return Markup(  # noqa: S704 - every piece of text in it went through _e
        f'<svg class="mosaic" role="img" aria-label="The mosaic: people and what their profiles say" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'{"".join(parts)}<g class="legend">{legend}</g></svg>'
    )
