"""Persona matching across organisations: the keyed join and the private set intersection (issue 15 item 5).

Run: `.venv/bin/python bench/psi.py --out bench/results/psi.json`. Every identifier is invented. Parts:

- fingerprints: two files of `--fp-size` personas (one e-mail each, 10% in common) written under one key, then
  `share match`'s work (load and check both files, join) timed; the issue asks under a second at 100,000 each.
- psi: `--psi-size` identifiers on each side (10% in common) through the three steps (start, reply, finish),
  each timed with its files written and read as the commands do, and the intersection checked.

The machine is shared: wall times vary with other work, CPU times (this process) less; `machine_speed` before
and after tells a slow machine from slow code.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _results import machine_speed, write_result
from counterpitch.share import fingerprints, psi
from counterpitch.share.identifiers import Identifier, Persona


def personas(prefix: str, n: int, shared: int) -> list[Persona]:
    """n invented personas; the first `shared` have the same address on both sides."""
    out = []
    for i in range(n):
        who = f"shared{i}" if i < shared else f"{prefix}{i}"
        out.append(Persona(f"{prefix}-{i}", frozenset({Identifier("email", f"{who}@persona.example")})))
    return out


def bench_fingerprints(n: int, folder: Path) -> dict[str, Any]:
    key = os.urandom(fingerprints.KEY_BYTES)
    shared = n // 10
    t = time.perf_counter()
    for side in ("a", "b"):
        doc = fingerprints.document(key, personas(side, n, shared))
        (folder / f"{side}.json").write_text(json.dumps(doc, separators=(",", ":")), "utf-8")
    write_s = time.perf_counter() - t
    t, cpu = time.perf_counter(), time.process_time()
    fa, fb = fingerprints.load(folder / "a.json"), fingerprints.load(folder / "b.json")
    load_s, load_cpu = time.perf_counter() - t, time.process_time() - cpu
    t, cpu = time.perf_counter(), time.process_time()
    found = fingerprints.match(fa, fb)
    join_s, join_cpu = time.perf_counter() - t, time.process_time() - cpu
    assert len(found) == shared, len(found)
    return {
        "personas_each_side": n,
        "in_common": shared,
        "write_both_s": round(write_s, 3),
        "load_and_check_both_s": round(load_s, 3),
        "join_s": round(join_s, 3),
        "match_total_s": round(load_s + join_s, 3),
        "match_total_cpu_s": round(load_cpu + join_cpu, 3),
        "file_bytes": (folder / "a.json").stat().st_size,
    }


def bench_psi(n: int, folder: Path) -> dict[str, Any]:
    shared = n // 10
    a, b = personas("a", n, shared), personas("b", n, shared)
    a1, b1, secret = folder / "a1.json", folder / "b1.json", folder / "a.secret"
    times: dict[str, float] = {}
    cpu = time.process_time()
    t = time.perf_counter()
    a1.write_text(json.dumps(psi.start(a, secret)), "utf-8")
    times["start_s"] = time.perf_counter() - t
    t = time.perf_counter()
    b1.write_text(json.dumps(psi.reply(a1, b, None)), "utf-8")
    times["reply_s"] = time.perf_counter() - t
    t = time.perf_counter()
    outcome = psi.finish(a1, b1, secret)
    times["finish_s"] = time.perf_counter() - t
    cpu = time.process_time() - cpu
    assert len(outcome.held) == shared, len(outcome.held)
    ops = 4 * n  # scalar multiplications: a·H(x), b·(aH(x)), b·H(y), a·(bH(y))
    return {
        "identifiers_each_side": n,
        "in_common": shared,
        **{k: round(v, 3) for k, v in times.items()},
        "total_s": round(sum(times.values()), 3),
        "total_cpu_s": round(cpu, 3),
        "scalar_mults": ops,
        "us_per_identifier_step": round(sum(times.values()) / ops * 1e6, 1),
        "bytes": {"a1": a1.stat().st_size, "b1": b1.stat().st_size},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fp-size", type=int, default=100_000)
    parser.add_argument("--psi-size", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("bench/results/psi.json"))
    args = parser.parse_args()
    import pysodium

    before, load_before = machine_speed(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        fp = bench_fingerprints(args.fp_size, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        ps = bench_psi(args.psi_size, Path(tmp))
    result = {
        "benchmark": "persona matching across organisations (bench/psi.py)",
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libsodium": ".".join(
            str(v)
            for v in (pysodium.sodium.sodium_library_version_major(), pysodium.sodium.sodium_library_version_minor())
        ),
        "machine_speed_s": {"before": before, "after": machine_speed()},
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "fingerprints": fp,
        "psi": ps,
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
