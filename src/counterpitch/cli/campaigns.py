"""`counterpitch campaigns link` and `counterpitch campaigns relink`: campaigns across approaches.

`link` works offline on a file of approaches (which of them one campaign sent, and what they share);
`relink` is the batch job over the web service's database. The group is added to the main app as `campaigns`
(cli/__init__.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from counterpitch.cli.common import fail, open_store, out, read_approaches

if TYPE_CHECKING:
    from counterpitch.campaigns.linking import Cluster
    from counterpitch.model import Approach

campaigns_app = typer.Typer(help="Campaigns: approaches linked by a shared sender, contact, firm or text.")


def _when(approach: Approach, default: datetime) -> datetime:
    """When the approach was sent, if it says in ISO form; else `default` (the time of the run)."""
    try:
        sent = datetime.fromisoformat(approach.sent_at or "")
    except ValueError:
        return default
    return sent if sent.tzinfo else sent.replace(tzinfo=UTC)


def _as_json(found: list[Cluster], approaches: list[Approach]) -> dict[str, object]:
    return {
        "approaches": len(approaches),
        "campaigns": [
            {
                "approach_ids": [approaches[i].id for i in c.report_ids],
                "reports": len(c.report_ids),
                "targets": c.targets,
                "first_seen": c.first_seen.isoformat(),
                "last_seen": c.last_seen.isoformat(),
                "indicators": [{"kind": i.kind, "value": i.value} for i in c.indicators],
            }
            for c in found
        ],
    }


@campaigns_app.command("link")
def link(
    path: Annotated[str, typer.Argument(help="Approaches: JSON, JSON array, JSONL or CSV; '-' for stdin.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, stix (STIX 2.1) or misp")] = "table",
    level: Annotated[str, typer.Option("--tlp", help="stix/misp: TLP 2.0 level (clear ... red).")] = "amber",
    org: Annotated[str, typer.Option("--org", help="stix/misp: your organisation, the author.")] = "Counterpitch user",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="stix/misp: write here.")] = None,
) -> None:
    """Which approaches in a file form campaigns, and the indicators they share."""
    from counterpitch.campaigns.batch import link_batch

    if fmt not in ("table", "json", "stix", "misp"):
        raise fail(f"--format: {fmt!r} is not one of table, json, stix, misp")
    approaches, errors = read_approaches(path, keep_going=False)
    if errors:
        raise typer.Exit(2)
    now = datetime.now(UTC)
    if fmt in ("stix", "misp"):
        _share(fmt, approaches, [_when(a, now) for a in approaches], level, org, output)
        return
    found = link_batch((i, a, _when(a, now), None) for i, a in enumerate(approaches))
    if fmt == "json":
        out.print_json(json.dumps(_as_json(found, approaches)))
        return
    table = Table(title=f"{len(found)} campaign(s) among {len(approaches)} approaches")
    for column in ("#", "approaches", "targets", "shared indicators"):
        table.add_column(column)
    for n, c in enumerate(found, start=1):
        ids = ", ".join(escape(approaches[i].id) for i in c.report_ids)
        shown = "\n".join(f"{i.kind}: {escape(i.value)}" for i in c.indicators)
        table.add_row(str(n), ids, str(c.targets), shown)
    out.print(table)


def _share(fmt: str, approaches: list[Approach], when: list[datetime], level: str, org: str, out: Path | None) -> None:
    """The file's campaigns as STIX or MISP; each approach assessed (fast path) for its ATT&CK techniques."""
    from counterpitch.cli.share import write_share
    from counterpitch.engine import Engine
    from counterpitch.share.sources import from_approaches

    engine = Engine.default(semantic=False, meaning=False)
    assessments = list(engine.assess_many(approaches, meaning="never"))
    share, guard = from_approaches(org, approaches, when, assessments)
    write_share(fmt, share, guard, level, out, None)


@campaigns_app.command("relink")
def relink(
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default: COUNTERPITCH_DATABASE_URL).")] = None,
) -> None:
    """Link every stored report again, as one batch (the service links each new report as it arrives)."""
    from counterpitch.campaigns.relink import relink_all

    store = open_store(db)
    try:
        with store.write() as session:
            done = relink_all(session)
    finally:
        store.dispose()
    out.print_json(json.dumps(done))
