"""Fit the meaning layer: which lure family a sentence reads as, on multilingual-e5-small sentence embeddings.

    python scripts/build_meaning_model.py [--out src/counterpitch/data/meaning.json] [--report FILE]

What it learns from (all invented, none of it an evaluation set):
- the paraphrase development sets in tests/data (`lure_paraphrases_{dev,euphemism,fresh,wide_dev,voices,dev3}.yaml`):
  each hostile line is a sentence of its family, each benign line a hard negative of that family;
- the training sets (data/training/, the project's first set and the writers' voices): in a hostile message,
  the sentence where a lure rule fired is a sentence of that rule's family (the rules label the voices the
  paraphrase files lack); every sentence of a benign message is a sentence of no family, rule-fired or not.

What it is checked on before it is written (never fitted on): `lure_paraphrases_{check,wide_check}.yaml`, per
family, and a 5-fold cross-validated false-fire rate on the benign training sentences. The blind paraphrase
sets (casebook/paraphrase/) and every casebook are measured by the benches, never here.

Each family gets one logistic regression (one against the rest, classes balanced) and a ladder of thresholds: the
lowest probability at which at most `--benign-rate` of benign sentences fire it in cross-validation (never below
0.5), then a half, a quarter... of that rate, for messages of more sentences. The model file is data: family,
coefficients, intercept, thresholds, and what it was fitted on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from counterpitch.model import Approach  # noqa: E402
from counterpitch.semantic.embedding import Embedder, blind, sentence_units  # noqa: E402
from counterpitch.semantic.meaning import FAMILIES, LEVELS, MODEL_NAME  # noqa: E402

TRAIN_YAML = ("dev", "euphemism", "fresh", "wide_dev", "voices", "dev3")
CHECK_YAML = ("check", "wide_check")
CACHE = Path("/tmp/counterpitch-meaning-cache.npz")


def _line(entry: str | dict[str, str]) -> str:
    """A paraphrase file's entry: a string, or {text, xfail}."""
    return entry if isinstance(entry, str) else entry["text"]


