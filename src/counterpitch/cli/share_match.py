"""`counterpitch share keygen|fingerprints|match|psi-start|psi-reply|psi-finish`: matching personas across
organisations without showing them (issue 15; docs/sharing-personas.md says what each mode protects).

Plain functions, added to the `share` group (cli/share.py) by cli/__init__.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from counterpitch.cli.common import err, fail, out, read_approaches, using_store

if TYPE_CHECKING:
    from counterpitch.share.identifiers import Persona

SourceArg = Annotated[
    str | None,
    typer.Argument(help="Approaches (JSON, JSONL, CSV; '-' for stdin) or a watchlist (.yaml, .yml, .csv with 'kind')."),
]
DbOpt = Annotated[str | None, typer.Option("--db", help="Read the service's store instead of a file (database URL).")]
AllOpt = Annotated[bool, typer.Option("--all-reports", help="With --db: every stored report, not only campaigns'.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table or json")]


def _is_watchlist(path: str) -> bool:
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        return True
    if p.suffix.lower() == ".csv" and p.is_file():
        with p.open(encoding="utf-8", errors="replace") as f:
            header = f.readline().lstrip("\ufeff").split(",")
        return "kind" in (h.strip() for h in header) and "source" in (h.strip() for h in header)
    return False


def _personas(source: str | None, db: str | None, all_reports: bool) -> list[Persona]:
    """The personas of a file or of the store: exactly one of them must be named."""
    from counterpitch.share import identifiers

    if (source is None) == (db is None):
        raise fail("name a file of approaches or a watchlist, or --db, and not both")
    if db is not None:
        with using_store(db) as store, store.read() as session:
            return identifiers.from_store(session, all_reports)
    assert source is not None
    if _is_watchlist(source):
        from counterpitch.watchlist import read_entries

        try:
            return identifiers.from_watchlist(e for e, _ in read_entries(source))
        except ValueError as exc:
            raise fail(str(exc)) from None
    approaches, errors = read_approaches(source, keep_going=False)
    if errors:
        raise typer.Exit(2)
    return identifiers.from_approaches(approaches)


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    """Written whole or not at all: a half-written file must never be sent."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(json.dumps(doc, separators=(",", ":")) + "\n", "utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise fail(f"{path}: cannot write: {exc.strerror}") from None


def keygen(
    output: Annotated[Path, typer.Option("--output", "-o", help="Key file to write (mode 0600).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing key file.")] = False,
) -> None:
    """Write a random 32-byte key for one trust community; hand it to its members by a safe channel."""
    from counterpitch.share.fingerprints import ShareError, new_key

    try:
        kid = new_key(output, force)
    except ShareError as exc:
        raise fail(str(exc)) from None
    err.print(f"wrote {escape(str(output))} (key id {kid}); anyone holding it can test guessed identifiers")


def fingerprints(
    source: SourceArg = None,
    key: Annotated[Path, typer.Option("--key", help="The community's key file (`share keygen`).")] = Path("share.key"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Fingerprint file to write (JSON).")] = Path(
        "fingerprints.json"
    ),
    db: DbOpt = None,
    all_reports: AllOpt = False,
    id_map: Annotated[
        Path | None,
        typer.Option(
            "--id-map",
            help="Number the personas p1, p2, ... in OUTPUT and keep their own ids in this file (0600, not to share).",
        ),
    ] = None,
) -> None:
    """Keyed hashes of each persona's identifiers (profile URL, e-mail, handles, name with firm); none in clear."""
    from dataclasses import replace

    from counterpitch.share.fingerprints import ShareError, document, read_key, write_secret

    try:
        secret = read_key(key)
    except ShareError as exc:
        raise fail(str(exc)) from None
    personas = _personas(source, db, all_reports)
    if id_map is not None:  # a watchlist id may spell the persona's name ('mi5-2025-amanda-qiu')
        numbered = {f"p{n}": p.id for n, p in enumerate(personas, start=1)}
        try:
            write_secret(id_map, json.dumps(numbered, indent=1), force=True)
        except ShareError as exc:
            raise fail(str(exc)) from None
        personas = [replace(p, id=local) for local, p in zip(numbered, personas, strict=True)]
    doc = document(secret, personas)
    _write_json(output, doc)
    n = sum(len(p["fp"]) for p in doc["personas"])
    err.print(f"{len(personas)} personas, {n} fingerprints -> {escape(str(output))} (key id {doc['key_id']})")


