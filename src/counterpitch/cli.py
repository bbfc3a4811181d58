"""The `counterpitch` command: a thin face over the engine (typer + rich).

Exit codes: 0 success, 2 bad input (a record that could not be read or validated, a missing file).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from counterpitch.engine import Engine
    from counterpitch.model import Approach, Assessment, PersonProfile
    from counterpitch.scoring import ScoreTrail

app = typer.Typer(
    help="Screen professional-network approaches for hostile-state recruitment, offline.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)  # messages stay on one line for scripts that read them
BAD_INPUT = 2

WatchlistOpt = Annotated[
    list[Path] | None, typer.Option("--watchlist", "-w", help="Extra watchlist (YAML or CSV); repeatable.")
]
NoSeedOpt = Annotated[bool, typer.Option("--no-seed-watchlist", help="Do not load the built-in public watchlist.")]
TERMS_HELP = "Sensitive programme names, one per line: SHORT = Full Name = alias | sense words (only SHORT needed)."
TermsOpt = Annotated[Path | None, typer.Option("--terms", help=TERMS_HELP)]
SemanticOpt = Annotated[bool, typer.Option("--semantic/--no-semantic", help="Use the meaning-level layer.")]
WeightsOpt = Annotated[Path | None, typer.Option("--weights", help="Scorer weights JSON (from `train`).")]
RulesOpt = Annotated[
    list[Path] | None, typer.Option("--rules", help="Your own phrase rules (YAML, as data/detectors/); repeatable.")
]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(BAD_INPUT)


def _engine(
    watchlist: list[Path] | None,
    no_seed: bool,
    terms: Path | None,
    semantic: bool,
    weights: Path | None,
    rules: list[Path] | None = None,
) -> Engine:
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
        raise _fail(str(exc)) from None


def _open(path: str) -> tuple[BinaryIO, str]:
    if path == "-":
        return sys.stdin.buffer, "<stdin>"
    p = Path(path)
    if not p.is_file():
        raise _fail(f"{path}: {'a folder, not a file' if p.is_dir() else 'no such file'}")
    return p.open("rb"), path


class _Stop(Exception):
    """The first bad record without --keep-going (already reported)."""


@dataclass
class _Tally:
    """Bad records met so far by a lazy reader (`_approaches`)."""

    errors: int = 0


def _approaches(path: str, keep_going: bool, tally: _Tally) -> Iterator[Approach]:
    """The approaches of `path`, read lazily; each bad record is reported and counted, and without `keep_going`
    the first one raises `_Stop` (the caller decides what the records before it are worth). A missing file is
    refused here, before anything is read or built."""
    stream, source = _open(path)
    return _read_lazily(path, stream, source, keep_going, tally)


def _read_lazily(path: str, stream: BinaryIO, source: str, keep_going: bool, tally: _Tally) -> Iterator[Approach]:
    from counterpitch.ingest.records import RecordError, read_records
    from counterpitch.model import Approach

    if path.lower().endswith(".csv"):
        from counterpitch.ingest.tabular import read_csv

        records = read_csv(stream, source)
    else:
        records = read_records(stream, Approach, source)
    with stream if path != "-" else contextlib.nullcontext(stream):
        for rec in records:
            if isinstance(rec, RecordError):
                tally.errors += 1
                err.print(f"[red]error:[/] {escape(str(rec))}", highlight=False)
                if not keep_going:
                    err.print("stopped at the first bad record; --keep-going assesses the rest", style="dim")
                    raise _Stop
            else:
                yield rec


def _read_approaches(path: str, keep_going: bool) -> tuple[list[Approach], int]:
    """Every approach of `path` in a list (for evaluation and training, which need them all at once)."""
    tally = _Tally()
    good: list[Approach] = []
    with contextlib.suppress(_Stop):
        good.extend(_approaches(path, keep_going, tally))
    return good, tally.errors


@app.command()
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
    recipient_headline: Annotated[str | None, typer.Option("--recipient-headline", help="Your own headline.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or jsonl")] = "table",
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Skip bad records and assess the rest.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show how each score was computed.")] = False,
    watchlist: WatchlistOpt = None,
    no_seed_watchlist: NoSeedOpt = False,
    terms: TermsOpt = None,
    semantic: SemanticOpt = True,
    weights: WeightsOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Assess approaches: a verdict (low, medium, high), the evidence behind it, and what to do."""
    from pydantic import ValidationError

    from counterpitch.model import Approach

    if fmt not in ("table", "json", "jsonl"):
        raise _fail(f"--format must be table, json or jsonl, not {fmt!r}")
    pasted = text is not None or account is not None
    if (file is None) == (not pasted):
        raise _fail("give either FILE (or '-') or --text and/or --account, not both or neither")
    if sender_pdf is not None and not pasted:
        raise _fail("--sender-pdf goes with --text (a file of approaches carries its own senders)")
    if account is not None:
        account = _account_text(account)
    if pasted and not (text or "").strip() and not (account or "").strip():
        raise _fail("--text and --account are both empty: give the message, what happened, or both")
    tally = _Tally()
    if pasted:
        sender: dict[str, object] = {
            k: v
            for k, v in {
                "name": sender_name,
                "headline": sender_headline,
                "company": sender_company,
                "profile_url": sender_url,
                "email": sender_email,
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
            raise _fail(f"{where}: {exc.errors()[0]['msg']}") from None
        if whole:  # the PDF's lists are still the sender's whole history; typed fields change none of them
            one = one.with_sender_read_whole()
        approaches: Iterable[Approach] = [one]
    else:
        assert file is not None
        approaches = _approaches(file, keep_going, tally)
    engine = _engine(watchlist, no_seed_watchlist, terms, semantic, weights, rules)
    write = _Writer(fmt, single=pasted or _is_single_object(file))
    try:
        # Read, assessed and written batch by batch (Engine.assess_many): memory stays flat whatever the input.
        if explain:
            for assessment, trail in engine.assess_many_with_trail(approaches):
                write(assessment, trail)
        else:
            for assessment in engine.assess_many(approaches):
                write(assessment, None)
    except _Stop:  # what was assessed before the bad record is written, and the output ended as valid JSON
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
        raise _fail(f"--account {value}: {exc}") from None


def _profile_from_pdf(path: Path) -> PersonProfile:
    import logging

    from counterpitch.ingest.profile_pdf import ProfilePdfError, read_profile_pdf

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its complaints about malformed files become ours
    try:
        profile, warnings = read_profile_pdf(path)
    except ProfilePdfError as exc:
        raise _fail(str(exc)) from None
    for w in warnings:
        err.print(f"[yellow]note:[/] {escape(f'{path}: {w}')}", highlight=False)
    return profile


def _is_single_object(file: str | None) -> bool:
    if file is None or file == "-":
        return False
    with open(file, "rb") as fh:
        head = fh.read(4096).lstrip()
    return head.startswith(b"{") and head.count(b"\n{") == 0


@app.command()
def detectors() -> None:
    """Print the catalogue of detectors: id, severity, ATT&CK techniques and the sources each rests on."""
    from counterpitch.detectors.registry import default_registry
    from counterpitch.render import catalogue

    catalogue(out, default_registry())


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="approach, assessment or profile.")],
) -> None:
    """Print the JSON Schema of an Approach, Assessment or Profile: the records the CLI reads and writes."""
    from counterpitch import schemas

    try:
        text = schemas.text(name.lower())
    except KeyError as exc:
        raise _fail(str(exc.args[0])) from None
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command("check-mail")
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
        raise _fail(f"--format must be table, json or jsonl, not {fmt!r}")
    if not path.is_file():
        raise _fail(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    engine = _engine(watchlist, no_seed_watchlist, terms, True, None)
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


@app.command()
def scan(
    archive: Annotated[
        Path, typer.Argument(help="Your LinkedIn data archive (the .zip from 'Get a copy of your data').")
    ],
    html: Annotated[Path | None, typer.Option("--html", help="Write the self-contained HTML report here.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    watchlist: WatchlistOpt = None,
    no_seed_watchlist: NoSeedOpt = False,
    terms: TermsOpt = None,
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
        raise _fail(f"--format must be table or json, not {fmt!r}")
    if not archive.is_file():
        raise _fail(f"{archive}: {'a folder, not a file' if archive.is_dir() else 'no such file'}")
    if html is not None and not html.parent.is_dir():
        raise _fail(f"{html}: its folder does not exist")
    try:
        data = read_archive(archive, lazy=True)
    except RecordError as exc:
        raise _fail(str(exc)) from None
    engine = _engine(watchlist, no_seed_watchlist, terms, True, None)
    connections = [
        PersonProfile(name=c.name, company=c.company, headline=c.position, profile_url=c.url, email=c.email)
        for c in data.connections
    ]
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
            keep_approaches=html is not None,
            rank=data.rank,
        )
    if html is not None:
        from counterpitch.report.html import render_scan

        try:
            html.write_text(render_scan(result, title=f"Counterpitch scan of {archive.name}"), encoding="utf-8")
        except OSError as exc:
            raise _fail(f"{html}: cannot write the report: {exc.strerror}") from None
    if fmt == "json":
        result.write_json(sys.stdout)
    else:
        print_scan(out, result)
        if html is not None:
            out.print(f"HTML report written to {escape(str(html))}")


@app.command("eval")
def evaluate_cmd(
    casebook: Annotated[Path, typer.Argument(help="Labelled approaches (JSONL).")],
    cv: Annotated[int, typer.Option("--cv", help="K-fold cross-validation (0: no cross-validation).")] = 0,
    training: Annotated[
        bool, typer.Option("--training/--no-training", help="Add the invented training set in CV.")
    ] = True,
    semantic: SemanticOpt = True,
    compare: Annotated[
        bool, typer.Option("--compare", help="Also measure without the learnt wording layer (refitted).")
    ] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the full report as JSON.")] = None,
    weights: WeightsOpt = None,
) -> None:
    """Recall, precision and false-positive rate per band, a confusion table and ROC AUC on labelled cases.

    Without --cv the shipped model scores the cases; with --compare each variant is refitted on the invented
    training set (or, with --cv, per fold), so the comparison is like for like.
    """
    from counterpitch.evaluation import cross_validate, evaluate, labelled, train_then_test
    from counterpitch.render import evaluation

    if cv < 0 or cv == 1:
        raise _fail("--cv takes 0 (no cross-validation) or a number of folds of at least 2")

    cases, errors = _read_approaches(str(casebook), keep_going=False)
    if errors:
        raise typer.Exit(BAD_INPUT)
    try:
        cases = labelled(cases, str(casebook))
    except ValueError as exc:
        raise _fail(str(exc)) from None
    reports = {}
    for layer in [semantic] + ([not semantic] if compare else []):
        engine = _engine(None, False, None, layer, weights)
        if cv:
            report = cross_validate(engine, cases, k=cv, with_training=training)
        elif compare:
            report = train_then_test(engine, cases)
        else:
            report = evaluate(engine, cases)
        title = "rules + learnt wording model" if layer else "rules only"
        evaluation(out, report, title)
        reports[title] = report.to_json()
    if json_out:
        try:
            json_out.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise _fail(f"{json_out}: cannot write: {exc.strerror}") from None


@app.command()
def train(
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Where to write weights.json and textmodel.json.")],
    casebook: Annotated[list[Path] | None, typer.Argument(help="Extra labelled JSONL to train on.")] = None,
    training: Annotated[
        bool, typer.Option("--training/--no-training", help="Include the invented training set.")
    ] = True,
) -> None:
    """Fit the wording model and the scorer on labelled cases and write both as data."""
    from datetime import UTC, datetime

    from counterpitch.evaluation import labelled
    from counterpitch.scoring import Scorer
    from counterpitch.training import FIRST, fit_pipeline, training_sets

    sets = training_sets() if training else {}
    cases: list[Approach] = [a for part in sets.values() for a in part]
    sources = [f"counterpitch/data/training/{'' if name == FIRST else 'voices/'}{name}.jsonl" for name in sets]
    for path in casebook or []:
        more, errors = _read_approaches(str(path), keep_going=False)
        if errors:
            raise typer.Exit(BAD_INPUT)
        try:
            cases += labelled(more, str(path))
        except ValueError as exc:
            raise _fail(str(exc)) from None
        sources.append(path.name)
    if not cases:
        raise _fail("nothing to train on")
    engine = _engine(None, False, None, True, None)
    labels = {a.label for a in cases}
    if labels != {"hostile", "benign"} or len(cases) < 20:
        raise _fail("training needs at least 20 labelled cases of both labels")
    try:
        scorer, text_model = fit_pipeline(engine, cases)
    except ValueError as exc:
        raise _fail(f"cannot fit on these cases: {exc}") from None
    assert text_model is not None
    made = {
        "trained_on": sources,
        "cases": len(cases),
        "made": datetime.now(UTC).strftime("%Y-%m-%d"),
        "command": " ".join(
            ["counterpitch train --out-dir", str(out_dir), *(["--no-training"] if not training else [])]
            + [str(p) for p in casebook or []]
        ),
    }
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(f"{out_dir}: cannot create: {exc.strerror}") from None
    meta = {"model": "monotone logistic regression over detector strengths (scoring/fit.py)", **made}
    Scorer(scorer.intercept, scorer.weights, scorer.medium, scorer.high, meta).save(out_dir / "weights.json")
    type(text_model)(text_model.terms, text_model.intercept, text_model.max_n, {**text_model.meta, **made}).save(
        out_dir / "textmodel.json"
    )
    out.print(
        f"wrote {out_dir}/weights.json ({len(scorer.weights)} weights; bands medium >= {scorer.medium}, "
        f"high >= {scorer.high}) and textmodel.json ({len(text_model.terms)} n-grams)"
    )


# The commands in other modules register themselves on `app` when imported.
from counterpitch import (  # noqa: E402
    cli_audit,  # noqa: F401 - `counterpitch audit`
    cli_campaigns,  # noqa: F401 - `counterpitch campaigns`
    cli_service,  # noqa: F401 - `serve`, `users`, `tokens`
)

if __name__ == "__main__":
    # Run as `python -m counterpitch.cli`, this file is `__main__`, and the modules above registered their
    # commands on the `app` of `counterpitch.cli`, a second copy: run that one.
    from counterpitch.cli import app as registered

    registered()
