"""The one entry point every face calls: assess an approach, audit a profile, in ones or in batches.

The engine owns nothing but the wiring: a registry of detectors, a read-only context of reference data, and
a scorer. The CLI, the web service and the batch runner all call these functions and never compute a verdict
themselves.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from counterpitch.detectors.base import Detector
from counterpitch.detectors.context import Context
from counterpitch.detectors.phrases import PhraseDetector, PhraseIndex
from counterpitch.detectors.registry import Registry, default_registry
from counterpitch.model import Approach, Assessment, Finding, PersonProfile, Profile
from counterpitch.scoring import Scorer, ScoreTrail, load_default_scorer
from counterpitch.semantic.textmodel import TextModel


@dataclass(frozen=True)
class Engine:
    registry: Registry
    context: Context
    scorer: Scorer

    @classmethod
    def default(
        cls,
        *,
        watchlists: Sequence[Path] = (),
        seed_watchlist: bool = True,
        sensitive_terms: Sequence[str] = (),
        semantic: bool = True,
        extra_detectors: Sequence[Path] = (),
        scorer: Scorer | None = None,
        text_model: TextModel | None = None,
    ) -> Engine:
        from counterpitch.watchlist import load_watchlist

        if semantic and text_model is None:
            from counterpitch.semantic.textmodel import load_default_text_model

            text_model = load_default_text_model()
        registry = default_registry(extra_yaml=extra_detectors)
        if not semantic:
            registry = Registry(d for d in registry if d.meta.family != "semantic")
        context = Context(
            watchlist=load_watchlist(watchlists, include_seed=seed_watchlist),
            sensitive_terms=tuple(sensitive_terms),
            text_model=text_model if semantic else None,
            phrases=PhraseIndex([d for d in registry if isinstance(d, PhraseDetector)]),
        )
        return cls(registry, context, scorer or load_default_scorer())

    def with_learnt(self, scorer: Scorer, text_model: TextModel | None) -> Engine:
        """The same detectors and reference data with another scorer and wording model (for evaluation)."""
        context = replace(self.context, text_model=text_model if self.context.text_model is not None else None)
        return Engine(self.registry, context, scorer)

    # --- approaches -------------------------------------------------------------------------------------------
    def findings(self, approach: Approach) -> list[Finding]:
        """What every approach detector saw, plus the recipient's own exposure (it raises the stakes)."""
        return _run(self.registry.for_target("approach"), approach, self.context) + self.recipient_exposure(approach)

    def assess(self, approach: Approach) -> Assessment:
        return self.assess_with_trail(approach)[0]

    def assess_with_trail(self, approach: Approach) -> tuple[Assessment, ScoreTrail]:
        found = self.findings(approach)
        score, band, weighted, advice, trail = self.scorer.score(found)
        return Assessment(id=approach.id, score=score, band=band, findings=tuple(weighted), advice=advice), trail

    def assess_many(self, approaches: Iterable[Approach], batch: int = 256) -> Iterator[Assessment]:
        """Assess lazily in batches, each detector over the whole batch in turn.

        Same results as `assess` one by one; running one detector across many messages keeps its patterns and
        tables hot in the CPU cache, which is markedly faster in bulk. Memory is bounded by the batch size.
        """
        detectors = self.registry.for_target("approach")
        it = iter(approaches)
        while chunk := list(islice(it, batch)):
            with _gc_paused():
                done = self._assess_batch(chunk, detectors)
            yield from done

    def _assess_batch(self, chunk: list[Approach], detectors: Sequence[Detector]) -> list[Assessment]:
        """One batch, detector by detector (see `assess_many`)."""
        out: list[Assessment] = []
        found: list[list[Finding]] = [[] for _ in chunk]
        index = self.context.phrases
        # The shared pre-filter names, per approach, the phrase rules that could fire; each such rule then
        # visits only those approaches, in order (the others' answer would be "nothing").
        fires_on: dict[str, list[int]] = {}
        if index is not None:
            for i, a in enumerate(chunk):
                for ident in index.candidates(a):
                    fires_on.setdefault(ident, []).append(i)
        # A profile's hash walks all its fields: take it once per approach, not once per detector.
        sender_keys = [hash(a.sender) for a in chunk]
        everyone = range(len(chunk))
        for d in detectors:
            visit = fires_on.get(d.meta.id, ()) if index is not None and d.meta.id in index else everyone
            # Detectors that read only the sender run once per distinct sender in the batch.
            per_sender: dict[int, tuple[PersonProfile | None, list[Finding]]] = {}
            for i in visit:
                a = chunk[i]
                if d.meta.reads != "sender":
                    found[i].extend(d.detect(a, self.context))
                    continue
                cached = per_sender.get(sender_keys[i])
                if cached is None or cached[0] != a.sender:
                    cached = per_sender[sender_keys[i]] = (a.sender, list(d.detect(a, self.context)))
                found[i].extend(cached[1])
        exposure: dict[int, tuple[PersonProfile | None, list[Finding]]] = {}  # recipients recur in a batch
        for a, f in zip(chunk, found, strict=True):
            key = hash(a.recipient)
            seen = exposure.get(key)
            if seen is None or seen[0] != a.recipient:
                seen = exposure[key] = (a.recipient, self.recipient_exposure(a))
            score, band, weighted, advice, _ = self.scorer.score(f + seen[1])
            out.append(Assessment(id=a.id, score=score, band=band, findings=tuple(weighted), advice=advice))
        return out

    # --- profiles ---------------------------------------------------------------------------------------------
    def audit(self, profile: Profile) -> list[Finding]:
        """Exposure findings on one person's own profile (scored by the audit, a later stage)."""
        return _run(self.registry.for_target("profile"), profile, self.context)

    def recipient_exposure(self, approach: Approach) -> list[Finding]:
        """Exposure findings on the recipient of an approach, evidence fields prefixed with `recipient.`."""
        if approach.recipient is None:
            return []
        found = self.audit(recipient_profile(approach.id, approach.recipient))
        return [
            f.model_copy(
                update={"evidence": tuple(e.model_copy(update={"field": f"recipient.{e.field}"}) for e in f.evidence)}
            )
            for f in found
        ]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch runs.

    A batch allocates many short-lived, acyclic records (findings, evidence); the collector would walk every
    live object again and again for nothing, which cost 8-15% of bulk throughput. Reference counting still
    frees them at once; the collector runs as usual between batches (never while the caller holds the
    generator), and is left as it was found.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def recipient_profile(approach_id: str, person: PersonProfile) -> Profile:
    return Profile(
        id=f"{approach_id}#recipient",
        name=person.name,
        headline=person.headline,
        location=person.location,
        profile_url=person.profile_url,
        about=person.about,
        experience=person.experience,
        skills=person.skills,
        connections=person.connections,
    )


def _run(detectors: Iterable[Detector], subject: Approach | Profile, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for d in detectors:
        out.extend(d.detect(subject, ctx))
    return out
