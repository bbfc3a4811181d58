"""`counterpitch check`: approaches in (a file, stdin, or pasted text), assessments out, written as they come."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from counterpitch.cli.common import (
    BAD_INPUT,
    MeaningOpt,
    NoSeedOpt,
    RulesOpt,
    SemanticOpt,
    Stop,
    Tally,
    TermsOpt,
    WatchlistOpt,
    WeightsOpt,
    build_engine,
    err,
    fail,
    iter_approaches,
    meaning_when,
    out,
)

if TYPE_CHECKING:
    from counterpitch.model import Approach, Assessment, PersonProfile
    from counterpitch.scoring import ScoreTrail


def check(
    file: Annotated[
        str | None,
        typer.Argument(help="Approach JSON, JSON array, JSONL or CSV (see ingest/tabular.py); '-' for stdin."),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="The message text, pasted.")] = None,
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            help="What happened, in your own words (or a file holding it): with --text or instead of it.",
        ),
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject")] = None,
    sender_name: Annotated[str | None, typer.Option("--sender-name")] = None,
    sender_headline: Annotated[str | None, typer.Option("--sender-headline")] = None,
    sender_company: Annotated[str | None, typer.Option("--sender-company")] = None,
    sender_url: Annotated[str | None, typer.Option("--sender-url")] = None,
    sender_email: Annotated[str | None, typer.Option("--sender-email")] = None,
    sender_pdf: Annotated[
        Path | None, typer.Option("--sender-pdf", help="The sender's profile saved from LinkedIn as PDF.")
    ] = None,
    sender_photo: Annotated[
        Path | None,
        typer.Option(
            "--sender-photo", help="The sender's profile photo, saved as a file (checked for a generated face)."
        ),
    ] = None,
    recipient_headline: Annotated[str | None, typer.Option("--recipient-headline", help="Your own headline.")] = None,
    recipient_name: Annotated[
        str | None,
        typer.Option(
            "--recipient-name",
            help="Your name as LinkedIn shows it: a conversation pasted with --text is told apart by it "
            "(without it, whoever wrote first is taken for the sender).",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or jsonl")] = "table",
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Skip bad records and assess the rest.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show how each score was computed.")] = False,
    meaning: MeaningOpt = "auto",
    watchlist: WatchlistOpt = None,
    no_seed_watchlist: NoSeedOpt = False,
    terms: TermsOpt = None,
    semantic: SemanticOpt = True,
    weights: WeightsOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Assess approaches: a verdict (low, medium, high), the evidence behind it, and what to do."""
    from pydantic import ValidationError

    from counterpitch.ingest.pasted import read_approach
    from counterpitch.model import Approach

    if fmt not in ("table", "json", "jsonl"):
        raise fail(f"--format must be table, json or jsonl, not {fmt!r}")
    pasted = text is not None or account is not None
    if (file is None) == (not pasted):
        raise fail("give either FILE (or '-') or --text and/or --account, not both or neither")
    if sender_pdf is not None and not pasted:
        raise fail("--sender-pdf goes with --text (a file of approaches carries its own senders)")
    if sender_photo is not None and not pasted:
        raise fail("--sender-photo goes with --text (a file of approaches carries its own senders' photos)")
    if sender_photo is not None:
        _readable_photo(sender_photo)
    if account is not None:
        account = _account_text(account)
    if pasted and not (text or "").strip() and not (account or "").strip():
        raise fail("--text and --account are both empty: give the message, what happened, or both")
    tally = Tally(keep_going, "stopped at the first bad record; --keep-going assesses the rest")
    if pasted:
        sender: dict[str, object] = {
            k: v
            for k, v in {
                "name": sender_name,
                "headline": sender_headline,
                "company": sender_company,
                "profile_url": sender_url,
                "email": sender_email,
                "photo": str(sender_photo) if sender_photo is not None else None,
            }.items()
            if v
        }
        record: dict[str, object] = {"id": "pasted", "text": text, "subject": subject, "account": account}
        whole = False
        if sender_pdf is not None:
            saved = _profile_from_pdf(sender_pdf)
            sender = {**saved.to_json_dict(), **sender}  # options given by hand win over the PDF
            whole = saved.captured_whole
        if sender:
            record["sender"] = sender
        if recipient_headline:
            record["recipient"] = {"headline": recipient_headline}
        try:
            one = Approach.model_validate({k: v for k, v in record.items() if v is not None})
        except ValidationError as exc:
            where = "--account" if exc.errors()[0]["loc"][:1] == ("account",) else "--text"
            raise fail(f"{where}: {exc.errors()[0]['msg']}") from None
        if text and text.strip():  # a whole LinkedIn conversation pasted: a thread (ingest/pasted.py)
            one = read_approach(one, recipient_name)
        if whole:  # the PDF's lists are still the sender's whole history; typed fields change none of them
            one = one.with_sender_read_whole()
        approaches: Iterable[Approach] = [one]
    else:
        assert file is not None
        approaches = iter_approaches(file, tally)
    engine = build_engine(watchlist, no_seed_watchlist, terms, semantic, weights, rules)
    single = pasted or _is_single_object(file)
    when = meaning_when(meaning, single)
    write = _Writer(fmt, single=single)
    try:
        # Read, assessed and written batch by batch (Engine.assess_many): memory stays flat whatever the input.
        if explain:
            for assessment, trail in engine.assess_many_with_trail(approaches, meaning=when):
                write(assessment, trail)
        else:
            for assessment in engine.assess_many(approaches, meaning=when):
                write(assessment, None)
    except Stop:  # what was assessed before the bad record is written, and the output ended as valid JSON
        write.close(stopped=True)
        raise typer.Exit(BAD_INPUT) from None
    write.close()
    if tally.errors:
        err.print(f"{tally.errors} record(s) rejected", style="red")
        raise typer.Exit(BAD_INPUT)


