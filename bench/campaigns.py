"""Campaign linking: batch linking at 250k, 500k and 1M reports, incremental link_report on a SQLite store of 1M.

Run: `.venv/bin/python bench/campaigns.py --out bench/results/campaigns.json`. Every report is invented
(campaign_data.py). Parts:

- threshold: estimated Jaccard similarity of invented near-duplicates (one campaign's template, varied) and of
  different messages on similar topics; what fraction of each the LSH bands propose and the threshold accepts.
- batch: `link_batch` over the reports' JSON (parsing included) with `--workers` feature processes; wall and
  CPU time, each phase, growth from the smallest to the largest size against n and n log n.
- incremental: a SQLite store of `--db-size` reports loaded with executemany and linked by `relink_all`
  (timed), then `--new` reports each inserted and linked by `link_report` in its own transaction.

The machine is shared: wall times vary with other work; CPU times (this process and its workers) vary less.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, text

from _results import write_result
from campaign_data import Invented, benign, campaign_text, reports, template
from counterpitch.campaigns import minhash
from counterpitch.campaigns.batch import clusters, collect, link
from counterpitch.campaigns.linking import UnionFind
from counterpitch.campaigns.persist import link_report
from counterpitch.campaigns.relink import relink_all
from counterpitch.store.db import Store
from counterpitch.store.migrate import upgrade
from counterpitch.store.tables import Report, User

HERE = Path(__file__).resolve().parent


def cpu() -> float:
    """CPU seconds of this process and its finished children (the feature workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def threshold(pairs: int = 2000, seed: int = 3) -> dict[str, Any]:
    rnd = random.Random(seed)

    def sig(t: str) -> np.ndarray:
        s = minhash.signature(minhash.words(t))
        assert s is not None
        return s

    def stats(sims: list[tuple[float, bool]]) -> dict[str, Any]:
        values = sorted(s for s, _ in sims)
        q = {f"p{p}": round(values[int(p / 100 * (len(values) - 1))], 3) for p in (1, 5, 50, 95, 99)}
        return {
            **q,
            "lsh_candidate": round(sum(c for _, c in sims) / len(sims), 4),
            "accepted": round(sum(s >= minhash.THRESHOLD for s in values) / len(values), 4),
            "linked": round(sum(c and s >= minhash.THRESHOLD for s, c in sims) / len(sims), 4),
        }

    def pair(a: str, b: str) -> tuple[float, bool]:
        sa, sb = sig(a), sig(b)
        return minhash.similarity(sa, sb), bool(set(minhash.band_keys(sa)) & set(minhash.band_keys(sb)))

    near, topic, scripts = [], [], []
    for _ in range(pairs):
        t = template(rnd)
        near.append(pair(campaign_text(rnd, t, "desk_1"), campaign_text(rnd, t, "desk_1")))
        topic.append(pair(str(benign(rnd, 1)["text"]), str(benign(rnd, 2)["text"])))
        scripts.append(pair(campaign_text(rnd, template(rnd), "desk_1"), campaign_text(rnd, template(rnd), "desk_2")))
    return {
        "threshold": minhash.THRESHOLD,
        "num_perm": minhash.NUM_PERM,
        "bands": minhash.BANDS,
        "rows": minhash.ROWS,
        "shingle_words": minhash.SHINGLE,
        "near_duplicates": stats(near),
        "different_messages_similar_topic": stats(topic),
        "different_scripts_same_lure_bank": stats(scripts),
    }


def quality(found: list[Any], rows: list[Invented]) -> dict[str, Any]:
    planted = {r.report_id: r.campaign for r in rows}
    sizes = Counter(c for c in planted.values() if c is not None)
    whole = 0
    benign_clusters = benign_in = 0
    for c in found:
        labels = Counter(planted[i] for i in c.report_ids)
        if set(labels) == {None}:
            benign_clusters += 1
            benign_in += len(c.report_ids)
        whole += sum(1 for k, n in labels.items() if k is not None and n == sizes[k])
    return {
        "planted_campaigns": len(sizes),
        "planted_found_whole": whole,
        "clusters": len(found),
        "clusters_of_benign_reports_only": benign_clusters,
        "benign_reports_in_such_clusters": benign_in,
        "benign_reports": sum(1 for c in planted.values() if c is None),
    }


def batch(n: int, workers: int) -> dict[str, Any]:
    rows = list(reports(n))
    gc.collect()
    wall, used = time.perf_counter(), cpu()
    b = collect(((r.report_id, r.approach_json, r.reported_at, r.reporter) for r in rows), workers=workers)
    t_features = time.perf_counter() - wall
    uf = UnionFind()
    for _ in b.ids:
        uf.add()
    pairs = link(b, uf)
    t_link = time.perf_counter() - wall - t_features
    found = clusters(b, uf, pairs)
    total = time.perf_counter() - wall
    result = {
        "reports": n,
        "workers": workers,
        "wall_s": round(total, 2),
        "cpu_s": round(cpu() - used, 2),
        "features_wall_s": round(t_features, 2),
        "link_wall_s": round(t_link, 2),
        "clusters_wall_s": round(total - t_features - t_link, 2),
        "key_pairs": len(b.key_hash),
        "quality": quality(found, rows),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result), file=sys.stderr)
    return result


