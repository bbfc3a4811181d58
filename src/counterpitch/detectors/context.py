"""What detectors may consult besides their subject: loaded, validated, read-only reference data.

The context is built once per run (by `engine`) and shared by every detector; nothing in it changes during
analysis, so detectors stay pure and a context can be pickled to Dask workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counterpitch.detectors.languages import LanguageRules
    from counterpitch.detectors.phrases import PhraseIndex
    from counterpitch.semantic.meaning import MeaningReader
    from counterpitch.semantic.textmodel import TextModel
    from counterpitch.watchlist import Watchlist


@dataclass(frozen=True)
class Context:
    watchlist: Watchlist | None = None
    #: Sensitive project or programme names supplied by the user (one per line in a terms file).
    sensitive_terms: tuple[str, ...] = ()
    #: The trained wording model (semantic.wording); None switches that layer off.
    text_model: TextModel | None = None
    #: All phrase rules in one pre-filter (built by the engine); detectors fall back to their own without it.
    phrases: PhraseIndex | None = None
    #: The phrase rules in other languages (data/languages/), run by the engine on messages written in one.
    languages: LanguageRules | None = None
    #: The meaning layer (semantic/meaning.py), the cascade's second stage run by the engine; None switches it off.
    meaning: MeaningReader | None = None
    #: Free-form settings a detector may read (documented by the detector that reads them).
    options: dict[str, object] = field(default_factory=dict)
