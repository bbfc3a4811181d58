"""`counterpitch audit`: an organisation's profiles in, per-person findings, the summary, the report and the
mosaic out. A thin face over counterpitch.audit (registered on the main app by cli.py).

Outputs: `--format` picks what goes to standard output (table: the summary for a person to read; json: the
summary; jsonl: one Assessment per profile, streamed; csv: one row per person, streamed, formula-safe).
`--out DIR` writes all of them as files (assessments.jsonl, people.csv, summary.json, report.html,
mosaic.graphml); `--html` and `--graphml` write one each.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.markup import escape
from rich.table import Table

from counterpitch.cli import BAD_INPUT, _fail, app, err, out

if TYPE_CHECKING:
    from counterpitch.audit.approached import ApproachedIndex
    from counterpitch.audit.run import Partial
    from counterpitch.ingest.records import RecordError
    from counterpitch.model import Assessment, Profile

FORMATS = ("table", "json", "jsonl", "csv")
Sink = Callable[["Profile", "Assessment"], None]


class _Stop(Exception):
    """The first bad record without --keep-going."""


@app.command()
def audit(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Profile JSONL/JSON, CSV, Parquet, a LinkedIn archive (.zip) or a folder of them; '-' for stdin."
        ),
    ],
    terms: Annotated[Path | None, typer.Option("--terms", help="Sensitive project names, one per line.")] = None,
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
    top: Annotated[int, typer.Option("--top", help="How many of the most exposed people to keep.")] = 50,
    corroborate: Annotated[
        bool,
        typer.Option("--corroborate/--no-corroborate", help="Word-only terms count only beside defence context."),
    ] = True,
) -> None:
    """Audit an organisation's profiles for what they give away: clearances, sensitive projects and roles,
    personal contacts; the mosaic a stranger can build from them; and whom to help first."""
    from counterpitch.audit.inputs import parse_mapping, read_terms

    if fmt not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if top < 1:
        raise _fail("--top must be at least 1")
    for target in (html, graphml):
        if target is not None and not target.parent.is_dir():
            raise _fail(f"{target}: its folder does not exist")
    try:
        column_map = parse_mapping(mapping or [])
        term_list = read_terms(terms) if terms is not None else ()
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise _fail(str(exc)) from None
    partial, errors, stopped = _run(inputs, term_list, column_map, fmt, out_dir, db, top, keep_going, corroborate)
    _write_outputs(partial, org, out_dir, html, graphml)
    if fmt == "table":
        _print_summary(partial, org)
    elif fmt == "json":
        print(json.dumps(partial.summary.to_json(org), ensure_ascii=False, indent=2))
    if errors:
        if stopped:
            err.print("stopped at the first bad record; --keep-going audits the rest", style="dim")
        err.print(f"{errors} record(s) rejected", style="red")
        raise typer.Exit(BAD_INPUT)


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
) -> tuple[Partial, int, bool]:
    from counterpitch.audit.core import audit_engine
    from counterpitch.audit.inputs import read_profiles
    from counterpitch.audit.run import Partial, audit_into

    approached = _approached(db) if db else None
    engine = audit_engine(terms, corroborate=corroborate)
    partial = Partial.empty(top_k=top, approached=approached)
    errors = 0

    def on_error(e: RecordError) -> None:
        nonlocal errors
        errors += 1
        err.print(f"[red]error:[/] {escape(str(e))}", highlight=False)
        if not keep_going:
            raise _Stop

    with _sinks(fmt, out_dir) as sink:
        try:
            for path in inputs:
                audit_into(engine, read_profiles(path, csv_mapping=column_map, on_error=on_error), partial, sink)
        except _Stop:
            return partial, errors, True
    return partial, errors, False


def _approached(db: str) -> ApproachedIndex:
    from sqlalchemy.exc import SQLAlchemyError

    from counterpitch.audit.approached import read_reports

    try:
        return read_reports(db)
    except (SQLAlchemyError, ValueError, ImportError) as exc:  # ImportError: no driver for that database
        raise _fail(f"--db: cannot read the reports: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None


@contextlib.contextmanager
def _sinks(fmt: str, out_dir: Path | None) -> Iterator[Sink]:
    """Where each person's Assessment goes as it is made: stdout (jsonl, csv) and the --out files."""
    from counterpitch.audit.export import CsvSink
    from counterpitch.render import assessment_json

    sinks: list[Sink] = []
    with contextlib.ExitStack() as stack:
        if fmt == "jsonl":
            sinks.append(_jsonl_sink(sys.stdout, assessment_json))
        elif fmt == "csv":
            sinks.append(CsvSink(sys.stdout))
        if out_dir is not None:
            jsonl = stack.enter_context((out_dir / "assessments.jsonl").open("w", encoding="utf-8"))
            table = stack.enter_context((out_dir / "people.csv").open("w", encoding="utf-8", newline=""))
            sinks += [_jsonl_sink(jsonl, assessment_json), CsvSink(table)]

        def every(p: Profile, a: Assessment) -> None:
            for s in sinks:
                s(p, a)

        yield every


def _jsonl_sink(stream: TextIO, dump: Callable[[Assessment], str]) -> Sink:
    def write(_: Profile, a: Assessment) -> None:
        stream.write(dump(a) + "\n")

    return write


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
        raise _fail(f"{exc.filename}: cannot write: {exc.strerror}") from None


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
    priority = partial.summary.priority()
    if priority:
        t = Table(title="whom to help first", title_justify="left", show_edge=False)
        for col in ("person", "band", "score", "what to change"):
            t.add_column(col)
        for p in priority[:10]:
            who = escape(p.name or p.id) + (" [magenta](approached)[/]" if p.approached else "")
            t.add_row(who, p.band, f"{p.score:.0f}", escape(" ".join(p.changes[:2])))
        out.print(t)
