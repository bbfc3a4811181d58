"""`counterpitch audit`: an organisation's profiles in, per-person findings, the summary, the report and the
mosaic out. A thin face over counterpitch.audit and counterpitch.batch (added to the main app by cli/__init__.py).

Outputs: `--format` picks what goes to standard output (table: the summary for a person to read; json: the
summary; jsonl: one Assessment per profile, streamed; csv: one row per person, streamed, formula-safe).
`--out DIR` writes all of them as files (assessments.jsonl, people.csv, summary.json, report.html,
mosaic.graphml); `--html` and `--graphml` write one each.

Where it runs: in this process, streaming (the default), or on Dask with `--workers N` (a local cluster) or
`--scheduler tcp://HOST:PORT` (an existing one). Both go through batch.run_audit, which gives the same outputs
byte for byte either way, so the command has one path and only says where.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from functools import partial as bind
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from counterpitch.cli.common import BAD_INPUT, TERMS_HELP, Stop, Tally, err, fail, out, photo_folder

STOPPED = "stopped at the first bad record; --keep-going audits the rest"

if TYPE_CHECKING:
    from counterpitch.audit.approached import ApproachedIndex
    from counterpitch.audit.run import Partial
    from counterpitch.batch import PersonOutput

FORMATS = ("table", "json", "jsonl", "csv")
#: Profiles per Dask task unless `--partition-size` says otherwise (batch.PARTITION_SIZE, kept equal by a test;
#: importing batch here would load the engine for `--help`).
PARTITION_SIZE = 20_000
#: A scheduler address: tcp:// (or tls:// with Dask's TLS configured), a host name or address, a port.
_SCHEDULER = re.compile(r"(?:tcp|tls)://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})")


@dataclass(frozen=True)
class _Where:
    """Where the audit runs: here (neither `workers` nor `scheduler`), a local Dask cluster of `workers`
    processes, or the cluster at `scheduler`; the rest matters on Dask only."""

    workers: int | None = None
    scheduler: str | None = None
    partition_size: int = PARTITION_SIZE
    parts_dir: Path | None = None

    @property
    def dask(self) -> bool:
        return self.workers is not None or self.scheduler is not None


def audit(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Profile JSONL/JSON, CSV, Parquet, a LinkedIn archive (.zip) or a folder of them; '-' for stdin."
        ),
    ],
    terms: Annotated[Path | None, typer.Option("--terms", help=TERMS_HELP)] = None,
    org: Annotated[str | None, typer.Option("--org", help="The organisation's name, for the report.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, jsonl or csv")] = "table",
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write every output into this folder.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the self-contained HTML report here.")] = None,
    graphml: Annotated[Path | None, typer.Option("--graphml", help="Write the mosaic as GraphML here.")] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="The service's database URL: approached people come first.")
    ] = None,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="CSV/Parquet column to field, COLUMN=FIELD; repeatable.")
    ] = None,
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Skip bad records and audit the rest.")] = False,
    photos: Annotated[
        Path | None,
        typer.Option(
            "--photos",
            help="A folder of the profiles' photos, each named by the profile's slug or the person's name: "
            "profiles wearing a generated face are listed apart (never in an exposure score).",
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many of the most exposed people to keep.")] = 50,
    corroborate: Annotated[
        bool,
        typer.Option("--corroborate/--no-corroborate", help="Word-only terms count only beside defence context."),
    ] = True,
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Run on a local Dask cluster of N worker processes; same outputs."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run on an existing Dask cluster, tcp://HOST:PORT; same outputs. Workers must read the inputs.",
        ),
    ] = None,
    partition_size: Annotated[
        int | None,
        typer.Option("--partition-size", help=f"Profiles per Dask task (default {PARTITION_SIZE:,}); with Dask only."),
    ] = None,
    parts_dir: Annotated[
        Path | None,
        typer.Option(
            "--parts-dir",
            help="Folder the client and every worker share, for per-person part files (default: --out, else a "
            "temporary folder); with Dask only.",
        ),
    ] = None,
) -> None:
    """Audit an organisation's profiles for what they give away: clearances, sensitive projects and roles,
    personal contacts; the mosaic a stranger can build from them; and whom to help first.

    Runs in this process by default; --workers N or --scheduler tcp://HOST:PORT share it out on Dask with the
    same outputs, byte for byte (docs/scale-out.md)."""
    from counterpitch.audit.inputs import parse_mapping, read_terms

    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if top < 1:
        raise fail("--top must be at least 1")
    for target in (html, graphml):
        if target is not None and not target.parent.is_dir():
            raise fail(f"{target}: its folder does not exist")
    where = _where(inputs, workers, scheduler, partition_size, parts_dir or out_dir)
    folder = _photos(photos)
    try:
        column_map = parse_mapping(mapping or [])
        term_list = read_terms(terms) if terms is not None else ()
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise fail(str(exc)) from None
    partial, errors = _run(inputs, term_list, column_map, fmt, out_dir, db, top, keep_going, corroborate, where, folder)
    _write_outputs(partial, org, out_dir, html, graphml)
    if fmt == "table":
        _print_summary(partial, org)
    elif fmt == "json":
        print(json.dumps(partial.summary.to_json(org), ensure_ascii=False, indent=2))
    if errors:
        err.print(f"{errors} record(s) rejected", style="red")
        raise typer.Exit(BAD_INPUT)


def _photos(photos: Path | None) -> str | None:
    """The photo folder checked once here (a clear error before any profile is read), by absolute path: each
    process, Dask workers included, reads it again (audit/faces.py)."""
    if photos is None:
        return None
    photo_folder(photos)
    return str(photos.resolve())


def _where(
    inputs: list[str], workers: int | None, scheduler: str | None, partition_size: int | None, parts: Path | None
) -> _Where:
    """The Dask options checked together: each alone, both at once, and what only Dask can do."""
    if workers is not None and scheduler is not None:
        raise fail("give --workers or --scheduler, not both")
    if workers is not None and workers < 1:
        raise fail(f"--workers must be at least 1, not {workers}")
    if scheduler is not None and not _valid_address(scheduler):
        raise fail(f"--scheduler must be a Dask scheduler address, tcp://HOST:PORT, not {scheduler!r}")
    if partition_size is not None and partition_size < 1:
        raise fail(f"--partition-size must be at least 1, not {partition_size}")
    where = _Where(workers, scheduler, partition_size or PARTITION_SIZE, parts)
    if not where.dask and partition_size is not None:
        raise fail("--partition-size needs --workers or --scheduler")
    if where.dask and "-" in inputs:
        raise fail("standard input cannot be shared out to Dask workers; give a file")
    return where


def _valid_address(address: str) -> bool:
    match = _SCHEDULER.fullmatch(address)
    return match is not None and 1 <= int(match[1]) <= 65535


def _run(
    inputs: list[str],
    terms: tuple[str, ...],
    column_map: dict[str, str],
    fmt: str,
    out_dir: Path | None,
    db: str | None,
    top: int,
    keep_going: bool,
    corroborate: bool,
    where: _Where,
    photos: str | None = None,
) -> tuple[Partial, int]:
    """Every input through batch.run_audit, here or on Dask; returns the merged result and how many records
    were rejected (with --keep-going). Without it the first bad record ends the command (exit 2) before any
    summary, report or graph is written: they would show part of the organisation as if it were all."""
    from counterpitch.audit.core import audit_engine
    from counterpitch.audit.run import Partial
    from counterpitch.batch import SchedulerError, ShardError, run_audit

    approached = _approached(db) if db else None
    tally = Tally(keep_going, STOPPED)
    try:
        result = run_audit(
            inputs,
            engine_factory=bind(audit_engine, terms, corroborate=corroborate),
            new_partial=bind(Partial.empty, top_k=top, approached=approached, photos=photos),
            workers=where.workers,
            scheduler=where.scheduler,
            partition_size=where.partition_size,
            csv_mapping=column_map,
            outputs=_outputs(fmt, out_dir),
            parts_dir=where.parts_dir,
            on_error=tally.reject if keep_going or not where.dask else None,  # on Dask the first one raises ShardError
        )
    except Stop:
        raise typer.Exit(BAD_INPUT) from None
    except ShardError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
        err.print(STOPPED, style="dim")
        raise typer.Exit(BAD_INPUT) from None
    except SchedulerError as exc:
        raise fail(str(exc)) from None
    return result, tally.errors


def _outputs(fmt: str, out_dir: Path | None) -> list[PersonOutput]:
    """Where each person's line goes: stdout (jsonl, csv) and the --out files; the same line functions serve
    both runners, so a person reads the same whichever made it."""
    from counterpitch.batch import PersonOutput, csv_header, csv_line, jsonl_line

    outputs = []
    if fmt == "jsonl":
        outputs.append(PersonOutput(sys.stdout, jsonl_line))
    elif fmt == "csv":
        outputs.append(PersonOutput(sys.stdout, csv_line, csv_header()))
    if out_dir is not None:
        outputs += [
            PersonOutput(out_dir / "assessments.jsonl", jsonl_line),
            PersonOutput(out_dir / "people.csv", csv_line, csv_header()),
        ]
    return outputs


def _approached(db: str) -> ApproachedIndex:
    from sqlalchemy.exc import SQLAlchemyError

    from counterpitch.audit.approached import read_reports

    try:
        return read_reports(db)
    except (SQLAlchemyError, ValueError, ImportError) as exc:  # ImportError: no driver for that database
        raise fail(f"--db: cannot read the reports: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None


def _write_outputs(
    partial: Partial, org: str | None, out_dir: Path | None, html: Path | None, gml: Path | None
) -> None:
    """The summary, the report and the graph, where asked (the graph is built once, from the bounded extract)."""
    from counterpitch.audit.graph import build_graph, write_graphml
    from counterpitch.report.audit_html import render_audit

    if out_dir is not None:
        html, gml = html or out_dir / "report.html", gml or out_dir / "mosaic.graphml"
    if html is None and gml is None and out_dir is None:
        return
    graph = build_graph(partial.mosaic.kept())
    try:
        if out_dir is not None:
            text = json.dumps(partial.summary.to_json(org), ensure_ascii=False, indent=2) + "\n"
            (out_dir / "summary.json").write_text(text, encoding="utf-8")
        if html is not None:
            html.write_text(render_audit(partial.summary, partial.mosaic, graph, org=org), encoding="utf-8")
        if gml is not None:
            write_graphml(graph, gml)
    except OSError as exc:
        raise fail(f"{exc.filename}: cannot write: {exc.strerror}") from None


def _print_summary(partial: Partial, org: str | None) -> None:
    doc = partial.summary.to_json(org)
    bands = doc["bands"]
    with_ = doc["people_with"]
    assert isinstance(bands, dict) and isinstance(with_, dict)
    out.print(
        f"[bold]{escape(org or 'Exposure audit')}[/]: {doc['profiles']} profiles; "
        f"[red]{bands['high']} highly[/] and [yellow]{bands['medium']} somewhat[/] exposed; "
        f"{with_['clearances']} state a clearance, {with_['terms']} name a sensitive project, "
        f"{with_['roles']} show a sensitive role, {with_['contacts']} publish personal contacts."
    )
    for key, heading in (("clearances", "clearance"), ("terms", "sensitive term"), ("roles", "sensitive role")):
        rows = doc[key]
        assert isinstance(rows, list)
        if rows:
            t = Table(title=f"people per {heading}", title_justify="left", show_edge=False)
            t.add_column(heading)
            t.add_column("people", justify="right")
            for r in rows[:15]:
                t.add_row(escape(str(r["value"])), str(r["people"]))
            out.print(t)
    faces = doc.get("generated_faces")
    if isinstance(faces, dict):
        out.print(
            f"photos: {faces['checked']} profile photo(s) checked, [red]{faces['flagged']} wear a generated face[/]"
            + (f", {faces['unreadable']} could not be read" if faces["unreadable"] else "")
        )
        flagged = faces["profiles"]
        assert isinstance(flagged, list)
        if flagged:
            t = Table(
                title="profiles wearing a generated face (fake colleagues?)", title_justify="left", show_edge=False
            )
            for col in ("profile", "generated", "why"):
                t.add_column(col)
            for f in flagged[:20]:
                t.add_row(escape(str(f["name"] or f["id"])), f"{f['generated']:.2f}", escape("; ".join(f["reasons"])))
            out.print(t)
    priority = partial.summary.priority()
    if priority:
        t = Table(title="whom to help first", title_justify="left", show_edge=False)
        for col in ("person", "band", "score", "what to change"):
            t.add_column(col)
        for p in priority[:10]:
            who = escape(p.name or p.id) + (" [magenta](approached)[/]" if p.approached else "")
            t.add_row(who, p.band, f"{p.score:.0f}", escape(" ".join(p.changes[:2])))
        out.print(t)
