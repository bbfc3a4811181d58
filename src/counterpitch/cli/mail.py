"""`counterpitch check-mail`: an .eml file or an mbox mailbox screened, attachments and links included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from counterpitch.cli.common import BAD_INPUT, NoSeedOpt, TermsOpt, WatchlistOpt, build_engine, err, fail, out


def check_mail(
    path: Annotated[Path, typer.Argument(help="An .eml file or an mbox mailbox.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or jsonl")] = "table",
    explain: Annotated[bool, typer.Option("--explain", help="Show how each score was computed.")] = False,
    watchlist: WatchlistOpt = None,
    no_seed_watchlist: NoSeedOpt = False,
    terms: TermsOpt = None,
) -> None:
    """Screen e-mail: the message as an approach, plus its attachments (programs, macro documents, "interview
    apps") and links. Bad messages in a mailbox are reported and the rest still screened (exit 2 if any)."""
    from counterpitch.ingest.mail import MailError, read_mail
    from counterpitch.ingest.mail_findings import assess_mail_with_trail
    from counterpitch.render import assessment_json, print_assessments

    if fmt not in ("table", "json", "jsonl"):
        raise fail(f"--format must be table, json or jsonl, not {fmt!r}")
    if not path.is_file():
        raise fail(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    engine = build_engine(watchlist, no_seed_watchlist, terms, True, None)
    results = []
    errors = 0
    for item in read_mail(path):
        if isinstance(item, MailError):
            errors += 1
            err.print(f"[red]error:[/] {escape(str(item))}", highlight=False)
            continue
        for w in item.warnings:
            err.print(f"[yellow]note:[/] {escape(f'{path}: {w}')}", highlight=False)
        results.append(assess_mail_with_trail(engine, item))
    if fmt == "jsonl":
        for a, _ in results:
            print(assessment_json(a))
    elif fmt == "json":
        print(json.dumps([a.to_json_dict() for a, _ in results], ensure_ascii=False, indent=2))
    else:
        print_assessments(out, [(a, t if explain else None) for a, t in results])
    if errors:
        raise typer.Exit(BAD_INPUT)
