"""Which language the sender wrote in, so that the phrase rules of that language read the message too.

The rules are written per language (data/languages/<code>.yaml); the verdict must say which language was read,
and say so plainly when it is one no rule reads, rather than give a quiet "low" (docs/decisions/0041).

Plain English is settled without the identifier, by the English function words it holds (and the other
languages' it does not): bulk screening is mostly English and must not pay for the other languages. Anything
else goes to py3langid (langid.py's model, shipped in its wheel), imported and loaded only then, so that
`counterpitch check --text` on English starts as fast as before. A text too short to tell is read as English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from counterpitch.model import Approach, Language
from counterpitch.text import ACCOUNT, message_fields

__all__ = ["ENGLISH", "covered", "identify", "language_of", "sender_text", "unread_notice"]

#: Characters the plain-English test reads: English names three of its function words long before (about 4 us).
_PLAIN_ENGLISH_READS = 300
#: A-Z to a-z, other ASCII but a-z to a space, bytes of other characters (UTF-8, >= 0x80) kept.
_LOWER_LETTERS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or c >= 128 else 32 for c in range(256))


class _English(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str = Field(min_length=1)
    least: int = Field(ge=1)
    words: list[str] = Field(min_length=1)
    others: list[str] = Field(min_length=1)


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
    #: The function words, lower-case UTF-8 (the fast path reads bytes).
    english: frozenset[bytes]
    others: frozenset[bytes]
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
    english = frozenset(w.encode() for w in spec.english.words)
    others = frozenset(w.encode() for w in spec.english.others)
    if english & others:
        raise ValueError(f"{where}: english.words and english.others share {sorted(english & others)}")
    return _Settings(spec, english, others, frozenset(codes | {"en"}))


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
    """What the sender wrote: the subject, the message and their turns of the thread (not the reporter's account,
    which the rules of other languages read as written)."""
    return "\n".join(text for name, text in message_fields(approach) if text and name != ACCOUNT)


def language_of(approach: Approach) -> Language:
    return identify(sender_text(approach))


def identify(text: str) -> Language:
    """The language of `text` among data/languages/languages.yaml's names, and whether phrase rules read it.

    English (the default) when the text is plainly English or too short to tell; a language the rules do not
    read only when the identifier is confident of it, else the likeliest language they do read. Only the first
    `longest` characters are read (and remembered: many messages share their opening)."""
    return _identify_head(text[: _settings().spec.longest])


@lru_cache(maxsize=4096)
def _identify_head(head: str) -> Language:
    s = _settings()
    spec = s.spec
    # Bytes, lower-cased with every other ASCII character a space, in one C pass.
    words = head[:_PLAIN_ENGLISH_READS].encode().translate(_LOWER_LETTERS).split()
    english = len(s.english.intersection(words))
    if english >= spec.english.least and english > 2 * len(s.others.intersection(words)):
        return ENGLISH
    if len(head) < spec.shortest:
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
