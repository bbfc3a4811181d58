"""Assertion helpers shared by the detector tests."""

from __future__ import annotations

from typing import Any

from counterpitch.detectors.context import Context
from counterpitch.detectors.registry import default_registry
from counterpitch.model import Approach, Finding
from counterpitch.text import clean

_REGISTRY = default_registry(plugins=False)


def approach(text: str = "", **fields: Any) -> Approach:
    return Approach.model_validate({"id": "t", "text": text, **fields})


def run(detector_id: str, subject: Approach, ctx: Context | None = None) -> list[Finding]:
    return list(_REGISTRY.get(detector_id).detect(subject, ctx or Context()))


def assert_fires(detector_id: str, subject: Approach, ctx: Context | None = None) -> Finding:
    found = run(detector_id, subject, ctx)
    assert found, f"{detector_id} should fire on {subject.text[:80]!r}"
    f = found[0]
    assert f.detector == detector_id and f.evidence and f.sources
    for e in f.evidence:
        value = _field_value(subject, e.field)
        if value is not None and e.quote and e.start is not None and e.end is not None:
            quote = e.quote.removesuffix("…")
            assert clean(value)[e.start : e.end].startswith(clean(quote)), (e, value)
    return f


def assert_quiet(detector_id: str, subject: Approach, ctx: Context | None = None) -> None:
    found = run(detector_id, subject, ctx)
    assert not found, f"{detector_id} should stay quiet, but saw {[e.quote for f in found for e in f.evidence]}"


def _field_value(subject: Approach, path: str) -> str | None:
    obj: Any = subject
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj if isinstance(obj, str) else None
