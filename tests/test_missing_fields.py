"""Missing is not evidence (docs/decisions/0037-missing-is-not-evidence.md).

Two guarantees over every case of the dev casebook, the training set and examples/:
- dropping an optional field (any field of the sender or recipient, or the thread, subject, channel, sent_at,
  or a whole person) never adds a finding: a missing field can only take evidence away;
  The one exception is the learnt wording model when words are dropped (the subject, a turn of the thread) or a
  name that masked words in the text ("Arab Youth AI Grant" as a sender's name): it weighs the words that are
  there, and taking some away can leave the others weighing more. That is the text read differently, not a
  missing field read as evidence; every other detector stays strict there too, but for a rule vetoed by what
  the whole message is (`none_in_message`, decision 0059: a survey's subject line sets a voucher in the text
  aside), which the dropped words may have said;
- a field never asked for and one given empty ([] or "") give the same assessment, unless the profile was read
  whole (a saved LinkedIn PDF), the one source where an empty list is the person's own "none".
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpitch.detectors.registry import default_registry
from counterpitch.engine import Engine
from counterpitch.evaluation import training_cases
from counterpitch.model import Approach, PersonProfile
from tests.conftest import CASEBOOK

Doc = dict[str, Any]
FieldPath = tuple[str, ...]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "approaches.jsonl"
TOP_LEVEL = ("channel", "sent_at", "subject", "thread", "sender", "recipient")
ROLES = ("sender", "recipient")
LISTS = ("experience", "education", "skills")
STRINGS = tuple(name for name, f in PersonProfile.model_fields.items() if f.annotation == (str | None))


def _jsonl(path: Path) -> list[Doc]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _sources() -> dict[str, list[Doc]]:
    out = {
        "training": [a.to_json_dict() for a in training_cases()],
        "examples": _jsonl(EXAMPLES),
    }
    dev = CASEBOOK / "approaches_dev.jsonl"
    if dev.is_file():
        out["casebook"] = _jsonl(dev)
    return out


SOURCES = _sources()
ALL = [doc for docs in SOURCES.values() for doc in docs]


def droppable(doc: Doc) -> list[FieldPath]:
    paths: list[FieldPath] = [(k,) for k in TOP_LEVEL if k in doc]
    for role in ROLES:
        paths += [(role, k) for k in doc.get(role) or {}]
    return paths


def without(doc: Doc, paths: Iterable[FieldPath]) -> Doc:
    out = copy.deepcopy(doc)
    for path in paths:
        if len(path) == 1:
            out.pop(path[0], None)
        else:
            (out.get(path[0]) or {}).pop(path[1], None)
    return out


def approach(doc: Doc, whole: bool) -> Approach:
    a = Approach.model_validate(doc)
    return a.with_sender_read_whole() if whole else a


def detectors(engine: Engine, doc: Doc, whole: bool) -> set[str]:
    return {f.detector for f in engine.findings(approach(doc, whole))}


#: Paths whose dropping changes the words the wording model reads (see the module's docstring).
WORDS = {("subject",), ("thread",), ("sender",), ("recipient",), ("sender", "name"), ("recipient", "name")}


#: Rules a message's setting vetoes wherever it is written (decision 0059): dropped words may have held it.
SETTING_VETOED = frozenset(d.meta.id for d in default_registry() if getattr(d, "none_in_message", ()))


def added_findings(before: set[str], after: set[str], dropped: Iterable[FieldPath]) -> set[str]:
    """The findings that dropping `dropped` added; the wording model's and the setting-vetoed rules' only where
    no words were dropped."""
    new = after - before
    return new - {"semantic.wording"} - SETTING_VETOED if WORDS.intersection(dropped) else new


@pytest.mark.parametrize("whole", [False, True], ids=["as-given", "read-whole"])
@pytest.mark.parametrize("source", ["casebook", "training", "examples"])
def test_when_any_one_field_is_dropped_then_no_finding_is_added(engine: Engine, source: str, whole: bool) -> None:
    if source not in SOURCES:
        pytest.skip("the shared dev casebook is not beside this checkout")
    added = []
    for doc in SOURCES[source]:
        before = detectors(engine, doc, whole)
        for path in droppable(doc):
            new = added_findings(before, detectors(engine, without(doc, [path]), whole), [path])
            if new:
                added.append((doc["id"], ".".join(path), sorted(new)))
    assert added == [], f"dropping a field added findings: {added[:10]}"


@st.composite
def case_and_drops(draw: st.DrawFn) -> tuple[Doc, list[FieldPath], bool]:
    doc = draw(st.sampled_from(ALL))
    paths = droppable(doc)
    drops = draw(st.lists(st.sampled_from(paths), unique=True, max_size=len(paths))) if paths else []
    return doc, drops, draw(st.booleans())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_and_drops())
def test_when_several_fields_are_dropped_then_no_finding_is_added(
    engine: Engine, drawn: tuple[Doc, list[FieldPath], bool]
) -> None:
    doc, drops, whole = drawn
    after = detectors(engine, without(doc, drops), whole)
    assert added_findings(detectors(engine, doc, whole), after, drops) == set(), (doc["id"], drops)


def given_empty(doc: Doc) -> Doc:
    """`doc` with every optional field it lacks given empty, as a form or another tool may send it."""
    out = copy.deepcopy(doc)
    out.setdefault("thread", [])
    out.setdefault("subject", "")
    for role in ROLES:
        person = out.setdefault(role, {})
        for name in LISTS:
            person.setdefault(name, [])
        for name in STRINGS:
            person.setdefault(name, "")
    return out


def never_asked(doc: Doc) -> Doc:
    """`doc` with every empty list left out, as if no one had asked for it."""
    out = copy.deepcopy(doc)
    for role in ROLES:
        person = out.get(role) or {}
        for name in LISTS:
            if person.get(name) == []:
                del person[name]
    if out.get("thread") == []:
        del out["thread"]
    return out


def _verdict(engine: Engine, doc: Doc) -> tuple[str, float, list[str]]:
    a = engine.assess(Approach.model_validate(doc))
    return a.band, a.score, sorted(f.detector for f in a.findings)


def test_when_a_field_is_never_asked_for_or_given_empty_then_the_assessment_is_the_same(engine: Engine) -> None:
    differ = []
    for doc in ALL:
        base = _verdict(engine, never_asked(doc))
        no_jobs = {**doc, "sender": {"experience": [], **(doc.get("sender") or {})}}  # the issue's own case
        for variant in (given_empty(doc), no_jobs):
            if _verdict(engine, variant) != base:
                differ.append((doc["id"], base, _verdict(engine, variant)))
    assert differ == [], differ[:5]


def test_when_a_saved_profile_is_merged_with_typed_fields_on_the_web_then_it_stays_read_whole(
    tmp_path: Path,
) -> None:
    """The report form merges the PDF's profile with what was typed: the PDF's lists keep their meaning."""
    from counterpitch.web.reporter_pages import Upload, _build
    from tests import pdf_builder as pb

    spec = pb.ProfileSpec(name="Lena Hart", headline="Talent Partner", location="London", slug="lena-hart-77")
    pdf = pb.build_profile_pdf(spec, tmp_path / "p.pdf").read_bytes()
    typed = {"text": "Hello, may we talk?", "sender_company": "Meridian Partners"}
    read, *_ = _build(typed, Upload("p.pdf", pdf), None)
    assert read.sender is not None and read.sender.captured_whole and read.sender.experience == ()
    pasted, *_ = _build({**typed, "sender_name": "Lena Hart", "sender_headline": "Talent Partner"}, None, None)
    assert pasted.sender is not None and not pasted.sender.captured_whole and pasted.sender.experience is None
