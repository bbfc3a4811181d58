"""What the command groups share: the consoles, the exit code for bad input, the common options, the engine as
the options build it, the readers of approaches, and the service's store.

Exit codes: 0 success, 2 bad input (a record that could not be read or validated, a missing file).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO, cast

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from counterpitch.engine import Engine, MeaningWhen
    from counterpitch.ingest.records import RecordError
    from counterpitch.model import Approach
    from counterpitch.photo.folder import PhotoFolder
    from counterpitch.store.db import Store

out = Console()
err = Console(stderr=True, soft_wrap=True)  # messages stay on one line for scripts that read them
BAD_INPUT = 2

WatchlistOpt = Annotated[
    list[Path] | None, typer.Option("--watchlist", "-w", help="Extra watchlist (YAML or CSV); repeatable.")
]
NoSeedOpt = Annotated[bool, typer.Option("--no-seed-watchlist", help="Do not load the built-in public watchlist.")]
TERMS_HELP = "Sensitive programme names, one per line: SHORT = Full Name = alias | sense words (only SHORT needed)."
TermsOpt = Annotated[Path | None, typer.Option("--terms", help=TERMS_HELP)]
SemanticOpt = Annotated[
    bool, typer.Option("--semantic/--no-semantic", help="Use the learnt wording model (semantic.wording).")
]
MEANING_HELP = (
    "When sentences are read by meaning (decision 0050): auto (one approach: always; many: unsure), always (every "
    "approach not already high), unsure (only those the fast path saw something in: score 10 or more, not high) "
    "or never (the fast path alone, the bulk speed)."
)
MeaningOpt = Annotated[str, typer.Option("--meaning", help=MEANING_HELP)]
WeightsOpt = Annotated[Path | None, typer.Option("--weights", help="Scorer weights JSON (from `train`).")]
RulesOpt = Annotated[
    list[Path] | None, typer.Option("--rules", help="Your own phrase rules (YAML, as data/detectors/); repeatable.")
]


def meaning_when(choice: str, single: bool) -> MeaningWhen:
    """The engine's `meaning` setting for --meaning: `auto` reads one approach always, many when unsure."""
    if choice == "auto":
        return "always" if single else "unsure"
    if choice in ("always", "unsure", "never"):
        return cast("MeaningWhen", choice)
    raise fail(f"--meaning must be auto, always, unsure or never, not {choice!r}")


