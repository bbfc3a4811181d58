"""The one entry point every face calls: assess an approach, audit a profile, in ones or in batches.

The engine owns nothing but the wiring: a registry of detectors, a read-only context of reference data, and
a scorer. The CLI, the web service and the batch runner all call these functions and never compute a verdict
themselves.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Literal

from counterpitch.detectors.base import Detector
from counterpitch.detectors.context import Context
from counterpitch.detectors.languages import LanguageRules, merge_findings
from counterpitch.detectors.phrases import PhraseDetector, PhraseIndex
from counterpitch.detectors.registry import Registry, default_registry
from counterpitch.language import language_of, unread_notice
from counterpitch.model import Approach, Assessment, Band, Finding, Language, PersonProfile, Profile
from counterpitch.scoring import Scorer, ScoreTrail, load_default_scorer
from counterpitch.semantic.meaning import MeaningReader
from counterpitch.semantic.textmodel import TextModel

#: People whose findings the engine remembers at most (senders and recipients together).
MEMO_PEOPLE = 4096
#: The meaning layer is the cascade's second stage (decision 0050). One approach at a time it reads every
#: approach the fast path did not call high; in bulk (`assess_many`, meaning="unsure") only those whose fast
#: score reached this: something was seen, not enough. It costs about 20 ms an approach on one core.
MEANING_UNSURE_FLOOR = 10.0
#: When the meaning layer reads: "always" (below high), "unsure" (below high, score at least the floor), "never".
MeaningWhen = Literal["always", "unsure", "never"]


@dataclass(frozen=True)
class Engine:
    registry: Registry
    context: Context
    scorer: Scorer
    #: Findings about one person (see `_remembered`), keyed by role and the profile's hash.
    _memo: dict[tuple[str, int], tuple[PersonProfile | None, list[Finding]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

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
        meaning: bool = True,
    ) -> Engine:
        """The built-in detectors and models. `semantic` switches the wording model, `meaning` the meaning layer
        (it is also off where its engine cannot run: see semantic/embedding.available)."""
        from counterpitch.watchlist import load_watchlist

        if semantic and text_model is None:
            from counterpitch.semantic.textmodel import load_default_text_model

            text_model = load_default_text_model()
        registry = default_registry(extra_yaml=extra_detectors)
        if not semantic:
            registry = Registry(d for d in registry if d.meta.family != "semantic")
        phrases = [d for d in registry if isinstance(d, PhraseDetector)]
        context = Context(
            watchlist=load_watchlist(watchlists, include_seed=seed_watchlist),
            sensitive_terms=tuple(sensitive_terms),
            text_model=text_model if semantic else None,
            phrases=PhraseIndex(phrases),
            languages=LanguageRules(phrases),
            meaning=_meaning_reader(registry) if meaning else None,
        )
        return cls(registry, context, scorer or load_default_scorer())

    def with_learnt(self, scorer: Scorer, text_model: TextModel | None) -> Engine:
        """The same detectors and reference data with another scorer and wording model (for evaluation)."""
        context = replace(self.context, text_model=text_model if self.context.text_model is not None else None)
        return Engine(self.registry, context, scorer)

    # --- approaches -------------------------------------------------------------------------------------------
    def findings(self, approach: Approach) -> list[Finding]:
        """What every approach detector saw (the phrase rules in English and in the sender's language), plus the
        recipient's own exposure (it raises the stakes)."""
        return self._findings_read(approach)[0]

    def _findings_read(self, approach: Approach) -> tuple[list[Finding], Language]:
        language = language_of(approach)
        found = _run(self.registry.for_target("approach"), approach, self.context)
        return self._in_language(approach, found, language) + self.recipient_exposure(approach), language

    def _in_language(self, approach: Approach, found: list[Finding], language: Language) -> list[Finding]:
        """`found` with what the phrase rules of the sender's language saw (English's ran already)."""
        rules = self.context.languages
        if rules is None or language.code == "en" or not language.read:
            return found
        return merge_findings(found, rules.findings(approach, language.code, self.context))

    def assess(self, approach: Approach, meaning: MeaningWhen = "always") -> Assessment:
        """One approach's verdict; the meaning layer reads it unless the fast path called it high (`meaning`)."""
        return self.assess_with_trail(approach, meaning)[0]

    def assess_with_trail(self, approach: Approach, meaning: MeaningWhen = "always") -> tuple[Assessment, ScoreTrail]:
        found, language = self._findings_read(approach)
        if self._reads_meaning(found, meaning, language):
            found = found + _new_meaning(found, self._meaning([approach])[0])
        score, band, weighted, advice, trail = self.scorer.score(found, _wording(language))
        return _assessment(approach, language, score, band, weighted, advice), trail

    def _reads_meaning(self, found: list[Finding], when: MeaningWhen, language: Language) -> bool:
        """Whether the cascade's second stage reads this approach, given the fast path's findings."""
        if when == "never" or self.context.meaning is None:
            return False
        score, band, _, _ = self.scorer.score_only(found, _wording(language))
        return _unsure(score, band, when)

    def _meaning(self, approaches: list[Approach]) -> list[list[Finding]]:
        reader = self.context.meaning
        assert reader is not None
        return reader.findings(approaches)

    def assess_many(
        self, approaches: Iterable[Approach], batch: int = 256, meaning: MeaningWhen = "unsure"
    ) -> Iterator[Assessment]:
        """Assess lazily in batches, each detector over the whole batch in turn.

        Same results as `assess` one by one, except that the meaning layer reads only the approaches the fast path
        was unsure of (`meaning`, see MEANING_UNSURE_FLOOR); running one detector across many messages keeps its
        patterns and tables hot in the CPU cache, which is markedly faster in bulk. Memory is bounded by the
        batch size.
        """
        for assessment, _ in self._batches(approaches, batch, trail=False, meaning=meaning):
            yield assessment

    def assess_many_with_trail(
        self, approaches: Iterable[Approach], batch: int = 256, meaning: MeaningWhen = "unsure"
    ) -> Iterator[tuple[Assessment, ScoreTrail]]:
        """`assess_many` with each score's trail, for a caller that shows how it was computed (`--explain`)."""
        for assessment, trail in self._batches(approaches, batch, trail=True, meaning=meaning):
            assert trail is not None
            yield assessment, trail

    def _batches(
        self, approaches: Iterable[Approach], batch: int, *, trail: bool, meaning: MeaningWhen = "unsure"
    ) -> Iterator[tuple[Assessment, ScoreTrail | None]]:
        detectors = self.registry.for_target("approach")
        it = iter(approaches)
        while True:
            with gc_paused():  # reading the batch too: its records are as short-lived and acyclic
                chunk = list(islice(it, batch))
                done = self._assess_batch(chunk, detectors, trail, meaning) if chunk else []
            if not chunk:
                return
            yield from done

    def _assess_batch(
        self,
        chunk: list[Approach],
        detectors: Sequence[Detector],
        trail: bool = False,
        meaning: MeaningWhen = "unsure",
    ) -> list[tuple[Assessment, ScoreTrail | None]]:
        """One batch, detector by detector (see `assess_many`)."""
        out: list[tuple[Assessment, ScoreTrail | None]] = []
        found: list[list[Finding]] = [[] for _ in chunk]
        index = self.context.phrases
        # The shared pre-filter names, per approach, the phrase rules that could fire; each such rule then
        # visits only those approaches, in order (the others' answer would be "nothing").
        fires_on: dict[str, list[int]] = {}
        if index is not None:
            for i, a in enumerate(chunk):
                for ident in index.candidates(a):
                    fires_on.setdefault(ident, []).append(i)
        everyone = range(len(chunk))
        by_sender = [d for d in detectors if d.meta.reads == "sender"]
        for d in detectors:
            if d.meta.reads != "sender":
                visit = fires_on.get(d.meta.id, ()) if index is not None and d.meta.id in index else everyone
                for i, seen in zip(visit, d.detect_many([chunk[i] for i in visit], self.context), strict=True):
                    found[i].extend(seen)
        languages = []
        for i, a in enumerate(chunk):
            language = language_of(a)
            languages.append(language)
            f = found[i] = self._in_language(a, found[i], language)
            if by_sender:
                f += self._remembered("sender", a.sender, partial(_run, by_sender, a, self.context))
            if a.recipient is not None:
                f += self._remembered("recipient", a.recipient, partial(self.recipient_exposure, a))
        # The fast path's scores decide whom the meaning layer reads; they stand for every approach it adds nothing
        # to (most of them), so each approach is scored once unless its findings grew.
        fast: list[Scored | None] = [None] * len(chunk)
        if meaning != "never" and self.context.meaning is not None:
            scored = [self.scorer.score_only(f, _wording(g)) for f, g in zip(found, languages, strict=True)]
            fast = list(scored)
            unsure = [i for i, (score, band, _, _) in enumerate(scored) if _unsure(score, band, meaning)]
            if unsure:
                for i, more in zip(unsure, self._meaning([chunk[i] for i in unsure]), strict=True):
                    added = _new_meaning(found[i], more)
                    if added:
                        found[i] += added
                        fast[i] = None
        for a, language, f, known in zip(chunk, languages, found, fast, strict=True):
            steps: ScoreTrail | None = None
            if trail:
                score, band, weighted, advice, steps = self.scorer.score(f, _wording(language))
            else:
                score, band, weighted, advice = (
                    known if known is not None else self.scorer.score_only(f, _wording(language))
                )
            out.append((_assessment(a, language, score, band, weighted, advice), steps))
        return out

    def _remembered(self, role: str, person: PersonProfile | None, work: Callable[[], list[Finding]]) -> list[Finding]:
        """What `work` finds about one person, remembered across batches: one persona writes to many staff,
        and the same staff receive many approaches. Only detectors that read that person alone (declared
        `reads: sender`, or the recipient's exposure) are remembered; the memory is bounded."""
        key = (role, hash(person))
        hit = self._memo.get(key)
        if hit is None or (hit[0] is not person and hit[0] != person):
            if len(self._memo) >= MEMO_PEOPLE:
                self._memo.clear()
            hit = self._memo[key] = (person, work())
        return hit[1]

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


def _wording(language: Language) -> bool:
    """Whether the wording model (English n-grams) could read the message: the scorer weighs the lure rules of
    a message in another language at least at their priors (scoring/model.py)."""
    return language.code == "en"


def _assessment(
    approach: Approach, language: Language, score: float, band: Band, weighted: Sequence[Finding], advice: str | None
) -> Assessment:
    """The verdict, saying which language was read when it was not English, and first in the advice when it was
    one no phrase rule reads."""
    if language.code == "en":
        return Assessment(id=approach.id, score=score, band=band, findings=tuple(weighted), advice=advice)
    notice = unread_notice(language)
    if notice is not None:
        advice = f"{notice} {advice}" if advice else notice
    return Assessment(
        id=approach.id, score=score, band=band, findings=tuple(weighted), advice=advice, language=language
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch runs.

    A batch allocates many short-lived, acyclic records (the approaches read in, findings, evidence); the
    collector would walk every live object again and again for nothing, which cost 8-15% of bulk throughput
    (and reading the batch's records inside the pause another 9%, bench/screening_ab.py). Reference counting
    still frees them at once; the collector runs as usual between batches (never while the caller holds the
    generator: it is back on before each assessment is handed out), and is left as it was found.
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
        experience=person.experience or (),
        skills=person.skills or (),
        connections=person.connections,
    )


def _meaning_reader(registry: Registry) -> MeaningReader | None:
    """The meaning layer, its findings carrying the guidance, ATT&CK ids and sources of each family's rule."""
    from counterpitch.semantic.embedding import Embedder, available
    from counterpitch.semantic.meaning import Lure, load_default_meaning_model

    if not available():
        return None
    model = load_default_meaning_model()
    rules = {d.meta.id: d for d in registry}
    lures = {
        fam: Lure(rule.meta.guidance, rule.meta.attack, rule.meta.sources, _ruled_out(rule))
        for fam in model.families
        if (rule := rules.get(f"lure.{fam}")) is not None
    }
    return MeaningReader(model, Embedder(), lures)


#: What `Scorer.score_only` returns: score, band, the weighted findings, the advice.
Scored = tuple[float, Band, list[Finding], str]


def _unsure(score: float, band: Band, when: MeaningWhen) -> bool:
    """Whether the cascade's second stage reads an approach the fast path scored so (`when` not "never")."""
    return band != "high" and (when == "always" or score >= MEANING_UNSURE_FLOOR)


def _ruled_out(rule: Detector) -> Callable[[Approach], bool] | None:
    """The phrase rule's message-wide veto, lent to its family's meaning finding (see semantic/meaning.Lure)."""
    return rule.in_setting if isinstance(rule, PhraseDetector) and rule.none_in_message else None


def _new_meaning(found: Sequence[Finding], read: list[Finding]) -> list[Finding]:
    """The meaning layer's findings for families no rule of the fast path found already: a rule's finding says
    more (its own words, its severity), and the same sign must not count twice."""
    if not read:
        return read
    seen = {f.detector for f in found}
    return [f for f in read if "lure." + f.detector.removeprefix("meaning.") not in seen]


def _run(detectors: Iterable[Detector], subject: Approach | Profile, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for d in detectors:
        out.extend(d.detect(subject, ctx))
    return out
