"""Showing assessments: a rich table for people, JSON for machines. No verdicts are computed here."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from counterpitch.detectors.registry import Registry
from counterpitch.model import Assessment
from counterpitch.scoring import ScoreTrail

if TYPE_CHECKING:  # evaluation pulls in scipy (0.3 s): `check` must not pay for it at start-up
    from counterpitch.evaluation import Report
    from counterpitch.scan import ScanResult

BAND_STYLE = {"low": "bold green", "medium": "bold yellow", "high": "bold white on red"}


def assessment_json(a: Assessment) -> str:
    return json.dumps(a.to_json_dict(), ensure_ascii=False)


def assessment_panel(a: Assessment, trail: ScoreTrail | None = None) -> Panel:
    head = Text.assemble((f" {a.band.upper()} ", BAND_STYLE[a.band]), f"  score {a.score:.0f}/100  ", (a.id, "dim"))
    if a.language is not None:  # absent: read as English
        read = a.language.read
        head.append(
            f"  read in {a.language.name}" if read else f"  written in {a.language.name}: not read",
            "" if read else "yellow",
        )
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column("points", justify="right", width=7)
    table.add_column("finding", ratio=2)
    table.add_column("evidence", ratio=3)
    for f in a.findings:
        quotes = [f"{e.field}: \u201c{e.quote}\u201d" if e.quote else e.field for e in f.evidence[:2]]
        points = f"{f.weight:+.1f}" if f.weight is not None else ""
        style = "red" if f.severity == "high" else "yellow" if f.severity == "medium" else ""
        table.add_row(
            points,
            Text(f"{f.title}\n", style=style) + Text(f.detector, style="dim"),
            escape("\n".join(quotes)),
        )
    parts: list[object] = [head]
    if a.findings:
        parts.append(table)
    else:
        parts.append(Text("No indicators found.", style="dim"))
    if trail is not None:
        language = a.language.name if a.language is not None else "English"
        parts.append(Text("\n".join([f"language read: {language}", *trail.lines()]), style="dim"))
    if a.advice:
        parts.append(Text.assemble(("What to do: ", "bold"), a.advice))
    return Panel(Group(*parts), border_style=BAND_STYLE[a.band].split()[-1])  # type: ignore[arg-type]


def print_assessments(console: Console, items: Sequence[tuple[Assessment, ScoreTrail | None]]) -> None:
    for a, trail in items:
        console.print(assessment_panel(a, trail))
    if len(items) > 1:
        print_band_counts(console, len(items), {b: sum(a.band == b for a, _ in items) for b in BANDS})


BANDS = ("high", "medium", "low")


def print_band_counts(console: Console, total: int, counts: Mapping[str, int]) -> None:
    console.print(
        f"{total} approaches: [red]{counts['high']} high[/], [yellow]{counts['medium']} medium[/], "
        f"[green]{counts['low']} low[/]"
    )


def catalogue(console: Console, registry: Registry) -> None:
    table = Table(title=f"{len(registry)} detectors", expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("severity")
    table.add_column("on")
    table.add_column("title")
    table.add_column("ATT&CK")
    table.add_column("sources", ratio=2)
    for d in registry:
        m = d.meta
        table.add_row(
            escape(m.id), m.severity, m.target, escape(m.title), ", ".join(m.attack), escape("; ".join(m.sources))
        )
    console.print(table)


def evaluation(console: Console, report: Report, title: str) -> None:
    s = report.summary()
    table = Table(title=f"{title}: {report.method}, {int(s['cases'])} cases")
    table.add_column("band")
    table.add_column("recall (hostile flagged)", justify="right")
    table.add_column("precision", justify="right")
    table.add_column("false-positive rate (benign flagged)", justify="right")
    for name, label in (("medium_or_high", "medium or high"), ("high", "high")):
        table.add_row(
            label,
            f"{s[f'recall_{name}']:.1%}",
            f"{s[f'precision_{name}']:.1%}",
            f"{s[f'false_positive_rate_{name}']:.1%}",
        )
    console.print(table)
    conf = Table(title="confusion (rows: truth, columns: band)")
    conf.add_column("")
    for b in ("low", "medium", "high"):
        conf.add_column(b, justify="right")
    for label, row in report.confusion().items():
        conf.add_row(label, *(str(row[b]) for b in ("low", "medium", "high")))
    console.print(conf)
    console.print(f"ROC AUC of the score: [bold]{s['roc_auc']:.3f}[/]")


def print_scan(console: Console, result: ScanResult) -> None:
    """The terminal summary of an archive scan: what needs attention first, then the owner's own exposure."""
    c = result.counts
    console.print(
        f"[bold]{c.get('messages', 0)}[/] messages in [bold]{c.get('conversations', 0)}[/] conversations, "
        f"[bold]{c.get('invitations', 0)}[/] invitations, [bold]{c.get('connections', 0)}[/] connections"
    )
    bands = {b: sum(s.band == b for s in result.assessed) for b in BANDS}
    attention = bands["high"] + bands["medium"]
    if attention:
        console.print(f"[bold]{attention} approaches need attention:[/]")
        for s in result.attention():  # one at a time: a large archive's verdicts stay packed
            console.print(assessment_panel(s, None))
        if attention > 1:
            print_band_counts(console, attention, {**bands, "low": 0})
    else:
        console.print("No approach in this archive shows the marks of a cultivation attempt.")
    e = result.exposure
    table = Table(title=f"Your own profile: exposure {e.score:.0f}/100 ({e.band})", expand=True)
    table.add_column("what a stranger learns")
    table.add_column("where")
    for f in e.findings:
        where = ", ".join(ev.field for ev in f.evidence[:3])
        table.add_row(escape(f.title + (f": {f.value}" if f.value else "")), escape(where))
    console.print(table)
    if e.advice:
        console.print(Text.assemble(("What to change: ", "bold"), e.advice))
    for h in result.watchlist_hits:
        why = "; ".join(dict.fromkeys(f.title for f in h.findings))
        console.print(
            Text.assemble(("Connection to look at: ", "bold red"), h.name, f" ({h.company or 'no firm'}): {why}")
        )
    for w in result.warnings:
        console.print(Text(f"note: {w}", style="dim"))
