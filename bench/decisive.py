"""Approaches from every persona named in the seed watchlist come out high, whatever their text, where users run it.

For each persona of src/counterpitch/data/watchlist/seed.yaml (name with firm), bland and varied invented texts
(an invitation, a thank-you, a question about a paper, a greeting in German...) are screened three ways: the
command `counterpitch check -f jsonl` in a subprocess, the API `POST /api/v1/assess` of a real service app on a
fresh SQLite store, and the engine in-process. The texts carry no lure at all: the band must come from the
decisive rule alone. Writes bench/results/decisive.json.

Run: `.venv/bin/python bench/decisive.py`
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from _results import write_result
from counterpitch.engine import Engine
from counterpitch.model import Approach
from counterpitch.watchlist import load_watchlist

HERE = Path(__file__).resolve().parent
#: Invented, deliberately ordinary texts: no lure, no money, no secrecy, no app.
TEXTS = [
    "Hello {first}, I came across your profile and would be glad to connect.",
    "Dear {first}, thank you for your talk last week; I found your points on trade very clear.",
    "Hi {first}, I read your recent article on energy policy. Could I ask you one question about it?",
    "Good afternoon. Our firm follows your sector closely and I would welcome a short introductory chat.",
    "Hi, we have several openings in policy research. Would you be open to hearing more?",
    "Guten Tag, ich würde mich freuen, mich mit Ihnen zu vernetzen.",
    "Dear {first}, congratulations on your new role. Wishing you every success.",
    "Hello {first}, a mutual contact suggested we speak. Are you free for a call next week?",
    "Thank you for accepting my invitation. I look forward to following your work.",
    "Hi {first}, I am putting together a reading list on regulation and would value your suggestions.",
    "Bonjour, je suis consultante en recrutement et votre parcours m'intéresse.",
    "Dear {first}, I hope this finds you well. Do let me know if you would like to stay in touch.",
    "Hello, I saw that you spoke at the committee hearing. A very interesting session.",
    "Hi {first}, we are building a network of analysts. Happy to share more if of interest.",
    "Good morning, I would like to introduce myself and my firm.",
    # Safeguards in the text must not argue a published persona down.
    "Dear {first}, we only ever use published material and never ask for anything confidential.",
    "Hi {first}, this is an open, public consultation; please clear it with your employer first.",
]


def cases() -> list[Approach]:
    watchlist = load_watchlist([], include_seed=True)
    out = []
    for entry in watchlist:
        if entry.kind != "persona" or not entry.company:
            continue
        first = entry.name.split()[0]
        for i, text in enumerate(TEXTS):
            sender = {"name": entry.name, "company": entry.company}
            if i % 3 == 1:  # the firm in the headline instead of the company field
                sender = {"name": entry.name, "headline": f"Partner at {entry.company}"}
            out.append(
                Approach.model_validate(
                    {
                        "id": f"{entry.id}-{i:02d}",
                        "channel": "linkedin_message",
                        "sender": sender,
                        "text": text.format(first=first),
                    }
                )
            )
    return out


def via_cli(approaches: list[Approach]) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "personas.jsonl"
        path.write_text("".join(json.dumps(a.to_json_dict()) + "\n" for a in approaches), encoding="utf-8")
        exe = Path(sys.executable).with_name("counterpitch")
        run = subprocess.run([str(exe), "check", str(path), "-f", "jsonl"], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def via_api(approaches: list[Approach], engine: Engine) -> list[dict[str, object]]:
    from fastapi.testclient import TestClient

    from counterpitch.store import accounts
    from counterpitch.web.app import create_app
    from counterpitch.web.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        conf = Settings.from_env(
            database_url=f"sqlite:///{tmp}/bench.db",
            data_dir=Path(tmp),
            secret_key="bench-" + "x" * 40,
            cookie_secure=False,
        )
        app = create_app(conf, engine=engine)
        store = app.state.service.store
        with store.write() as session:
            user = accounts.add_user(session, "bench.analyst", "analyst", password="invented-pass-123")
            token = accounts.create_token(session, user)
        client = TestClient(app)
        client.headers["Authorization"] = f"Bearer {token}"
        out = []
        for a in approaches:
            r = client.post("/api/v1/assess", json=a.to_json_dict())
            r.raise_for_status()
            out.append(r.json())
        store.dispose()
    return out


def summary(results: list[dict[str, object]]) -> dict[str, object]:
    bands = Counter(str(r["band"]) for r in results)
    not_high = sorted(str(r["id"]) for r in results if r["band"] != "high")
    return {"cases": len(results), "bands": dict(bands), "all_high": not not_high, "not_high": not_high}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=HERE / "results" / "decisive.json")
    args = ap.parse_args()
    approaches = cases()
    engine = Engine.default()
    result = {
        "benchmark": "bland approaches from every persona named in the seed watchlist (name with firm)",
        "personas": len({a.sender.name for a in approaches if a.sender}),
        "texts_per_persona": len(TEXTS),
        "engine": summary([engine.assess(a).to_json_dict() for a in approaches]),
        "cli": summary(via_cli(approaches)),
        "api": summary(via_api(approaches, engine)),
    }
    write_result(args.out, result)


if __name__ == "__main__":
    main()
