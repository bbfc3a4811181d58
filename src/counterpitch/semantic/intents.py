"""Intent recognition by meaning: each message sentence against prototype sentences of known intents.

Hostile services rephrase, so a word list alone misses "you'd be compensated for brief written perspectives"
when it knows "paid reports". Each intent (data/intents.yaml) is a handful of prototype sentences written in
different words; a message sentence whose embedding lies close to any prototype carries that intent. Sentence
embeddings are computed once per approach, for all intents together, and can be computed for a whole batch of
approaches in one call (`prime`), which is what makes the batch runner fast.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from counterpitch.detectors.base import DetectorMeta, Span
from counterpitch.model import Approach
from counterpitch.semantic.embedder import Embedder
from counterpitch.text import message_sentences

_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Intent:
    meta: DetectorMeta
    prototypes: tuple[str, ...]
    #: Similarity at which the intent starts to count, and at which it counts fully.
    low: float
    high: float


@dataclass(frozen=True)
class IntentMatch:
    similarity: float
    span: Span
    prototype: str


@lru_cache(maxsize=1)
def load_intents() -> tuple[Intent, ...]:
    where = "counterpitch/data/intents.yaml"
    doc = yaml.safe_load((resources.files("counterpitch") / "data" / "intents.yaml").read_text("utf-8"))
    out = []
    for spec in doc.get("intents", []):
        try:
            meta = DetectorMeta(
                id=spec["id"],
                title=spec["title"],
                severity=spec["severity"],
                explanation=" ".join(spec["explanation"].split()),
                guidance=" ".join(spec["guidance"].split()),
                sources=tuple(spec["sources"]),
                attack=tuple(spec.get("attack", ())),
            )
            protos = tuple(str(p) for p in spec["prototypes"])
            low, high = float(spec["low"]), float(spec["high"])
        except KeyError as exc:
            raise ValueError(f"{where}: intent {spec.get('id', '?')}: missing field {exc.args[0]!r}") from exc
        if not protos or not 0 < low < high <= 1:
            raise ValueError(f"{where}: intent {meta.id}: needs prototypes and 0 < low < high <= 1")
        out.append(Intent(meta, protos, low, high))
    return tuple(out)


class IntentIndex:
    """All intents' prototypes, embedded once; per-approach best matches, cached for the batch in hand."""

    def __init__(self, embedder: Embedder, intents: Sequence[Intent]) -> None:
        self.embedder = embedder
        self.intents = tuple(intents)
        self._matrix: np.ndarray[Any, np.dtype[np.float32]] | None = None
        self._owner: np.ndarray[Any, np.dtype[np.int64]] | None = None
        self._cache: OrderedDict[tuple[str, int], dict[str, IntentMatch]] = OrderedDict()

    def __getstate__(self) -> dict[str, object]:
        return {"embedder": self.embedder, "intents": self.intents}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["embedder"], state["intents"])  # type: ignore[misc]

    def _prototypes(
        self,
    ) -> tuple[np.ndarray[Any, np.dtype[np.float32]], np.ndarray[Any, np.dtype[np.int64]]]:
        if self._matrix is None or self._owner is None:
            texts = [p for it in self.intents for p in it.prototypes]
            self._owner = np.array([i for i, it in enumerate(self.intents) for _ in it.prototypes], dtype=np.int64)
            self._matrix = self.embedder.embed(texts)
        return self._matrix, self._owner

    @staticmethod
    def _key(approach: Approach) -> tuple[str, int]:
        return approach.id, hash((approach.subject, approach.text, tuple(t.text for t in approach.thread)))

    def prime(self, approaches: Iterable[Approach]) -> None:
        """Embed the sentences of many approaches in one call and cache their matches."""
        todo = [a for a in approaches if self._key(a) not in self._cache]
        spans = [list(message_sentences(a)) for a in todo]
        flat = [s for ss in spans for s in ss]
        if not flat:
            for a in todo:
                self._store(a, {})
            return
        vectors = self.embedder.embed([s.text[s.start : s.end] for s in flat])
        pos = 0
        for a, ss in zip(todo, spans, strict=True):
            self._store(a, self._best(ss, vectors[pos : pos + len(ss)]))
            pos += len(ss)

    def match(self, approach: Approach) -> dict[str, IntentMatch]:
        key = self._key(approach)
        if key not in self._cache:
            self.prime([approach])
        self._cache.move_to_end(key)
        return self._cache[key]

    def _store(self, approach: Approach, result: dict[str, IntentMatch]) -> None:
        self._cache[self._key(approach)] = result
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def _best(self, spans: Sequence[Span], vectors: np.ndarray[Any, np.dtype[np.float32]]) -> dict[str, IntentMatch]:
        if not spans:
            return {}
        protos, owner = self._prototypes()
        sims = vectors @ protos.T  # sentences x prototypes
        out: dict[str, IntentMatch] = {}
        for i, intent in enumerate(self.intents):
            cols = np.flatnonzero(owner == i)
            block = sims[:, cols]
            row, col = np.unravel_index(int(np.argmax(block)), block.shape)
            sim = float(block[row, col])
            if sim >= intent.low:
                out[intent.meta.id] = IntentMatch(sim, spans[int(row)], intent.prototypes[int(col)])
        return out