def fail(message: str) -> typer.Exit:
    """Print `message` as an error and return the exit (code 2) for the caller to raise."""
    err.print(f"[red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(BAD_INPUT)


def build_engine(
    watchlist: list[Path] | None,
    no_seed: bool,
    terms: Path | None,
    semantic: bool,
    weights: Path | None,
    rules: list[Path] | None = None,
) -> Engine:
    """The engine as the common options ask for it; a file that cannot be read ends the command (exit 2)."""
    from counterpitch.engine import Engine
    from counterpitch.scoring import Scorer

    try:
        term_list = []
        if terms is not None:
            term_list = [
                t.strip() for t in terms.read_text("utf-8").splitlines() if t.strip() and not t.startswith("#")
            ]
        scorer = None
        if weights is not None:
            try:
                doc = json.loads(weights.read_text("utf-8"))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{weights}: not valid JSON: {exc}") from None
            scorer = Scorer.from_json(doc, str(weights))
        return Engine.default(
            watchlists=watchlist or [],
            seed_watchlist=not no_seed,
            sensitive_terms=term_list,
            semantic=semantic,
            scorer=scorer,
            extra_detectors=rules or [],
        )
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise fail(str(exc)) from None


def open_input(path: str) -> tuple[BinaryIO, str]:
    """The file at `path` (or stdin for '-') and the name to report it by; a missing file ends the command."""
    if path == "-":
        return sys.stdin.buffer, "<stdin>"
    p = Path(path)
    if not p.is_file():
        raise fail(f"{path}: {'a folder, not a file' if p.is_dir() else 'no such file'}")
    return p.open("rb"), path


class Stop(Exception):
    """The first bad record without --keep-going (already reported)."""


@dataclass
class Tally:
    """Bad records met so far, for every command that reads records: each is reported as it is met and counted
    (a RecordError may stand for several), and without `keep_going` the first one says `stopped` and raises
    `Stop`: the caller decides what the records before it are worth."""

    keep_going: bool = False
    stopped: str = "stopped at the first bad record; --keep-going reads the rest"
    errors: int = 0

    def reject(self, error: RecordError) -> None:
        self.errors += error.count
        err.print(f"[red]error:[/] {escape(str(error))}", highlight=False)
        if not self.keep_going:
            err.print(self.stopped, style="dim")
            raise Stop


def iter_approaches(path: str, tally: Tally) -> Iterator[Approach]:
    """The approaches of `path`, read lazily; each bad record goes to `tally.reject`. A missing file is refused
    here, before anything is read or built."""
    stream, source = open_input(path)
    return _read_lazily(path, stream, source, tally)


def _read_lazily(path: str, stream: BinaryIO, source: str, tally: Tally) -> Iterator[Approach]:
    from counterpitch.ingest.records import RecordError, read_records
    from counterpitch.model import Approach

    if path.lower().endswith(".csv"):
        from counterpitch.ingest.tabular import read_csv

        records = read_csv(stream, source)
    else:
        records = read_records(stream, Approach, source)
    folder = Path(path).resolve().parent if path != "-" else None
    with stream if path != "-" else contextlib.nullcontext(stream):
        for rec in records:
            if isinstance(rec, RecordError):
                tally.reject(rec)
            else:
                yield _photo_beside(rec, folder)


def _photo_beside(approach: Approach, folder: Path | None) -> Approach:
    """A relative `sender.photo` path is the file's neighbour, as a spreadsheet's links are, not the working
    folder's; data: URIs, URLs and absolute paths are left as they are."""
    sender = approach.sender
    ref = sender.photo if sender is not None else None
    if folder is None or sender is None or not ref or ref.startswith(("data:", "http://", "https://", "//", "ftp://")):
        return approach
    if Path(ref).is_absolute():
        return approach
    resolved = str(folder / ref)
    return approach.model_copy(update={"sender": sender.model_copy(update={"photo": resolved})})


def read_approaches(path: str, keep_going: bool) -> tuple[list[Approach], int]:
    """Every approach of `path` in a list (for evaluation and training, which need them all at once)."""
    tally = Tally(keep_going, "stopped at the first bad record")
    good: list[Approach] = []
    with contextlib.suppress(Stop):
        good.extend(iter_approaches(path, tally))
    return good, tally.errors


@contextlib.contextmanager
def using_store(db: str | None) -> Iterator[Store]:
    """The store at `db` for one command: a ValueError from it (a bad name, a refused password) is the command's
    one-line error, and the store's connections are closed however the command ends."""
    store = open_store(db)
    try:
        yield store
    except ValueError as exc:
        raise fail(str(exc)) from None
    finally:
        store.dispose()


def open_store(db: str | None) -> Store:
    """The store at `db`, migrated (imported late: the other commands should not pay for SQLAlchemy)."""
    from counterpitch.store.db import Store, default_url
    from counterpitch.store.migrate import upgrade

    store = Store(db or default_url())
    try:
        upgrade(store.engine)
    except Exception as exc:  # a bad URL, an unreachable server, a locked file: one line, exit 2
        raise fail(f"database {store.engine.url.render_as_string(hide_password=True)}: {exc}") from None
    return store


def photo_folder(photos: Path) -> PhotoFolder:
    """`--photos DIR` read (names only) before any record is: a missing or oversized folder ends the command."""
    from counterpitch.photo.folder import PhotoFolder, PhotoFolderError

    try:
        return PhotoFolder.read(photos)
    except PhotoFolderError as exc:
        raise fail(f"--photos {exc}") from None
