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

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from counterpitch.model import Approach
from counterpitch.text import message_fields

#: scikit-learn's default token pattern: runs of two or more word characters.
TOKEN = re.compile(r"(?u)\b\w\w+\b")
FORMAT = "counterpitch-ngram-model/1"


def document(approach: Approach) -> str:
    """What the model reads: the sender's own words (subject, message, their turns of the thread)."""
    return "\n".join(text for _, text in message_fields(approach))


@dataclass(frozen=True)
class TextModel:
    #: n-gram -> (idf, coefficient)
    terms: Mapping[str, tuple[float, float]]
    intercept: float
    max_n: int = 2
    meta: Mapping[str, Any] = field(default_factory=dict)

    def _tfidf(self, text: str) -> dict[str, float]:
        """The L2-normalised TF-IDF vector of `text`, restricted to the model's n-grams."""
        terms = self.terms
        words = TOKEN.findall(text.lower())
        counts: dict[str, int] = {}
        for g in words if self.max_n < 2 else words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
            if g in terms:
                counts[g] = counts.get(g, 0) + 1
        weights = {g: (1.0 + math.log(c)) * terms[g][0] for g, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    def log_odds(self, text: str) -> float:
        terms = self.terms
        return self.intercept + sum(w * terms[g][1] for g, w in self._tfidf(text).items())

    def contributions(self, text: str) -> tuple[float, list[tuple[str, float]]]:
        """The model's log-odds for `text`, and each n-gram's share of it, largest first."""
        parts = [(g, w * self.terms[g][1]) for g, w in self._tfidf(text).items()]
        parts.sort(key=lambda p: -abs(p[1]))
        return self.intercept + sum(c for _, c in parts), parts

    def strength(self, text: str) -> float:
        """How strongly the wording points to cultivation, 0..1: zero unless the words themselves (not the
        model's prior) push the probability above one half."""
        z = self.log_odds(text)
        if z <= 0 or z <= self.intercept:
            return 0.0
        return (1.0 / (1.0 + math.exp(-min(40.0, z))) - 0.5) / 0.5

    def probability(self, text: str) -> float:
        z = self.log_odds(text)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    # --- fitting and storage ----------------------------------------------------------------------------------
    @classmethod
    def fit(cls, docs: Sequence[str], labels: Sequence[int], c: float = 10.0, min_df: int = 2) -> TextModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=min_df, token_pattern=TOKEN.pattern)
        x = vec.fit_transform(docs)
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, list(labels))
        terms = {
            str(g): (float(vec.idf_[i]), float(clf.coef_[0][i]))
            for g, i in vec.vocabulary_.items()
            if abs(clf.coef_[0][i]) > 1e-6
        }
        return cls(terms, float(clf.intercept_[0]), 2, {"documents": len(docs), "C": c, "min_df": min_df})

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