class _Writer:
    """Assessments written as they come: JSON Lines a line each, a JSON array item by item (the same bytes as
    `json.dumps(list, indent=2)`), panels one by one with the band counts at the end. The first assessment is
    held back until a second arrives or the input ends, so a single-object input gets a single object."""

    def __init__(self, fmt: str, single: bool) -> None:
        self.fmt, self.single = fmt, single
        self.held: tuple[Assessment, ScoreTrail | None] | None = None
        self.count = 0
        self.bands = {"high": 0, "medium": 0, "low": 0}

    def __call__(self, assessment: Assessment, trail: ScoreTrail | None) -> None:
        self.count += 1
        self.bands[assessment.band] += 1
        if self.fmt == "jsonl":
            from counterpitch.render import assessment_json

            sys.stdout.write(assessment_json(assessment) + "\n")
        elif self.fmt == "table":
            from counterpitch.render import assessment_panel

            out.print(assessment_panel(assessment, trail))
        elif self.count == 1:
            self.held = assessment, trail
        else:
            if self.held is not None:
                sys.stdout.write("[\n" + self._item(self.held[0]))
                self.held = None
            sys.stdout.write(",\n" + self._item(assessment))

    @staticmethod
    def _item(assessment: Assessment) -> str:
        # Indented one level as inside a list (JSON text has no blank lines: every line is indented).
        return "  " + json.dumps(assessment.to_json_dict(), ensure_ascii=False, indent=2).replace("\n", "\n  ")

    def close(self, stopped: bool = False) -> None:
        """End the output: the array's bracket, the lone object, or the band counts (after a bad record that
        stopped the command, nothing when nothing was assessed, and a lone assessment in an array)."""
        if self.fmt == "json":
            if self.held is not None:
                doc = self.held[0].to_json_dict()
                one = self.single and not stopped
                sys.stdout.write(json.dumps(doc if one else [doc], ensure_ascii=False, indent=2) + "\n")
            elif self.count > 1:
                sys.stdout.write("\n]\n")
            elif self.count == 0 and not stopped:
                sys.stdout.write("[]\n")
        elif self.fmt == "table" and self.count > 1:
            from counterpitch.render import print_band_counts

            print_band_counts(out, self.count, self.bands)
        sys.stdout.flush()


def _account_text(value: str) -> str:
    """`--account` as given, or the text of the file it names (UTF-8): an account is often written beforehand."""
    path = Path(value)
    if "\n" in value or len(value) > 4096 or not path.is_file():
        return value
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"--account {value}: {exc}") from None


def _profile_from_pdf(path: Path) -> PersonProfile:
    import logging

    from counterpitch.ingest.profile_pdf import ProfilePdfError, read_profile_pdf

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its complaints about malformed files become ours
    try:
        profile, warnings = read_profile_pdf(path)
    except ProfilePdfError as exc:
        raise fail(str(exc)) from None
    for w in warnings:
        err.print(f"[yellow]note:[/] {escape(f'{path}: {w}')}", highlight=False)
    return profile


def _readable_photo(path: Path) -> None:
    """Refuse a photo that cannot be read before anything is assessed (the detector would only skip it)."""
    from counterpitch.photo import PhotoError, load_photo

    try:
        load_photo(path)
    except PhotoError as exc:
        raise fail(f"--sender-photo {exc}") from None


def _is_single_object(file: str | None) -> bool:
    if file is None or file == "-":
        return False
    with open(file, "rb") as fh:
        head = fh.read(4096).lstrip()
    return head.startswith(b"{") and head.count(b"\n{") == 0
