"""The organisation summary and the mosaic extract: any partition of the input, merged in any order, gives
exactly the one-pass result (what a Dask run relies on). Profiles are invented."""

from __future__ import annotations

import json
from functools import reduce
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.audit.approached import ApproachedIndex, ApproachRef
from counterpitch.audit.core import audit_engine, audit_profile
from counterpitch.audit.run import Partial
from counterpitch.model import Assessment, Profile

TERMS = ("Type 83", "MARLIN 4", "Kestrel Bay")
ENGINE = audit_engine(TERMS)

HEADLINES = [
    "Systems Engineer | SC Cleared",
    "Head of Sonar Systems | DV",
    "Sonar Systems Engineer on Type 83",
    "Deputy to the Chief Engineer, MARLIN 4",
    "Data Analyst",
    "Network Engineer | NV1 | Kestrel Bay",
    "Store Manager | Myrtle Beach, SC",
    "TS/SCI with CI Poly",
    "Analyst at GCHQ",
    "Chief Engineer",
]


def make_people() -> list[tuple[Profile, Assessment]]:
    out = []
    for i in range(40):
        head = HEADLINES[i % len(HEADLINES)]
        p = Profile.model_validate(
            {
                "id": f"p{i:03d}",
                "name": f"Person {i % 13}",  # repeated names: ties must still order deterministically
                "headline": head,
                "profile_url": f"https://www.linkedin.com/in/person-{i}",
                "experience": [{"title": head.split(" | ")[0], "company": "Harbourline Defence", "location": "Barrow"}],
            }
        )
        out.append((p, audit_profile(ENGINE, p)))
    return out


PEOPLE = make_people()
INDEX = ApproachedIndex(
    {"url:linkedin.com/in/person-11": (ApproachRef(7, "high", "2026-11-01", "p11", "profile_url"),)}
)


def one_pass(items: list[tuple[Profile, Assessment]], top_k: int = 5) -> Partial:
    part = Partial.empty(top_k=top_k, approached=INDEX, max_people=8)
    for p, a in items:
        part.add(p, a)
    return part


def dump(part: Partial) -> str:
    return json.dumps(
        {"summary": part.summary.to_json(), "mosaic": [x.to_json() for x in part.mosaic.kept()]}, sort_keys=True
    )


@settings(max_examples=60, deadline=None)
@given(st.permutations(list(range(len(PEOPLE)))), st.lists(st.integers(0, len(PEOPLE)), max_size=6))
def test_when_input_is_partitioned_and_merged_then_result_equals_one_pass(order: list[int], cuts: list[int]) -> None:
    shuffled = [PEOPLE[i] for i in order]
    bounds = [0, *sorted(cuts), len(shuffled)]
    parts = [one_pass(shuffled[a:b]) for a, b in pairwise(bounds)]
    merged = reduce(lambda x, y: x.merge(y), reversed(parts))
    assert dump(merged) == dump(one_pass(PEOPLE))


def test_when_summarised_then_people_per_value_are_counted_once_each() -> None:
    s = one_pass(PEOPLE).summary.to_json()
    assert s["profiles"] == 40
    clearances = {c["value"]: c["people"] for c in s["clearances"]}  # type: ignore[union-attr,index]
    assert clearances["UK:SC"] == 4 and clearances["US:TS/SCI"] == 4
    assert "South Carolina" not in json.dumps(s)
    terms = {c["value"]: c["people"] for c in s["terms"]}  # type: ignore[union-attr,index]
    assert terms == {"Type 83": 4, "MARLIN 4": 4, "Kestrel Bay": 4}


def test_when_a_person_was_approached_and_is_highly_exposed_then_they_come_first() -> None:
    s = one_pass(PEOPLE).summary
    first = s.priority()[0]
    assert first.id == "p011" and first.approached and first.band == "high"
    assert s.approached_people == 1
