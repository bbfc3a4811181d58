"""One profile to its exposure Assessment: the engine's `exposure.*` findings, scored by scoring/exposure.py.

Kept apart from the summary and the mosaic so that every runner (one process, a Dask partition, the web
service) audits a person the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from counterpitch.detectors.exposure import CORROBORATE_OPTION
from counterpitch.engine import Engine
from counterpitch.model import Assessment, Profile
from counterpitch.scoring.exposure import exposure_assessment


def audit_engine(terms: Sequence[str] = (), *, corroborate: bool = True) -> Engine:
    """An engine for audits: the organisation's sensitive terms, no watchlist or wording model to load (the
    exposure detectors need neither). `corroborate=False` trusts word-only terms without defence context."""
    engine = Engine.default(sensitive_terms=tuple(terms), seed_watchlist=False, semantic=False)
    if corroborate:
        return engine
    options = {**engine.context.options, CORROBORATE_OPTION: False}
    return replace(engine, context=replace(engine.context, options=options))


def audit_profile(engine: Engine, profile: Profile) -> Assessment:
    """The person's exposure: one finding per distinct value (with `value` as the Assessment schema says)."""
    return exposure_assessment(profile.id, engine.audit(profile))


def audit_profiles(engine: Engine, profiles: Iterable[Profile]) -> Iterator[tuple[Profile, Assessment]]:
    """Lazily, in input order: memory does not grow with the input."""
    for p in profiles:
        yield p, audit_profile(engine, p)
