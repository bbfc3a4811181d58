"""`counterpitch photo`: is the face in a photo generated? One result per image, folders read recursively."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from counterpitch.cli.common import BAD_INPUT, err, fail, out

if TYPE_CHECKING:
    from counterpitch.photo import PhotoResult

#: What a folder is searched for (a file named on the command line is read whatever its name).
SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"})


def photo(
    paths: Annotated[list[Path], typer.Argument(help="Image files, or folders read recursively.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or jsonl")] = "table",
) -> None:
    """Whether each photo's face was made by a generator (StyleGAN and the like): a score from 0 to 1, a flag,
    the number of faces and the reasons. Unreadable images are reported and the rest still read (exit code 2)."""
    if fmt not in ("table", "json", "jsonl"):
        raise fail(f"--format must be table, json or jsonl, not {fmt!r}")
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise fail(f"{missing[0]}: no such file or folder")
    from counterpitch.photo import PhotoError, check_photo

    results: list[PhotoResult] = []
    errors = 0
    for path in _images(paths):
        try:
            result = check_photo(path)
        except PhotoError as exc:
            errors += 1
            err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
            continue
        if fmt == "jsonl":
            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        results.append(result)
    if fmt == "json":
        sys.stdout.write(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "table":
        _table(results)
    if errors:
        err.print(f"{errors} image(s) could not be read", style="red")
        raise typer.Exit(BAD_INPUT)


def _images(paths: list[Path]) -> Iterator[Path]:
    for p in paths:
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file())
        else:
            yield p


def _table(results: list[PhotoResult]) -> None:
    from rich.table import Table

    table = Table("photo", "generated", "flag", "faces", "reasons", show_lines=False)
    for r in results:
        flag = "[red]GENERATED[/]" if r.flag else "-"
        table.add_row(escape(r.path), f"{r.generated:.2f}", flag, str(r.faces), escape("; ".join(r.reasons)))
    out.print(table)
    flagged = sum(r.flag for r in results)
    out.print(f"{len(results)} photo(s) read, {flagged} treated as generated")
