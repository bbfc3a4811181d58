"""Sharing: export a store's campaigns as STIX 2.1 and MISP, validate, and import them into another store.

Run: `.venv/bin/python bench/share.py --reports 10000 --out bench/results/share.json`. The store is the campaign
benchmark's invented one (bench/campaign_data.py: mostly benign singletons, some campaigns, one mass campaign),
loaded and linked by relink_all; every report, person and handle in it is invented. Timed: collecting the live
campaigns, writing the bundle (stix2 objects, staff guard), the OASIS validator on it, the MISP event and a
MISP feed folder, then importing the bundle and the feed into a fresh store's watchlist (one transaction each).
"""

from __future__ import annotations

import argparse
import platform
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import stix2validator

from _results import machine_speed, write_result
from campaigns import build_store
from counterpitch.share import ingest, misp, stix
from counterpitch.share.sources import from_store
from counterpitch.share.vocab import tlp
from counterpitch.store.db import Store
from counterpitch.store.migrate import upgrade


def timed(fn: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - t, 3)


def run(n: int, tmp: Path) -> dict[str, Any]:
    store, built = build_store(tmp / "source.db", n, workers=1)
    level = tlp("amber")
    with store.read() as s:
        (share, guard), collect_s = timed(lambda: from_store(s, "Bench Organisation"))
    store.dispose()
    bundle, stix_s = timed(lambda: stix.serialise(share, level, guard))
    result, validate_s = timed(lambda: stix2validator.validate_string(bundle))
    event, misp_s = timed(lambda: misp.serialise(share, level, guard))
    files, feed_s = timed(lambda: misp.write_feed(share, level, guard, tmp / "feed"))
    (tmp / "bundle.json").write_text(bundle, encoding="utf-8")
    target = Store(f"sqlite:///{tmp / 'target.db'}")
    upgrade(target.engine)
    shared, load_stix_s = timed(lambda: ingest.load(tmp / "bundle.json"))
    with target.write() as s:
        imported, store_stix_s = timed(lambda: ingest.store_entries(s, shared))
    fed, load_feed_s = timed(lambda: ingest.load(tmp / "feed"))
    with target.write() as s:
        imported_feed, store_feed_s = timed(lambda: ingest.store_entries(s, fed))
    target.dispose()
    return {
        "reports": n,
        "store": built,
        "campaigns": len(share.campaigns),
        "personas": len(share.personas),
        "indicators": len(share.indicators),
        "export": {
            "collect_s": collect_s,
            "stix_bundle_s": stix_s,
            "stix_bundle_mb": round(len(bundle.encode()) / 2**20, 2),
            "stix_validator_s": validate_s,
            "stix_valid": result.is_valid,
            "misp_event_s": misp_s,
            "misp_event_mb": round(len(event.encode()) / 2**20, 2),
            "misp_feed_s": feed_s,
            "misp_feed_events": len(files),
        },
        "import": {
            "stix_load_s": load_stix_s,
            "stix_store_s": store_stix_s,
            "stix_entries_added": len(imported.added),
            "feed_load_s": load_feed_s,
            "feed_store_s": store_feed_s,
            "feed_entries": len(imported_feed.added) + len(imported_feed.updated) + len(imported_feed.unchanged),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("bench/results/share.json"))
    args = parser.parse_args()
    before = machine_speed()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.reports, Path(tmp))
    result["machine"] = {
        "python": platform.python_version(),
        "speed_loop_s_before": before,
        "speed_loop_s_after": machine_speed(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
