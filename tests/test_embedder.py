"""The static embedder: output contract, pickling, and that it still tells paraphrases from unrelated text."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from counterpitch.semantic.embedder import ArtifactError, Embedder, load_default

SENTENCES = [
    "We pay for short reports on policy.",
    "Could we move this conversation to WeChat?",
    "Thanks for connecting!",
    "Überweisung per Kryptowährung möglich.",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return load_default()


def cos(embedder: Embedder, a: str, b: str) -> float:
    va, vb = embedder.embed([a, b])
    return float(va @ vb)


def test_shape_dtype_and_unit_rows(embedder: Embedder) -> None:
    out = embedder.embed(SENTENCES)
    assert out.shape == (len(SENTENCES), embedder.dim)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert embedder.dim == embedder.manifest["dims"]


def test_empty_and_tokenless_texts_give_zero_rows(embedder: Embedder) -> None:
    out = embedder.embed(["", "We pay for short reports.", "   \n\t ", ""])
    assert not out[0].any()
    assert not out[2].any()
    assert not out[3].any()
    assert np.linalg.norm(out[1]) == pytest.approx(1.0, abs=1e-5)


def test_empty_input() -> None:
    out = load_default().embed([])
    assert out.shape == (0, load_default().dim)
    assert out.dtype == np.float32


def test_single_str_is_rejected(embedder: Embedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("a sentence, not a list")


def test_deterministic_and_independent_of_batching(embedder: Embedder) -> None:
    together = embedder.embed(SENTENCES)
    assert np.array_equal(together, embedder.embed(SENTENCES))
    one_by_one = np.vstack([embedder.embed([s]) for s in SENTENCES])
    np.testing.assert_allclose(together, one_by_one, atol=1e-6)


def test_chunk_boundaries_do_not_mix_texts(embedder: Embedder) -> None:
    # More texts than one internal chunk, with empty texts on both sides of the boundary.
    texts = [f"report number {i} on export controls" if i % 3 else "" for i in range(2500)]
    out = embedder.embed(texts)
    for i in (0, 1, 1023, 1024, 1025, 2048, 2499):
        np.testing.assert_allclose(out[i], embedder.embed([texts[i]])[0], atol=1e-6)


def test_long_text_is_truncated_not_rejected() -> None:
    short = Embedder(max_tokens=8)
    long_text = "We pay for short reports on policy. " + "The weather is lovely today. " * 5000
    out = short.embed([long_text, "We pay for short reports on policy."])
    # Only the first 8 wordpieces count, and they are the same 8 in both texts.
    np.testing.assert_allclose(out[0], out[1], atol=1e-6)


def test_pickle_round_trip_drops_the_arrays() -> None:
    loaded = Embedder()
    before = loaded.embed(SENTENCES)
    blob = pickle.dumps(loaded)
    assert len(blob) < 1_000, "the arrays must not travel with the pickle"
    clone = pickle.loads(blob)
    assert clone == loaded
    assert clone._loaded is None
    assert np.array_equal(clone.embed(SENTENCES), before)


def test_default_is_cached_per_process() -> None:
    assert load_default() is load_default()


@pytest.mark.parametrize(
    ("anchor", "paraphrase", "unrelated"),
    [
        (
            "We pay for short reports on policy.",
            "You'd be compensated for brief written insights.",
            "The cat slept on the warm windowsill all afternoon.",
        ),
        (
            "Could we move this conversation to WeChat?",
            "Shall we continue chatting on a different messaging app?",
            "Bake the bread for forty minutes.",
        ),
        (
            "Please keep this opportunity confidential.",
            "Kindly do not share this offer with anyone else.",
            "Add two cups of flour and stir gently.",
        ),
        (
            "Payment can be made in cryptocurrency if you prefer.",
            "We can pay you in bitcoin if that is more convenient.",
            "Penguins cannot fly but they swim very well.",
        ),
        (
            "I am a headhunter for a fast-growing technology firm.",
            "I work as a recruiter for a rapidly expanding tech company.",
            "The volcano erupted without warning.",
        ),
    ],
)
def test_paraphrase_is_closer_than_unrelated(
    embedder: Embedder, anchor: str, paraphrase: str, unrelated: str
) -> None:
    near = cos(embedder, anchor, paraphrase)
    far = cos(embedder, anchor, unrelated)
    assert near > far + 0.2, (near, far)
    assert near > 0.4


def test_paraphrase_retrieved_among_candidates(embedder: Embedder) -> None:
    queries = [
        "We pay for short reports on policy.",
        "Do you still have access to the classified network?",
        "Let's meet in person when you are next in Singapore.",
        "Please delete our messages after reading them.",
    ]
    candidates = [
        "We should get together face to face on your next trip to Singapore.",
        "Remove this chat history once you have read it.",
        "You'd be compensated for brief written insights.",
        "Are you still able to log into the secret systems?",
    ]
    sims = embedder.embed(queries) @ embedder.embed(candidates).T
    assert sims.argmax(axis=1).tolist() == [2, 3, 0, 1]


def test_artifact_matches_manifest_and_size_limit() -> None:
    root = Path(__file__).resolve().parents[1] / "src" / "counterpitch" / "data" / "embeddings"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["licence"] == "Apache-2.0"
    assert manifest["source_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    for path in root.iterdir():
        assert path.stat().st_size < 1_900_000, path
    for name, info in manifest["files"].items():
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == info["sha256"], name


def test_damaged_artifact_is_refused(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1] / "src" / "counterpitch" / "data" / "embeddings"
    copy = tmp_path / "embeddings"
    shutil.copytree(root, copy)
    vectors = copy / json.loads((copy / "manifest.json").read_text(encoding="utf-8"))["vectors"][0]
    vectors.write_bytes(b"version https://git-lfs.github.com/spec/v1\n")
    with pytest.raises(ArtifactError, match="sha256"):
        Embedder(directory=copy).embed(["x"])


def test_missing_artifact_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="distill_embeddings"):
        Embedder(directory=tmp_path).embed(["x"])
