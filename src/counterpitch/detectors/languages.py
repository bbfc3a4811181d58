"""The phrase rules in other languages: the same detectors, read in the sender's language too.

Each file data/languages/<code>.yaml (but languages.yaml, the identifier's settings) holds, in that language, the
`match` of some English phrase rules, under the same ids (lure.paid_reports, ...), and the negation and warning
cues (`assertion`, the lists of data/assertion.yaml) that read their matches. A rule in French is the English
rule's meta (title, severity, explanation, guidance, sources) with French patterns: scoring, decisive rules and
advice treat its finding exactly as the English one, and one finding is made of both when both fire.

A language's rules are compiled when a message in that language first comes (their pre-filter and speller cost a
few tenths of a second), so English screening pays nothing for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from importlib import resources
from typing import Any

import yaml

from counterpitch.detectors.assertion import assertion_for
from counterpitch.detectors.context import Context
from counterpitch.detectors.phrases import PhraseDetector, PhraseIndex, match_args
from counterpitch.language import covered
from counterpitch.model import Approach, Evidence, Finding

__all__ = ["LanguageRules", "merge_findings"]

#: RE2's `\b` is an ASCII word boundary: next to an accented letter it never holds ("\bétranger" matches no
#: "à l'étranger"). A file that writes one is refused on load rather than silently never firing.
_DEAD_BOUNDARY = re.compile(r"\\b(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\\b")
#: Evidence quotes kept per merged finding, as a phrase rule keeps.
_MOST_EVIDENCE = 5


class LanguageRules:
    """Every language's phrase rules, each language compiled on first use; picklable as the English rules."""

    def __init__(self, english: Iterable[PhraseDetector]) -> None:
        self._english = {d.meta.id: d for d in english}
        folder = resources.files("counterpitch") / "data" / "languages"
        self._files = {code: folder / f"{code}.yaml" for code in covered() - {"en"}}
        self._loaded: dict[str, tuple[tuple[PhraseDetector, ...], PhraseIndex]] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (tuple(self._english.values()),))

    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self._files))

    def rules(self, code: str) -> tuple[tuple[PhraseDetector, ...], PhraseIndex] | None:
        """The rules of one language and their shared pre-filter, or None when no file reads it."""
        if code not in self._files:
            return None
        found = self._loaded.get(code)
        if found is None:
            where = f"counterpitch/data/languages/{code}.yaml"
            detectors = tuple(load(self._files[code].read_text("utf-8"), where, code, self._english))
            found = self._loaded[code] = (detectors, PhraseIndex(detectors))
        return found

    def findings(self, approach: Approach, code: str, ctx: Context) -> list[Finding]:
        """What the rules of language `code` find in the approach (none when no file reads it)."""
        loaded = self.rules(code)
        if loaded is None:
            return []
        detectors, index = loaded
        own = replace(ctx, phrases=index)
        candidates = index.candidates(approach)
        return [f for d in detectors if d.meta.id in candidates for f in d.detect(approach, own)]


def load(text: str, where: str, code: str, english: Mapping[str, PhraseDetector]) -> list[PhraseDetector]:
    """The rules of one language file, each under the meta of the English rule of the same id."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("language") != code or not isinstance(doc.get("rules"), list):
        raise ValueError(f"{where}: expected a mapping with 'language: {code}' and a 'rules' list")
    assertion_for(code)  # its cues first: a broken list is named once, not under every rule
    out = []
    for spec in doc["rules"]:
        ident = spec.get("id") if isinstance(spec, dict) else None
        base = english.get(str(ident))
        if base is None:
            raise ValueError(f"{where}: rule {ident!r} is not an English phrase rule's id")
        if not str(spec.get("source", "")).strip():
            raise ValueError(f"{where}: rule {ident}: needs a source")
        try:
            args = match_args(spec["match"], str(ident))
            for p in [p for g in args["all_of"] for p in g] + list(args["none_of"]):
                if _DEAD_BOUNDARY.search(p):
                    raise ValueError(f"{ident}: \\b next to a non-ASCII letter never matches in RE2: {p[:60]!r}")
            out.append(PhraseDetector(meta=base.meta, scope=base.scope, language=code, **args))
        except KeyError as exc:
            raise ValueError(f"{where}: rule {ident}: missing field {exc.args[0]!r}") from exc
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{where}: {exc}") from exc
    return out


def merge_findings(found: list[Finding], more: Iterable[Finding]) -> list[Finding]:
    """`found` with `more` folded in: a detector that fired in both languages makes one finding, with the
    evidence of both (first `found`'s) and the firmer strength, as one rule firing on more sentences would."""
    out = list(found)
    at = {f.detector: i for i, f in enumerate(out)}
    for f in more:
        i = at.get(f.detector)
        if i is None:
            at[f.detector] = len(out)
            out.append(f)
            continue
        old = out[i]
        seen = {(e.field, e.start, e.end) for e in old.evidence}
        extra: list[Evidence] = [e for e in f.evidence if (e.field, e.start, e.end) not in seen]
        evidence = (old.evidence + tuple(extra))[:_MOST_EVIDENCE]
        out[i] = old.model_copy(update={"evidence": evidence, "strength": max(old.strength, f.strength)})
    return out