def match(
    a: Annotated[Path, typer.Argument(help="One side's fingerprint file.")],
    b: Annotated[Path, typer.Argument(help="The other side's, made under the same key.")],
    fmt: FormatOpt = "table",
) -> None:
    """Personas both files hold, with each side's persona ids and the kinds of identifier that matched."""
    from counterpitch.share.fingerprints import ShareError, load
    from counterpitch.share.fingerprints import match as join

    if fmt not in ("table", "json"):
        raise fail(f"--format: {fmt!r} is not one of table, json")
    try:
        fa, fb = load(a), load(b)
        found = join(fa, fb)
    except ShareError as exc:
        raise fail(str(exc)) from None
    if fmt == "json":
        doc = {
            "key_id": fa.key_id,
            "a": {"file": str(a), "personas": len(fa.personas)},
            "b": {"file": str(b), "personas": len(fb.personas)},
            "matches": [{"a": m.a, "b": m.b, "kinds": list(m.kinds)} for m in found],
        }
        out.print_json(json.dumps(doc))
        return
    table = Table(title=f"{len(found)} persona(s) in common ({len(fa.personas)} in A, {len(fb.personas)} in B)")
    for column in ("A's persona", "B's persona", "matched on"):
        table.add_column(column)
    for m in found:
        table.add_row(escape(m.a), escape(m.b), ", ".join(m.kinds))
    out.print(table)


SecretOpt = Annotated[Path, typer.Option("--secret", help="This side's secret for the run (mode 0600).")]


def psi_start(
    source: SourceArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to send to the other side.")] = Path("a1.json"),
    secret: SecretOpt = Path("psi-a.secret"),
    db: DbOpt = None,
    all_reports: AllOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing secret (ends its run).")] = False,
) -> None:
    """Private set intersection, step 1 of 3 (A): blind each identifier with a new secret; send OUTPUT to B."""
    from counterpitch.share import psi
    from counterpitch.share.fingerprints import ShareError

    personas = _personas(source, db, all_reports)
    try:
        doc = psi.start(personas, secret, force)
    except ShareError as exc:
        raise fail(str(exc)) from None
    _write_json(output, doc)
    err.print(f"{len(doc['points'])} blinded identifiers -> {escape(str(output))}; keep {escape(str(secret))}")


def psi_reply(
    start: Annotated[Path, typer.Argument(help="The file A sent (`psi-start`).")],
    source: SourceArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to send back to A.")] = Path("b1.json"),
    secret: Annotated[
        Path | None, typer.Option("--secret", help="This side's secret (made if missing; by default none is kept).")
    ] = None,
    db: DbOpt = None,
    all_reports: AllOpt = False,
) -> None:
    """Private set intersection, step 2 of 3 (B): blind A's points again and this side's own; send OUTPUT to A."""
    from counterpitch.share import psi
    from counterpitch.share.fingerprints import ShareError

    personas = _personas(source, db, all_reports)
    try:
        doc = psi.reply(start, personas, secret)
    except ShareError as exc:
        raise fail(str(exc)) from None
    _write_json(output, doc)
    err.print(f"{len(doc['replies'])} replies and {len(doc['points'])} own points -> {escape(str(output))}")


def psi_finish(
    start: Annotated[Path, typer.Argument(help="The file this side sent (`psi-start`).")],
    reply: Annotated[Path, typer.Argument(help="The other side's answer (`psi-reply`).")],
    secret: SecretOpt = Path("psi-a.secret"),
    fmt: FormatOpt = "table",
) -> None:
    """Private set intersection, step 3 of 3 (A): which of this side's personas the other side holds too."""
    from counterpitch.share import psi
    from counterpitch.share.fingerprints import ShareError

    if fmt not in ("table", "json"):
        raise fail(f"--format: {fmt!r} is not one of table, json")
    try:
        result = psi.finish(start, reply, secret)
    except ShareError as exc:
        raise fail(str(exc)) from None
    if fmt == "json":
        held = [{"persona": h.persona, "kinds": list(h.kinds)} for h in result.held]
        out.print_json(json.dumps({"identifiers": {"mine": result.mine, "theirs": result.theirs}, "held": held}))
        return
    title = f"{len(result.held)} of this side's personas held by the other ({result.mine} vs {result.theirs} ids)"
    table = Table(title=title)
    for column in ("persona", "matched on"):
        table.add_column(column)
    for h in result.held:
        table.add_row(escape(h.persona), ", ".join(h.kinds))
    out.print(table)
