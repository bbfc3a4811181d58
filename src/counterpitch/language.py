"""Which language the sender wrote in, so that the phrase rules of that language read the message too.

The rules are written per language (data/languages/<code>.yaml); the verdict must say which language was read,
and say so plainly when it is one no rule reads, rather than give a quiet "low" (docs/decisions/0041).

Plain English is settled without the identifier, by the share of English function words: bulk screening is
mostly English and must not pay for the other languages. Anything else goes to py3langid (langid.py's model,
shipped in its wheel), imported and loaded only then, so that `counterpitch check --text` on English starts as
fast as before. A text too short to tell is read as English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from counterpitch.model import Approach, Language

__all__ = ["ENGLISH", "covered", "identify", "language_of", "sender_text", "unread_notice"]

_WORD = re.compile(r"[a-z]+")
_LETTER = re.compile(r"[^\W\d_]")


class _English(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str = Field(min_length=1)
    share: float = Field(gt=0, lt=1)
    words: list[str] = Field(min_length=1)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(ge=1, le=1)
    shortest: int = Field(ge=1)
    confident: float = Field(gt=0, le=1)
    longest: int = Field(ge=100)
    names: dict[str, str] = Field(min_length=1)
    english: _English
    unread: str = Field(min_length=1)


@dataclass(frozen=True)
class _Settings:
    spec: _Spec
    english: frozenset[str]
    #: The languages some phrase rules read: English and one file per language in data/languages/.
    covered: frozenset[str]


@lru_cache(maxsize=1)
def _settings() -> _Settings:
    folder = resources.files("counterpitch") / "data" / "languages"
    where = "counterpitch/data/languages/languages.yaml"
    try:
        spec = _Spec.model_validate(yaml.safe_load((folder / "languages.yaml").read_text("utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"{where}: {exc}") from exc
    codes = {e.name.removesuffix(".yaml") for e in folder.iterdir() if e.name.endswith(".yaml")} - {"languages"}
    missing = sorted(c for c in codes | {"en"} if c not in spec.names)
    if missing:
        raise ValueError(f"{where}: names lacks the covered language(s) {', '.join(missing)}")
    return _Settings(spec, frozenset(spec.english.words), frozenset(codes | {"en"}))


def covered() -> frozenset[str]:
    """Codes of the languages the phrase rules read."""
    return _settings().covered


def unread_notice(language: Language) -> str | None:
    """What the advice says first about a language no phrase rule reads (None for one they read)."""
    return None if language.read else " ".join(_settings().spec.unread.format(name=language.name).split())


def _named(code: str, read: bool) -> Language:
    return Language(code=code, name=_settings().spec.names.get(code, code), read=read)


ENGLISH = Language(code="en", name="English", read=True)


def sender_text(approach: Approach) -> str:
    """What the sender wrote: the subject, the message and their turns of the thread."""
    parts = [approach.subject or "", approach.text]
    parts += [t.text for t in approach.thread if t.from_ == "sender"]
    return "\n".join(p for p in parts if p)


def language_of(approach: Approach) -> Language:
    return identify(sender_text(approach))


@lru_cache(maxsize=4096)
def identify(text: str) -> Language:
    """The language of `text` among data/languages/languages.yaml's names, and whether phrase rules read it.

    English (the default) when the text is plainly English or too short to tell; a language the rules do not
    read only when the identifier is confident of it, else the likeliest language they do read."""
    s = _settings()
    spec = s.spec
    head = text[: spec.longest]
    words = _WORD.findall(head.lower())
    if words and sum(w in s.english for w in words) >= spec.english.share * len(words):
        return ENGLISH
    if len(_LETTER.findall(head)) < spec.shortest:
        return ENGLISH
    ranked: list[tuple[str, Any]] = _identifier().rank(head)
    code, probability = ranked[0]
    if code in s.covered:
        return _named(code, True)
    if float(probability) >= spec.confident:
        return _named(code, False)
    return _named(next((c for c, _ in ranked if c in s.covered), "en"), True)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model, restricted to the languages named in the data file (loaded on first use: 0.1 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    ident.set_languages(sorted(_settings().spec.names))
    return ident
