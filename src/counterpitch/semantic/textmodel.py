"""A trained n-gram model of the message wording: the layer that generalises beyond the rules' phrases.

Rules find what they were written for; hostile services rephrase. This model learns from labelled approaches
(the invented training set, data/training) which words and word pairs go with cultivation and which with
ordinary contact, and scores any message by that. It is a TF-IDF logistic regression (word 1-2 grams,
sublinear tf, smoothed idf, L2 norm), fitted with scikit-learn and shipped as plain data (data/textmodel.json).
Inference re-implements the transform in a few lines, so it is fast, needs no scikit-learn at run time, and
can say which n-grams moved the score. Chosen by measurement over static sentence embeddings: see
docs/decisions/0009-meaning-layer-ngram-model.md. It never sees place, nationality or people's names: they are
gaps in its token list, in fitting and scoring alike (semantic/blind.py, decision 0038).
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import numpy as np
import numpy.typing as npt

from counterpitch.detectors.assertion import ASSERTION
from counterpitch.model import Approach
from counterpitch.semantic.blind import GAP, Places, masked, person_names, places
from counterpitch.semantic.tokens import TOKEN, tokens, tokens_with_gaps
from counterpitch.text import ACCOUNT, message_fields, sentences, without_invisible

__all__ = ["TOKEN", "Document", "Text", "TextModel", "document", "grams", "load_default_text_model", "tokens"]

FORMAT = "counterpitch-ngram-model/1"
#: Longest n-gram fitted (see docs/decisions/0009): overridable for experiments with COUNTERPITCH_MAX_N.
MAX_N = int(os.environ.get("COUNTERPITCH_MAX_N", "2"))


class Document(NamedTuple):
    """What the model reads of one approach: the sender's own words, and the people's names to leave out."""

    text: str
    names: frozenset[str] = frozenset()


def document(approach: Approach) -> Document:
    """The sender's own words (subject, message, their turns of the thread; the reporter's account) and the names
    of the people in it. A sentence that warns about or reports a tactic ("MI5 has warned that headhunters offer
    consultancy fees") is left out, as the rules set it aside (detectors/assertion.py): a security bulletin
    quoting the lures is not the lures."""
    parts = (text if name == ACCOUNT else own_words(text) for name, text in message_fields(approach))
    return Document(without_invisible("\n".join(parts))[0], person_names(approach))


def own_words(text: str) -> str:
    """`text` without its sentences that warn about or report what others do (most texts hold no such frame and
    are returned as they are, after one pass)."""
    if not ASSERTION.has_frame(text):
        return text
    kept = (text[sp.start : sp.end] for sp in sentences("text", text))
    return " ".join(s for s in kept if not ASSERTION.warns(s))


Text = str | Document


def _words(doc: Text, singles: bool = True) -> list[str]:
    """The model's tokens of a text or document, places and the document's names as gaps (see `masked`)."""
    return masked(doc, singles=singles) if isinstance(doc, str) else masked(doc.text, doc.names, singles)


def grams(doc: Text, max_n: int = 2) -> list[str]:
    """The n-grams the model counts (scikit-learn's analyzer when fitting): words, then word pairs, and so on,
    none holding a gap."""
    words = _words(doc)
    out = [w for w in words if w != GAP]
    for n in range(2, max_n + 1):
        out += [" ".join(g) for g in zip(*(words[i:] for i in range(n)), strict=False) if GAP not in g]
    return out


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
    #: Inverse regularisation strength of the fit, chosen on writers held out (bench/voices.py).
    C: ClassVar[float] = 30.0
    #: every word of every n-gram: masking a word outside it changes no n-gram the model holds
    _known: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)
    _places: Places = field(
        default_factory=lambda: Places(frozenset(), {}, frozenset()), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # No n-gram with a place name: a model fitted here never has one (`grams` masks them); one fitted
        # elsewhere loses them, so scoring need not mask one-word places (`_hits`).
        single = places().single
        if any(w in single for g in self.terms for w in g.split()):
            object.__setattr__(self, "terms", {g: v for g, v in self.terms.items() if single.isdisjoint(g.split())})
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
        object.__setattr__(self, "_known", frozenset(w for g in grams for w in g.split()))
        object.__setattr__(self, "_places", places().knowing(self._known))
        object.__setattr__(self, "_idf", np.array([self.terms[g][0] for g in grams], dtype=np.float64))
        object.__setattr__(self, "_coef", np.array([self.terms[g][1] for g in grams], dtype=np.float64))

    def _hits(self, doc: Text) -> list[int]:
        """The rows of the model's n-grams in `doc`, one per occurrence (words first, then word pairs).

        A gap is in no n-gram of the model, nor is a one-word place (see `__post_init__`), nor a name that is no
        word of any n-gram ("Whitfield"): masking any of these would change no count, so only names the model
        also knows as words ("Will", "Grace") and places of several words ("New York") are masked here. The
        result is the same as with everything masked, as in fitting (tested).
        """
        if isinstance(doc, str):
            words = tokens(doc)
        else:
            known = self._known
            names = [n for n in doc.names if n.lower() in known and n in doc.text]
            words = tokens_with_gaps(doc.text, names, GAP) if names else tokens(doc.text)
        words = self._places.mask(words, singles=False)
        hits = [i for i in map(self._row.get, words) if i is not None]
        if self.max_n >= 2:
            hits += [i for i in map(self._pairs.get, itertools.pairwise(words)) if i is not None]
        return hits

    def contributions_many(
        self, texts: Sequence[Text], top: int | None = None, explain_above: float = -math.inf
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

    def contributions(self, text: Text, top: int | None = None) -> tuple[float, list[tuple[str, float]]]:
        """The model's log-odds for `text`, and each n-gram's share of it, largest first (the `top` few)."""
        return self.contributions_many([text], top)[0]

    def log_odds(self, text: Text) -> float:
        return self.contributions_many([text], 0)[0][0]

    @property
    def explains_above(self) -> float:
        """The log-odds above which `strength` is positive: below it the words did not push past one half."""
        return max(0.0, self.intercept)

    def strength(self, text: Text) -> float:
        """How strongly the wording points to cultivation, 0..1: zero unless the words themselves (not the
        model's prior) push the probability above one half."""
        return self.strength_of(self.log_odds(text))

    def strength_of(self, z: float) -> float:
        """`strength` from a log-odds already computed."""
        if z <= 0 or z <= self.intercept:
            return 0.0
        return (1.0 / (1.0 + math.exp(-min(40.0, z))) - 0.5) / 0.5

    def probability(self, text: Text) -> float:
        z = self.log_odds(text)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    # --- fitting and storage ----------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls, docs: Sequence[Text], labels: Sequence[int], c: float | None = None, min_df: int = 2, max_n: int = MAX_N
    ) -> TextModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        c = cls.C if c is None else c
        vec = TfidfVectorizer(analyzer=partial(grams, max_n=max_n), sublinear_tf=True, min_df=min_df)
        x = vec.fit_transform(docs)
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, list(labels))
        terms = {
            str(g): (float(vec.idf_[i]), float(clf.coef_[0][i]))
            for g, i in vec.vocabulary_.items()
            if abs(clf.coef_[0][i]) > 1e-6
        }
        meta = {
            "documents": len(docs),
            "C": c,
            "min_df": min_df,
            "masked": "places (data/places.yaml), names",
        }
        return cls(terms, float(clf.intercept_[0]), max_n, meta)

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
