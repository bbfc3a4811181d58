"""Precision and recall of the exposure detectors on a labelled profiles file.

Why: the exposure rules are hand-written, and every change to them (or to data/clearances.yaml and
data/sensitive_roles.yaml) trades a false alarm against a miss; this prints the trade per kind.

    .venv/bin/python scripts/exposure_eval.py ../shared/casebook/profiles_dev.jsonl \
        --terms ../shared/casebook/sensitive_terms_dev.txt [--errors]

Scoring: clearance, sensitive_project and personal_contact compare (profile, value) pairs exactly;
sensitive_role values are free descriptions in the labels, so a profile counts once: any role expected
against any role found. The labels (`expected`) are read here only, never by the detectors.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from counterpitch.detectors.context import Context
from counterpitch.detectors.exposure import DETECTORS
from counterpitch.model import Profile

KINDS = ("clearance", "sensitive_project", "sensitive_role", "personal_contact")
#: Kinds whose labelled values are free text: scored per profile, not per value.
PROFILE_LEVEL = frozenset({"sensitive_role"})


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def read_profiles(path: Path) -> list[Profile]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Profile.model_validate(json.loads(line)) for line in lines if line.strip()]


def read_terms(path: Path | None) -> tuple[str, ...]:
    if path is None:
        return ()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def found_values(profile: Profile, ctx: Context) -> dict[str, set[str]]:
    """What the detectors report, by kind (the family prefix stripped from the detector id)."""
    out: dict[str, set[str]] = {k: set() for k in KINDS}
    for detector in DETECTORS:
        for finding in detector.detect(profile, ctx):
            out[finding.detector.split(".", 1)[1]].add(finding.value or "")
    return out


def evaluate(profiles: Iterable[Profile], terms: Sequence[str]) -> dict[str, Tally]:
    ctx = Context(sensitive_terms=tuple(terms))
    tallies = {k: Tally() for k in KINDS}
    for p in profiles:
        found = found_values(p, ctx)
        for kind, tally in tallies.items():
            expected = {e.value or "" for e in p.expected if e.kind == kind}
            got = found[kind]
            if kind in PROFILE_LEVEL:
                expected, got = ({"*"} if expected else set()), ({"*"} if got else set())
            tally.tp += len(expected & got)
            tally.fp += len(got - expected)
            tally.fn += len(expected - got)
            tally.errors += [f"{p.id} {kind}: false alarm {v}" for v in sorted(got - expected)]
            tally.errors += [f"{p.id} {kind}: missed {v}" for v in sorted(expected - got)]
    return tallies


def throughput(profiles: Sequence[Profile], terms: Sequence[str], seconds: float = 1.0) -> float:
    """Profiles per second through all four detectors, on this core."""
    ctx = Context(sensitive_terms=tuple(terms))
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for p in profiles:
            for detector in DETECTORS:
                list(detector.detect(p, ctx))
        done += len(profiles)
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profiles", type=Path, help="a profiles JSONL file with `expected` labels")
    parser.add_argument("--terms", type=Path, help="sensitive project terms, one per line")
    parser.add_argument("--errors", action="store_true", help="list every false alarm and miss")
    parser.add_argument("--speed", action="store_true", help="also measure profiles per second")
    args = parser.parse_args()
    profiles, terms = read_profiles(args.profiles), read_terms(args.terms)
    print(f"{'kind':<18} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}")
    for kind, t in evaluate(profiles, terms).items():
        print(f"{kind:<18} {t.tp:>4} {t.fp:>4} {t.fn:>4} {t.precision:>9.3f} {t.recall:>7.3f}")
        if args.errors:
            for line in t.errors:
                print(f"    {line}")
    if args.speed:
        print(f"throughput: {throughput(profiles, terms):,.0f} profiles/s (four detectors, one core)")


if __name__ == "__main__":
    main()
