"""presidio-analyzer set up the way a team would reach for it: one PatternRecognizer per clearance level,
generated from the same data/clearances.yaml forms counterpitch uses, so both look for the same terms.

No spaCy model is downloaded: presidio's AnalyzerEngine needs an NLP engine only for tokens (context words) and
named entities, and pattern recognizers need neither, so `BlankSpacyNlpEngine` hands it a blank spaCy `en`
pipeline (tokenizer only). Lemmas are the tokens' lower-case text, so presidio's context enhancer still sees
"cleared" or "vetted" near a match. Scores do not affect recall here: every result is kept (threshold 0).

Mapping a presidio result back to SCHEME:LEVEL: each recognizer's entity is one level as clearances.yaml lists
it; a form shared by several schemes ("Top Secret") cannot be told apart by a regex alone, so such a result
counts as found for every scheme it could mean (generous to presidio's recall; its precision is then reported
with the first scheme listed).
"""

from __future__ import annotations

import re
from typing import Any

import spacy
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine

from counterpitch.detectors.exposure.lists import _data_file, _form_regex

#: Words presidio's context enhancer looks for near a match (the strong context words of clearances.yaml).
CONTEXT = ["clearance", "cleared", "vetted", "vetting", "polygraph", "poly", "security", "holder", "active"]


class BlankSpacyNlpEngine(SpacyNlpEngine):  # type: ignore[misc]
    """A spaCy engine on `spacy.blank("en")`: a tokenizer, no statistical model, nothing to download."""

    def __init__(self) -> None:
        super().__init__(models=[{"lang_code": "en", "model_name": "blank:en"}])

    def load(self) -> None:
        self.nlp = {"en": spacy.blank("en")}

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        doc = self.nlp[language](text)
        return NlpArtifacts(
            entities=[],
            tokens=doc,
            tokens_indices=[t.idx for t in doc],
            lemmas=[t.lower_ for t in doc],
            nlp_engine=self,
            language=language,
            scores=[],
        )


def entity_of(values: tuple[str, ...]) -> str:
    return "CLEARANCE__" + "__".join(re.sub(r"\W", "_", v) for v in values)


def recognizers() -> tuple[list[PatternRecognizer], dict[str, tuple[str, ...]]]:
    """One recognizer per level of clearances.yaml, its patterns the level's forms (same regex bodies)."""
    _, doc = _data_file("clearances.yaml")
    out, values_of = [], {}
    for level in doc["levels"]:
        values = (level["value"],) if "value" in level else tuple(level["values"])
        entity = entity_of(values)
        patterns = []
        for form in level["forms"]:
            body = _form_regex(form["text"], form.get("case") == "exact").body
            patterns.append(Pattern(form["text"], rf"(?<![^\W_])(?:{body})(?![^\W_])", 0.6))
        values_of[entity] = values
        out.append(
            PatternRecognizer(
                supported_entity=entity,
                patterns=patterns,
                context=CONTEXT,
                global_regex_flags=re.DOTALL | re.MULTILINE,  # case as each form says, like counterpitch
            )
        )
    return out, values_of


def analyzer() -> tuple[AnalyzerEngine, dict[str, tuple[str, ...]]]:
    recs, values_of = recognizers()
    registry = RecognizerRegistry(recognizers=recs, supported_languages=["en"])
    engine = AnalyzerEngine(
        registry=registry, nlp_engine=BlankSpacyNlpEngine(), supported_languages=["en"], default_score_threshold=0
    )
    return engine, values_of


def found(engine: AnalyzerEngine, values_of: dict[str, tuple[str, ...]], text: str) -> set[tuple[str, ...]]:
    """The clearance levels presidio reports in `text`, each as the values it may stand for."""
    results: list[Any] = engine.analyze(text=text, language="en", entities=list(values_of))
    return {values_of[r.entity_type] for r in results}
