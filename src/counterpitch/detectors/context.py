"""What detectors may consult besides their subject: loaded, validated, read-only reference data.

The context is built once per run (by `engine`) and shared by every detector; nothing in it changes during
analysis, so detectors stay pure and a context can be pickled to Dask workers.

The phrase rules it carries are detectors, and detectors take a context: so the context names them by what it
asks of them (`SharedPhrases`, `OtherLanguages`, `ReadsMeaning`, met by detectors.phrases.PhraseIndex,
detectors.languages.LanguageRules and semantic.meaning.MeaningReader), and this module stays below every detector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from counterpitch.detectors.spelling import Speller
    from counterpitch.model import Approach, Finding
    from counterpitch.semantic.textmodel import TextModel
    from counterpitch.watchlist import Watchlist


class SharedPhrases(Protocol):
    """All phrase rules of one language in one pre-filter (detectors.phrases.PhraseIndex)."""

    @property
    def speller(self) -> Speller:
        """How the rules read misspelt key words: the pre-filter sees the text the rules match."""
        ...

    def __contains__(self, ident: object) -> bool: ...

    def candidates(self, approach: Approach) -> frozenset[str]:
        """The ids of the rules that could fire on `approach` (the others cannot)."""
        ...

    def every_group_occurs(self, ident: str, text: str, told: bool = False) -> bool: ...


class OtherLanguages(Protocol):
    """The phrase rules in other languages (detectors.languages.LanguageRules)."""

    def findings(self, approach: Approach, code: str, ctx: Context) -> list[Finding]: ...


class ReadsMeaning(Protocol):
    """The meaning layer (semantic.meaning.MeaningReader): findings per approach, many approaches at once."""

    def findings(self, approaches: Sequence[Approach]) -> list[list[Finding]]: ...


@dataclass(frozen=True)
class Context:
    watchlist: Watchlist | None = None
    #: Sensitive project or programme names supplied by the user (one per line in a terms file).
    sensitive_terms: tuple[str, ...] = ()
    #: The trained wording model (semantic.wording); None switches that layer off.
    text_model: TextModel | None = None
    #: All phrase rules in one pre-filter (built by the engine); detectors fall back to their own without it.
    phrases: SharedPhrases | None = None
    #: The phrase rules in other languages (data/languages/), run by the engine on messages written in one.
    languages: OtherLanguages | None = None
    #: The meaning layer, the cascade's second stage run by the engine; None switches it off.
    meaning: ReadsMeaning | None = None
    #: Free-form settings a detector may read (documented by the detector that reads them).
    options: dict[str, object] = field(default_factory=dict)
