"""Sentence embeddings from a static (model2vec-style) distillation of all-MiniLM-L6-v2, numpy only.

A transformer is the accurate way to embed a sentence, but screening a mailbox means tens of thousands of
sentences on a laptop CPU with nothing downloaded, so the project ships a distilled model instead: one vector
per wordpiece token (the transformer's output for that token alone, PCA-reduced, Zipf/SIF down-weighted for
frequent tokens, int8-quantised), and a sentence is the normalised mean of its tokens' vectors. That is about
two hundred times faster than running MiniLM on one core and keeps most of its notion of similarity; the
measured trade-off is in docs/decisions/0004-static-sentence-embeddings.md, and
scripts/distill_embeddings.py rebuilds the artifact.

The arrays are loaded on first use, not on construction or unpickling, so an `Embedder` costs nothing to
build, travels to worker processes as a few bytes and loads there once.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

#: Where the packaged artifact lives, relative to the `counterpitch` package.
ARTIFACT_PARTS = ("data", "embeddings")
MANIFEST = "manifest.json"
FORMAT = "counterpitch-static-embeddings/1"
#: Texts are encoded this many at a time: bounds the (tokens × dims) scratch array that pooling needs.
CHUNK = 1024
#: Characters kept per text before tokenising, per token allowed: far more than `max_tokens` wordpieces ever
#: need, so truncation is still decided by the tokenizer, but a pasted megabyte is not tokenised in full.
CHARS_PER_TOKEN = 32


class ArtifactError(RuntimeError):
    """The embedding artifact is missing, damaged or of a format this code does not read."""


@dataclass(frozen=True)
class _Loaded:
    tokenizer: Any  # tokenizers.Tokenizer; untyped for mypy
    #: float32 (vocab, dim): dequantised token vectors, SIF weights already applied by the distillation.
    table: npt.NDArray[np.float32]
    unk_id: int | None
    manifest: dict[str, Any]


@dataclass(frozen=True)
class Embedder:
    """Embeds texts with the static model at `directory` (None: the artifact shipped inside the package).

    `max_tokens` caps the wordpieces read from one text: a mean over a long text changes little after the
    first few hundred tokens, and the cap keeps the cost of a pasted document bounded.
    """

    directory: Path | None = None
    max_tokens: int = 512
    _loaded: _Loaded | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_tokens < 1:
            raise ValueError(f"max_tokens must be positive, not {self.max_tokens}")

    # Pickling: only the two settings travel; the arrays and the tokenizer are reloaded where they are used.
    def __getstate__(self) -> dict[str, object]:
        return {"directory": self.directory, "max_tokens": self.max_tokens}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "directory", state["directory"])
        object.__setattr__(self, "max_tokens", state["max_tokens"])
        object.__setattr__(self, "_loaded", None)

    @property
    def dim(self) -> int:
        """Width of the vectors `embed` returns."""
        return int(self._model().table.shape[1])

    @property
    def manifest(self) -> dict[str, Any]:
        """The artifact's manifest: source model, licence, how it was made."""
        return self._model().manifest

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalised float32 row per text; a text with no known token (e.g. "") gets the zero vector.

        Rows are plain mean-pooled token vectors, so a cosine similarity is just a dot product of two rows.
        """
        if isinstance(texts, str):
            # A str is a Sequence[str] of characters: embedding each letter is never what the caller meant.
            raise TypeError("embed() takes a sequence of texts, not a single str; wrap it in a list")
        model = self._model()
        out = np.zeros((len(texts), model.table.shape[1]), dtype=np.float32)
        limit = self.max_tokens * CHARS_PER_TOKEN
        for start in range(0, len(texts), CHUNK):
            chunk = [t[:limit] for t in texts[start : start + CHUNK]]
            out[start : start + len(chunk)] = _pool(model, chunk)
        return out

    def _model(self) -> _Loaded:
        loaded = self._loaded
        if loaded is None:
            # Two threads racing here both load the same read-only data; the later assignment simply wins.
            loaded = _load(self._root(), self.max_tokens)
            object.__setattr__(self, "_loaded", loaded)
        return loaded

    def _root(self) -> Traversable:
        if self.directory is not None:
            return self.directory
        root = resources.files("counterpitch")
        for part in ARTIFACT_PARTS:
            root = root / part
        return root


@functools.lru_cache(maxsize=1)
def load_default() -> Embedder:
    """The packaged embedder, one per process, already loaded (so a missing artifact fails here, early)."""
    embedder = Embedder()
    embedder._model()
    return embedder


def _pool(model: _Loaded, texts: list[str]) -> npt.NDArray[np.float32]:
    """Normalised sum (≡ mean, once normalised) of each text's token vectors, as model2vec's StaticModel does.

    All texts' ids go into one flat array so the gather and the per-text sums are two numpy calls, not a
    Python loop over texts: that loop, not the arithmetic, is what would make a static model slow.
    """
    encodings = _encode(model.tokenizer, texts)
    id_lists = [e.ids for e in encodings]
    lengths = np.fromiter(map(len, id_lists), dtype=np.int64, count=len(id_lists))
    flat = np.fromiter(itertools.chain.from_iterable(id_lists), dtype=np.int64, count=int(lengths.sum()))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    if model.unk_id is not None:
        # model2vec drops [UNK] before pooling: its vector means "something unknown", not what the text says.
        known = flat != model.unk_id
        flat, owner = flat[known], owner[known]
    counts = np.bincount(owner, minlength=len(texts))
    out = np.zeros((len(texts), model.table.shape[1]), dtype=np.float32)
    if flat.size:
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        filled = counts > 0
        # reduceat over non-empty segments only: an empty one would wrongly yield the next text's first token.
        out[filled] = np.add.reduceat(model.table[flat], starts[filled], axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def _encode(tokenizer: Any, texts: list[str]) -> list[Any]:
    """Wordpiece-encode without [CLS]/[SEP]: the static vectors were distilled for bare tokens."""
    fast = getattr(tokenizer, "encode_batch_fast", None)  # tokenizers >= 0.20: skips character offsets
    if fast is not None:
        return list(fast(texts, add_special_tokens=False))
    return list(tokenizer.encode_batch(texts, add_special_tokens=False))


def _load(root: Traversable, max_tokens: int) -> _Loaded:
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ArtifactError(f"no embedding artifact at {root}: run scripts/distill_embeddings.py") from exc
    if manifest.get("format") != FORMAT:
        raise ArtifactError(f"{root / MANIFEST}: format {manifest.get('format')!r}, expected {FORMAT!r}")

    def read(name: str) -> bytes:
        # Checked because a Git LFS pointer or a truncated checkout would otherwise load as garbage vectors.
        data = (root / name).read_bytes()
        expected = manifest["files"][name]["sha256"]
        if hashlib.sha256(data).hexdigest() != expected:
            raise ArtifactError(f"{root / name} does not match the sha256 in its manifest")
        return data

    tokenizer = Tokenizer.from_str(read(manifest["tokenizer"]).decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    parts = []
    for name in manifest["vectors"]:
        with np.load(io.BytesIO(read(name)), allow_pickle=False) as npz:
            parts.append(npz["vectors"].astype(np.float32) * npz["scales"].astype(np.float32))
    table = np.ascontiguousarray(np.concatenate(parts, axis=0), dtype=np.float32)
    if table.shape != (manifest["vocab_size"], manifest["dims"]):
        raise ArtifactError(
            f"{root}: vectors are {table.shape}, manifest says {manifest['vocab_size']}×{manifest['dims']}"
        )
    if tokenizer.get_vocab_size() != table.shape[0]:
        raise ArtifactError(
            f"{root}: tokenizer has {tokenizer.get_vocab_size()} tokens, vectors {table.shape[0]}"
        )
    unk = manifest.get("unk_token_id")
    return _Loaded(
        tokenizer=tokenizer, table=table, unk_id=None if unk is None else int(unk), manifest=manifest
    )