def build_store(path: Path, n: int, workers: int) -> tuple[Store, dict[str, Any]]:
    store = Store(f"sqlite:///{path}")
    upgrade(store.engine)
    wall = time.perf_counter()
    with store.write() as s:
        s.execute(text("PRAGMA cache_size=-1000000"))
        s.execute(insert(User), [{"id": i, "name": f"staff{i}", "role": "reporter"} for i in range(1, 5001)])
        chunk: list[dict[str, Any]] = []
        for r in reports(n):
            chunk.append(_row(r))
            if len(chunk) >= 20_000:
                s.execute(insert(Report), chunk)
                chunk = []
        if chunk:
            s.execute(insert(Report), chunk)
    loaded = time.perf_counter() - wall
    wall, used = time.perf_counter(), cpu()
    with store.write() as s:
        s.execute(text("PRAGMA cache_size=-1000000"))
        done = relink_all(s, workers=workers)
    return store, {
        "load_reports_s": round(loaded, 1),
        "relink_all_wall_s": round(time.perf_counter() - wall, 1),
        "relink_all_cpu_s": round(cpu() - used, 1),
        "relink_all": done,
        "db_mb": round(path.stat().st_size / 2**20),
    }


def _row(r: Invented) -> dict[str, Any]:
    doc = json.loads(r.approach_json)
    sender = doc.get("sender") or {}
    return {
        "id": r.report_id,
        "approach_id": doc["id"],
        "reporter_id": r.reporter,
        "reported_at": r.reported_at,
        "approach_json": r.approach_json,
        "assessment_json": "{}",
        "band": "low",
        "score": 0.0,
        "status": "new",
        "sender_name": sender.get("name"),
        "sender_company": sender.get("company"),
        "updated_at": r.reported_at,
    }


def incremental(store: Store, n: int, new: int) -> dict[str, Any]:
    """`new` reports after the first n, each inserted and linked in its own transaction; link_report timed."""
    fresh = [r for r in reports(n + new) if r.report_id > n]
    link_ms, cpu_ms, commit_ms, linked = [], [], [], 0
    for r in fresh:
        with store.write() as s:
            s.execute(insert(Report), [_row(r)])
            t, c = time.perf_counter(), time.thread_time()
            cid = link_report(s, r.report_id)
            link_ms.append((time.perf_counter() - t) * 1000)
            cpu_ms.append((time.thread_time() - c) * 1000)
            t = time.perf_counter()
        commit_ms.append((time.perf_counter() - t) * 1000)
        linked += cid is not None
    q, qc = statistics.quantiles(link_ms, n=100), statistics.quantiles(cpu_ms, n=100)
    return {
        "store_reports": n,
        "new_reports": len(fresh),
        "linked_to_a_campaign": linked,
        "link_report_ms": {
            "p50": round(statistics.median(link_ms), 2),
            "p99": round(q[98], 2),
            "max": round(max(link_ms), 2),
        },
        "link_report_cpu_ms": {"p50": round(statistics.median(cpu_ms), 2), "p99": round(qc[98], 2)},
        "commit_ms_p50": round(statistics.median(commit_ms), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db-size", type=int, default=1_000_000)
    ap.add_argument("--new", type=int, default=200)
    ap.add_argument("--db-dir", type=Path, default=None, help="Where the SQLite store goes (default: a temp dir).")
    ap.add_argument("--skip", nargs="*", default=[], choices=["threshold", "batch", "incremental"])
    ap.add_argument("--out", type=Path, default=HERE / "results" / "campaigns.json")
    args = ap.parse_args()
    result: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_avg_at_start": os.getloadavg()},
        "data": "invented (bench/campaign_data.py, seed 1): ~88% benign singletons, ~2% in campaigns of 5-60 "
        "reports by 1-4 personas sharing a handle and cover firm, 10% in one mass campaign sharing one handle",
    }
    if "threshold" not in args.skip:
        result["threshold"] = threshold()
        print(json.dumps(result["threshold"]), file=sys.stderr)
    if "batch" not in args.skip:
        runs = []
        for n in args.sizes:
            runs.append(batch(n, args.workers))
            write_result(args.out, {**result, "batch": {"runs": runs}})  # partial, in case a later part fails
        small, big = runs[0], runs[-1]
        k = big["reports"] / small["reports"]
        result["batch"] = {
            "runs": runs,
            "growth": {
                "sizes": [small["reports"], big["reports"]],
                "wall_ratio": round(big["wall_s"] / small["wall_s"], 2),
                "cpu_ratio": round(big["cpu_s"] / small["cpu_s"], 2),
                "linear_ratio": round(k, 2),
                "n_log_n_ratio": round(k * math.log(big["reports"]) / math.log(small["reports"]), 2),
            },
        }
        write_result(args.out, result)
    if "incremental" not in args.skip:
        with tempfile.TemporaryDirectory(dir=args.db_dir) as tmp:
            store, built = build_store(Path(tmp) / "bench.db", args.db_size, args.workers)
            print(json.dumps(built), file=sys.stderr)
            try:
                result["incremental"] = {**built, **incremental(store, args.db_size, args.new)}
            finally:
                store.dispose()
    result["machine"]["load_avg_at_end"] = os.getloadavg()
    write_result(args.out, result)


if __name__ == "__main__":
    main()
