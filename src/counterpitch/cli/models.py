"""`counterpitch eval` and `counterpitch train`: the model measured on labelled cases, and fitted to them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counterpitch.cli.common import BAD_INPUT, SemanticOpt, WeightsOpt, build_engine, fail, out, read_approaches

if TYPE_CHECKING:
    from counterpitch.model import Approach


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
        raise fail("--cv takes 0 (no cross-validation) or a number of folds of at least 2")

    cases, errors = read_approaches(str(casebook), keep_going=False)
    if errors:
        raise typer.Exit(BAD_INPUT)
    try:
        cases = labelled(cases, str(casebook))
    except ValueError as exc:
        raise fail(str(exc)) from None
    reports = {}
    for layer in [semantic] + ([not semantic] if compare else []):
        engine = build_engine(None, False, None, layer, weights)
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
            raise fail(f"{json_out}: cannot write: {exc.strerror}") from None


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
        more, errors = read_approaches(str(path), keep_going=False)
        if errors:
            raise typer.Exit(BAD_INPUT)
        try:
            cases += labelled(more, str(path))
        except ValueError as exc:
            raise fail(str(exc)) from None
        sources.append(path.name)
    if not cases:
        raise fail("nothing to train on")
    engine = build_engine(None, False, None, True, None)
    labels = {a.label for a in cases}
    if labels != {"hostile", "benign"} or len(cases) < 20:
        raise fail("training needs at least 20 labelled cases of both labels")
    try:
        scorer, text_model = fit_pipeline(engine, cases)
    except ValueError as exc:
        raise fail(f"cannot fit on these cases: {exc}") from None
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
        raise fail(f"{out_dir}: cannot create: {exc.strerror}") from None
    meta = {"model": "monotone logistic regression over detector strengths (scoring/fit.py)", **made}
    Scorer(scorer.intercept, scorer.weights, scorer.medium, scorer.high, meta).save(out_dir / "weights.json")
    type(text_model)(text_model.terms, text_model.intercept, text_model.max_n, {**text_model.meta, **made}).save(
        out_dir / "textmodel.json"
    )
    out.print(
        f"wrote {out_dir}/weights.json ({len(scorer.weights)} weights; bands medium >= {scorer.medium}, "
        f"high >= {scorer.high}) and textmodel.json ({len(text_model.terms)} n-grams)"
    )