def _yaml_rows(names: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    """(text, family or None for a hard negative, family the line belongs to)."""
    out = []
    for name in names:
        doc = yaml.safe_load((ROOT / "tests" / "data" / f"lure_paraphrases_{name}.yaml").read_text("utf-8"))
        for detector, sides in doc.items():
            fam = detector.removeprefix("lure.")
            if fam not in FAMILIES:
                continue
            out += [(blind(_line(t), frozenset()), fam, fam) for t in sides.get("hostile", [])]
            out += [(blind(_line(t), frozenset()), None, fam) for t in sides.get("benign", [])]
    return out


def _training_rows() -> list[tuple[str, frozenset[str]]]:
    """Sentences of the training sets with the families the rules saw in them (benign: none, always)."""
    from counterpitch.engine import Engine

    engine = Engine.default(semantic=False, meaning=False)
    root = ROOT / "src" / "counterpitch" / "data" / "training"
    files = [root / "approaches_train.jsonl", *sorted((root / "voices").glob("*.jsonl"))]
    rows: list[tuple[str, frozenset[str]]] = []
    for f in files:
        for line in f.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            raw = json.loads(line)
            hostile = raw.get("label") == "hostile"
            approach = Approach.model_validate(raw)
            read = sentence_units(approach)
            units, texts = [sp for sp, _ in read], [t for _, t in read]
            fired: dict[int, set[str]] = {}
            if hostile:
                for finding in engine.findings(approach):
                    fam = finding.detector.removeprefix("lure.")
                    if not finding.detector.startswith("lure.") or fam not in FAMILIES:
                        continue
                    for ev in finding.evidence:
                        for i, u in enumerate(units):
                            if u.field == ev.field and u.start <= ev.start < u.end:
                                fired.setdefault(i, set()).add(fam)
            for i, text in enumerate(texts):
                if hostile and i in fired:
                    rows.append((text, frozenset(fired[i])))
                elif not hostile:
                    rows.append((text, frozenset()))
    return rows


def _embed_all(embedder: Embedder, texts: list[str]) -> dict[str, np.ndarray]:
    key = lambda t: hashlib.blake2b(t.encode(), digest_size=12).hexdigest()  # noqa: E731
    cache: dict[str, np.ndarray] = {}
    if CACHE.exists():
        with np.load(CACHE) as z:
            cache = {k: z[k] for k in z.files}
    todo = sorted({t for t in texts if key(t) not in cache})
    for i in range(0, len(todo), 256):
        chunk = todo[i : i + 256]
        for t, v in zip(chunk, embedder.embed(chunk), strict=True):
            cache[key(t)] = v
        print(f"embedded {min(i + 256, len(todo))}/{len(todo)}", file=sys.stderr)
    if todo:
        np.savez(CACHE, **cache)
    return {t: cache[key(t)] for t in texts}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "counterpitch" / "data" / "meaning.json")
    ap.add_argument("--report", type=Path, default=None)
    ap.add_argument("--benign-rate", type=float, default=0.002)
    ap.add_argument("--c", type=float, default=2.0)
    args = ap.parse_args()

    para = _yaml_rows(TRAIN_YAML)
    train_rows = _training_rows()
    check = _yaml_rows(CHECK_YAML)
    texts = [t for t, _, _ in para] + [t for t, _ in train_rows] + [t for t, _, _ in check]
    vec = _embed_all(Embedder(), texts)

    X = np.stack([vec[t] for t, _, _ in para] + [vec[t] for t, _ in train_rows])
    labels = [frozenset({f}) if f else frozenset() for _, f, _ in para] + [ls for _, ls in train_rows]
    benign = np.array([not ls for ls in labels])
    print(f"{len(labels)} sentences: {int(benign.sum())} of no family;", dict(Counter(f for ls in labels for f in ls)))

    model: dict[str, dict[str, object]] = {}
    report: dict[str, object] = {"cv_benign_fire": {}, "check": {}}
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    for fam in FAMILIES:
        y = np.array([fam in ls for ls in labels], dtype=int)
        oof = np.zeros(len(y))
        for tr, te in skf.split(X, y):
            clf = LogisticRegression(C=args.c, class_weight="balanced", max_iter=2000)
            clf.fit(X[tr], y[tr])
            oof[te] = clf.predict_proba(X[te])[:, 1]
        neg = np.sort(oof[benign])
        # One threshold per false-fire budget, halving from --benign-rate: a message of many sentences is read
        # against a smaller budget per sentence (semantic/meaning.py, UNITS_AT_FULL_RATE).
        ladder = [
            max(0.5, float(neg[min(len(neg) - 1, int(len(neg) * (1 - args.benign_rate / 2**k)))]) + 1e-6)
            for k in range(LEVELS)
        ]
        threshold = ladder[0]
        recall = float((oof[y == 1] >= threshold).mean())
        clf = LogisticRegression(C=args.c, class_weight="balanced", max_iter=2000).fit(X, y)
        model[fam] = {
            "coef": [round(float(c), 6) for c in clf.coef_[0]],
            "intercept": round(float(clf.intercept_[0]), 6),
            "thresholds": [round(t, 4) for t in ladder],
        }
        report["cv_benign_fire"][fam] = {  # type: ignore[index]
            "positives": int(y.sum()),
            "threshold": round(threshold, 4),
            "cv_recall": round(recall, 3),
            "cv_benign_fire": round(float((neg >= threshold).mean()), 4),
        }
    # The check sets, never fitted on.
    W = np.array([model[f]["coef"] for f in FAMILIES])
    b = np.array([model[f]["intercept"] for f in FAMILIES])
    th = np.array([model[f]["thresholds"][0] for f in FAMILIES])  # type: ignore[index]
    for fam in FAMILIES:
        rows = [(t, f) for t, f, owner in check if owner == fam]
        if not rows:
            continue
        Xc = np.stack([vec[t] for t, _ in rows])
        p = 1 / (1 + np.exp(-(Xc @ W.T + b)))
        fires = p >= th
        k = FAMILIES.index(fam)
        host = [fires[i, k] for i, (_, f) in enumerate(rows) if f]
        hard = [fires[i, k] for i, (_, f) in enumerate(rows) if not f]
        report["check"][fam] = {  # type: ignore[index]
            "hostile_fire": round(float(np.mean(host)), 3) if host else None,
            "hard_negative_fire": round(float(np.mean(hard)), 3) if hard else None,
            "n": [len(host), len(hard)],
        }
    allh = [v["hostile_fire"] * v["n"][0] for v in report["check"].values()]  # type: ignore[union-attr]
    n = sum(v["n"][0] for v in report["check"].values())  # type: ignore[union-attr]
    report["check_hostile_fire_overall"] = round(sum(allh) / n, 3)
    out = {
        "model": MODEL_NAME,
        "about": "One logistic regression per lure family over a sentence's multilingual-e5-small embedding "
        "(query prefix, L2-normalised). Fitted by scripts/build_meaning_model.py on invented data only: the "
        "paraphrase development sets in tests/data and the training sets' sentences (rule-labelled in hostile "
        "messages, none in benign ones). Thresholds hold cross-validated false fires on benign sentences to "
        f"{args.benign_rate:.1%} per family and sentence in messages of up to four sentences, halving for each "
        "doubling of the sentences read.",
        "rates": [args.benign_rate / 2**k for k in range(LEVELS)],
        "families": model,
    }
    args.out.write_text(json.dumps(out, separators=(",", ":")) + "\n", "utf-8")
    print(json.dumps(report, indent=1))
    if args.report:
        args.report.write_text(json.dumps(report, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
