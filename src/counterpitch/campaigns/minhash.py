"""Near-identical message text: MinHash signatures over word shingles and LSH band keys, many texts at once.

The arithmetic is datasketch's (`MinHash`, scheme affine32: a MurmurHash3 finaliser, then `a * h + b` modulo
2^32 with datasketch's own permutations for seed 1), and the band keys are those `MinHashLSH(params=(BANDS,
ROWS))` files a signature under, so a test can check both against datasketch itself. What differs is the
speed: datasketch hashes every shingle with SHA-1 in Python and updates one MinHash at a time; here each
distinct word is hashed once (CRC-32, remembered), shingles are combined from word hashes with numpy, and a
whole chunk of texts is permuted and reduced in one pass (`np.minimum.reduceat`). The shingle hash is thus our
own `hashfunc`, which datasketch allows. docs/decisions/0021-minhash-text-linking.md gives the measured
threshold and why these parameters.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from datasketch import MinHash  # type: ignore[import-untyped]

U32 = npt.NDArray[np.uint32]

NUM_PERM = 64
#: LSH bands and rows per band: a pair of texts with Jaccard similarity s shares at least one band key with
#: probability 1 - (1 - s^ROWS)^BANDS (0.66 at s = 0.5, 0.97 at s = 0.7, 0.06 at s = 0.2).
BANDS, ROWS = 8, 3
#: Words per shingle.
SHINGLE = 3
#: A message shorter than this has no text keys: short greetings and LinkedIn's stock invitation are shared by
#: thousands of unrelated senders.
MIN_WORDS = 12
#: Estimated Jaccard similarity at which two candidate texts count as near-identical (measured, see 0021).
THRESHOLD = 0.5
#: Texts signed together: their permuted shingles (NUM_PERM x shingles) stay within the CPU's cache.
SIGN_BLOCK = 256
#: Only the first this many words of a message are shingled: bounds the work one hostile report can cause.
MAX_WORDS = 2_000

_A, _B = (np.asarray(p, dtype=np.uint32) for p in MinHash(num_perm=NUM_PERM, seed=1).permutations)
_WORD = re.compile(r"[^\W_]+")
_VOCAB: dict[str, int] = {}
_VOCAB_LIMIT = 1_000_000


def words(text: str) -> list[str]:
    """Casefolded words (letters and digits) of `text`, compatibility forms folded, at most MAX_WORDS."""
    folded = unicodedata.normalize("NFKC", text).casefold() if not text.isascii() else text.lower()
    return _WORD.findall(folded, 0, len(folded))[:MAX_WORDS]


def _word_hashes(ws: Sequence[str]) -> list[int]:
    """CRC-32 of each word, remembered (a dict lookup per known word: most words of most messages are known)."""
    get = _VOCAB.get
    out: list[int | None] = [get(w) for w in ws]
    if None in out:
        if len(_VOCAB) >= _VOCAB_LIMIT:
            _VOCAB.clear()
        for i, h in enumerate(out):
            if h is None:
                out[i] = _VOCAB[ws[i]] = zlib.crc32(ws[i].encode("utf-8"))
    return out  # type: ignore[return-value]


def shingles(ws: Sequence[str]) -> U32:
    """32-bit hashes of the SHINGLE-word windows of `ws` (distinctness does not matter to a minimum)."""
    h = np.array(_word_hashes(ws), dtype=np.uint32)
    if len(h) < SHINGLE:
        return h
    out = h[: len(h) - SHINGLE + 1].copy()
    for i in range(1, SHINGLE):
        out = out * np.uint32(0x9E3779B1) + h[i : len(h) - SHINGLE + 1 + i]
    return out


def _fmix32(hv: U32) -> U32:
    """MurmurHash3's finaliser, as datasketch applies it before permuting."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def signatures(shingle_sets: Sequence[U32]) -> npt.NDArray[np.uint32]:
    """One NUM_PERM signature per non-empty shingle set, rows in order: datasketch's `update_batch`, vectorised.

    Texts are signed SIGN_BLOCK at a time, each permutation a contiguous row reduced along it: the whole chunk
    at once, shingles down the rows, made a matrix of tens of megabytes reduced across its columns, ten times
    slower (bench/campaigns.py; decision 0021).
    """
    if not shingle_sets:
        return np.empty((0, NUM_PERM), dtype=np.uint32)
    if any(len(s) == 0 for s in shingle_sets):
        raise ValueError("every shingle set must be non-empty")
    return np.vstack([_sign_block(shingle_sets[i : i + SIGN_BLOCK]) for i in range(0, len(shingle_sets), SIGN_BLOCK)])


def _sign_block(shingle_sets: Sequence[U32]) -> npt.NDArray[np.uint32]:
    lengths = np.fromiter((len(s) for s in shingle_sets), dtype=np.int64, count=len(shingle_sets))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    hv = _fmix32(np.concatenate(shingle_sets))[None, :]
    with np.errstate(over="ignore"):
        permuted = _A[:, None] * hv + _B[:, None]  # one row per permutation
    block: npt.NDArray[np.uint32] = np.minimum.reduceat(permuted, offsets, axis=1).T
    return block


def signature(text_words: Sequence[str]) -> U32 | None:
    """The signature of one message's words, or None when it is too short to compare."""
    if len(text_words) < MIN_WORDS:
        return None
    sig: U32 = signatures([shingles(text_words)])[0]
    return sig


def band_key(sig: U32, band: int) -> str:
    """One LSH key of a signature: `MinHashLSH`'s band hash (the band's values byte-swapped), in hex."""
    return f"text:{band}:{bytes(sig[band * ROWS : (band + 1) * ROWS].byteswap().data).hex()}"


def band_keys(sig: U32) -> list[str]:
    return [band_key(sig, i) for i in range(BANDS)]


def similarity(a: U32, b: U32) -> float:
    """Estimated Jaccard similarity of two signatures (datasketch's `MinHash.jaccard`)."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def to_bytes(sig: U32) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> U32 | None:
    """A stored signature, or None when the bytes are not one (another length: e.g. written by older code)."""
    if len(data) != NUM_PERM * 4:
        return None
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)
