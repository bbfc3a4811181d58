"""`counterpitch scan`: one's own LinkedIn data archive screened, conversation by conversation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from counterpitch.cli.common import (
    MeaningOpt,
    NoSeedOpt,
    TermsOpt,
    WatchlistOpt,
    build_engine,
    err,
    fail,
    meaning_when,
    out,
    photo_folder,
)

if TYPE_CHECKING:
    from counterpitch.photo.folder import PhotoFolder


def scan(
    archive: Annotated[
        Path, typer.Argument(help="Your LinkedIn data archive (the .zip from 'Get a copy of your data').")
    ],
    html: Annotated[Path | None, typer.Option("--html", help="Write the self-contained HTML report here.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    watchlist: WatchlistOpt = None,
    no_seed_watchlist: NoSeedOpt = False,
    terms: TermsOpt = None,
    meaning: MeaningOpt = "auto",
    photos: Annotated[
        Path | None,
        typer.Option(
            "--photos",
            help="A folder of your connections' profile photos, each named by the person's profile slug or name: "
            "each is checked for a generated face.",
        ),
    ] = None,
) -> None:
    """Screen every incoming conversation and invitation of your own archive, your own profile's exposure, and
    your connections against the watchlist. Nothing from the archive is written anywhere but where you ask."""
    from rich.progress import Progress

    from counterpitch.ingest.linkedin_archive import read_archive
    from counterpitch.ingest.records import RecordError
    from counterpitch.model import PersonProfile
    from counterpitch.render import print_scan
    from counterpitch.scan import scan as run_scan

    if fmt not in ("table", "json"):
        raise fail(f"--format must be table or json, not {fmt!r}")
    if not archive.is_file():
        raise fail(f"{archive}: {'a folder, not a file' if archive.is_dir() else 'no such file'}")
    if html is not None and not html.parent.is_dir():
        raise fail(f"{html}: its folder does not exist")
    try:
        data = read_archive(archive, lazy=True)
    except RecordError as exc:
        raise fail(str(exc)) from None
    when = meaning_when(meaning, single=False)
    engine = build_engine(watchlist, no_seed_watchlist, terms, True, None)
    folder = photo_folder(photos) if photos is not None else None
    connections = [
        PersonProfile(
            name=c.name,
            company=c.company,
            headline=c.position,
            profile_url=c.url,
            email=c.email,
            photo=_photo_of(folder, c.url, c.name),
        )
        for c in data.connections
    ]
    if folder is not None:
        data.warnings.append(folder.summary())
    # Conversation by conversation: only the HTML report, which shows the approaches themselves, keeps them.
    with Progress(console=err, transient=True, disable=fmt == "json" or data.counts["conversations"] < 200) as bar:
        task = bar.add_task("screening approaches", total=None)
        result = run_scan(
            engine,
            data.owner,
            data.approaches,
            connections,
            data.counts,
            data.warnings,
            progress=lambda n: bar.advance(task, n),
            meaning=when,
            keep_approaches=html is not None,
            rank=data.rank,
        )
    if html is not None:
        from counterpitch.report.html import render_scan

        try:
            html.write_text(render_scan(result, title=f"Counterpitch scan of {archive.name}"), encoding="utf-8")
        except OSError as exc:
            raise fail(f"{html}: cannot write the report: {exc.strerror}") from None
    if fmt == "json":
        result.write_json(sys.stdout)
    else:
        print_scan(out, result)
        if html is not None:
            out.print(f"HTML report written to {escape(str(html))}")


def _photo_of(folder: PhotoFolder | None, url: str | None, name: str | None) -> str | None:
    if folder is None:
        return None
    found = folder.photo_of(url, name)
    return str(found) if found is not None else None
