"""A trained n-gram model of the message wording: the layer that generalises beyond the rules' phrases.

Rules find what they were written for; hostile services rephrase. This model learns from labelled approaches
(the invented training set, data/training) which words and word pairs go with cultivation and which with
ordinary contact, and scores any message by that. It is a TF-IDF logistic regression (word 1-2 grams,
sublinear tf, smoothed idf, L2 norm), fitted with scikit-learn and shipped as plain data (data/textmodel.json).
Inference re-implements the transform in a few lines, so it is fast, needs no scikit-learn at run time, and
can say which n-grams moved the score. Chosen by measurement over static sentence embeddings: see
docs/decisions/0009-meaning-layer-ngram-model.md.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from counterpitch.model import Approach
from counterpitch.text import message_fields, without_invisible

#: scikit-learn's default token pattern: runs of two or more word characters.
TOKEN = re.compile(r"(?u)\b\w\w+\b")
#: Every ASCII byte that is not a word character (as `\w` means it) becomes a space.
_ASCII_WORDS = bytes(b if re.fullmatch(rb"\w", bytes([b])) else 32 for b in range(128)) + b" " * 128
#: The same for ASCII, leaving the bytes of UTF-8 sequences (128-255) as they are.
_ASCII_WORDS_HIGH_KEPT = _ASCII_WORDS[:128] + bytes(range(128, 256))

FORMAT = "counterpitch-ngram-model/1"
#: Longest n-gram fitted (see docs/decisions/0009): overridable for experiments with COUNTERPITCH_MAX_N.
MAX_N = int(os.environ.get("COUNTERPITCH_MAX_N", "2"))


def tokens(text: str) -> list[str]:
    """The model's tokens, lower-cased: what `TOKEN.findall(text.lower())` returns.

    One byte translation and a split find the same runs of word characters at a fraction of the cost of the
    regex (which was a third of the wording model's time): ASCII bytes that are not word characters become
    spaces, UTF-8 sequences of other characters pass through. A piece holding a non-ASCII character that is
    not a word character (a curly quote, a pound sign) is split by the regex itself; `\\w` means exactly
    "alphanumeric or underscore" as `str.isalnum` decides it, so pieces that pass that test need no regex.
    """
    low = text.lower()
    if low.isascii():
        return [w for w in low.encode().translate(_ASCII_WORDS).decode().split() if len(w) > 1]
    out: list[str] = []
    spaced = low.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS_HIGH_KEPT).decode("utf-8", "surrogatepass")
    for w in spaced.split():
        if w.isascii() or w.replace("_", "").isalnum():
            if len(w) > 1:
                out.append(w)
        else:
            out += TOKEN.findall(w)
    return out


def document(approach: Approach) -> str:
    """What the model reads: the sender's own words (subject, message, their turns of the thread)."""
    return without_invisible("\n".join(text for _, text in message_fields(approach)))[0]


@dataclass(frozen=True)
class TextModel:
    #: n-gram -> (idf, coefficient)
    terms: Mapping[str, tuple[float, float]]
    intercept: float
    max_n: int = 2
    meta: Mapping[str, Any] = field(default_factory=dict)
    # Derived arrays for fast scoring: n-gram -> row, and idf and coefficient by row.
    _row: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _idf: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0), init=False, repr=False, compare=False)
    _coef: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0), init=False, repr=False, compare=False)
    _grams: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    #: (first word, second word) -> row, so word pairs are looked up without building their strings
    _pairs: dict[tuple[str, str], int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        grams = tuple(self.terms)
        object.__setattr__(self, "_grams", grams)
        row = {g: i for i, g in enumerate(grams)}
        pairs: dict[tuple[str, str], int] = {}
        for g, i in row.items():
            if " " in g:
                first, second = g.split(" ", 1)
                pairs[first, second] = i
        object.__setattr__(self, "_row", row)
        object.__setattr__(self, "_pairs", pairs)
        object.__setattr__(self, "_idf", np.array([self.terms[g][0] for g in grams], dtype=np.float64))
        object.__setattr__(self, "_coef", np.array([self.terms[g][1] for g in grams], dtype=np.float64))

    def _hits(self, text: str) -> list[int]:
        """The rows of the model's n-grams in `text`, one per occurrence (words first, then word pairs)."""
        words = tokens(text)
        hits = [i for i in map(self._row.get, words) if i is not None]
        if self.max_n >= 2:
            hits += [i for i in map(self._pairs.get, itertools.pairwise(words)) if i is not None]
        return hits

    def contributions_many(
        self, texts: Sequence[str], top: int | None = None, explain_above: float = -math.inf
    ) -> list[tuple[float, list[tuple[str, float]]]]:
        """For each text, its log-odds and each n-gram's share of it, largest first (the `top` few); the shares
        are worked out only for texts whose log-odds exceeds `explain_above` (the others get none).

        All texts go through one set of array operations: per message, numpy's fixed cost per call was larger
        than the arithmetic (decision 0009). A text's result depends on that text alone: its sums run over its
        own n-grams in the same order whether it comes alone or in a batch.
        """
        n = len(texts)
        hits = [self._hits(t) for t in texts]
        lengths = np.fromiter(map(len, hits), dtype=np.intp, count=n)
        flat = np.fromiter(itertools.chain.from_iterable(hits), dtype=np.intp, count=int(lengths.sum()))
        size = len(self._grams)
        # One key per (text, n-gram): sorted and counted at once, text first.
        keys, counts = np.unique(np.repeat(np.arange(n, dtype=np.intp), lengths) * size + flat, return_counts=True)
        doc, rows = np.divmod(keys, size)
        weights = (1.0 + np.log(counts)) * self._idf[rows]
        weights /= np.sqrt(np.bincount(doc, weights * weights, minlength=n))[doc]
        shares = weights * self._coef[rows]
        z = self.intercept + np.bincount(doc, shares, minlength=n)
        parts: list[list[tuple[str, float]]] = [[] for _ in range(n)]
        keep = (z > explain_above)[doc]
        if top != 0 and keep.any():
            doc, rows, shares = doc[keep], rows[keep], shares[keep]
            # Within each text, the largest shares first (stable, so ties keep the n-grams' order) ...
            order = np.lexsort((-np.abs(shares), doc))
            doc, rows, shares = doc[order], rows[order], shares[order]
            if top is not None:  # ... and only the first `top` of each text
                first = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]])
                rank = np.arange(len(doc)) - np.repeat(first, np.diff(np.r_[first, len(doc)]))
                doc, rows, shares = doc[rank < top], rows[rank < top], shares[rank < top]
            grams = self._grams
            for k, r, c in zip(doc.tolist(), rows.tolist(), shares.tolist(), strict=True):
                parts[k].append((grams[r], c))
        return list(zip(z.tolist(), parts, strict=True))

    def contributions(self, text: str, top: int | None = None) -> tuple[float, list[tuple[str, float]]]:
        """The model's log-odds for `text`, and each n-gram's share of it, largest first (the `top` few)."""
        return self.contributions_many([text], top)[0]

    def log_odds(self, text: str) -> float:
        return self.contributions_many([text], 0)[0][0]

    @property
    def explains_above(self) -> float:
        """The log-odds above which `strength` is positive: below it the words did not push past one half."""
        return max(0.0, self.intercept)

    def strength(self, text: str) -> float:
        """How strongly the wording points to cultivation, 0..1: zero unless the words themselves (not the
        model's prior) push the probability above one half."""
        return self.strength_of(self.log_odds(text))

    def strength_of(self, z: float) -> float:
        """`strength` from a log-odds already computed."""
        if z <= 0 or z <= self.intercept:
            return 0.0
        return (1.0 / (1.0 + math.exp(-min(40.0, z))) - 0.5) / 0.5

    def probability(self, text: str) -> float:
        z = self.log_odds(text)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    # --- fitting and storage ----------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls, docs: Sequence[str], labels: Sequence[int], c: float = 10.0, min_df: int = 2, max_n: int = MAX_N
    ) -> TextModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vec = TfidfVectorizer(ngram_range=(1, max_n), sublinear_tf=True, min_df=min_df, token_pattern=TOKEN.pattern)
        x = vec.fit_transform(docs)
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, list(labels))
        terms = {
            str(g): (float(vec.idf_[i]), float(clf.coef_[0][i]))
            for g, i in vec.vocabulary_.items()
            if abs(clf.coef_[0][i]) > 1e-6
        }
        return cls(terms, float(clf.intercept_[0]), max_n, {"documents": len(docs), "C": c, "min_df": min_df})

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            **self.meta,
            "max_n": self.max_n,
            "intercept": round(self.intercept, 6),
            "terms": {g: [round(i, 5), round(w, 5)] for g, (i, w) in sorted(self.terms.items())},
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")

    @classmethod
    def from_json(cls, doc: Mapping[str, Any], where: str) -> TextModel:
        if doc.get("format") != FORMAT:
            raise ValueError(f"{where}: not a {FORMAT} file")
        try:
            terms = {str(g): (float(v[0]), float(v[1])) for g, v in doc["terms"].items()}
            meta = {k: v for k, v in doc.items() if k not in {"format", "terms", "intercept", "max_n"}}
            return cls(terms, float(doc["intercept"]), int(doc["max_n"]), meta)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ValueError(f"{where}: malformed n-gram model: {exc!r}") from exc


@lru_cache(maxsize=1)
def load_default_text_model() -> TextModel:
    text = (resources.files("counterpitch") / "data" / "textmodel.json").read_text("utf-8")
    return TextModel.from_json(json.loads(text), "counterpitch/data/textmodel.json")
