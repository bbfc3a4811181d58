"""What a job title says about rank and reporting lines (data/titles.yaml), for the mosaic.

Only what the words state: "Deputy to the Chief Engineer" reports to whoever holds "Chief Engineer"; "Head of
Sonar Systems" leads "Sonar Systems". The graph marks the lines it infers from these (audit/graph.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

_MAX_PHRASE = 60


@dataclass(frozen=True)
class _Rules:
    leader: tuple[re.Pattern[str], ...]
    deputy: tuple[re.Pattern[str], ...]
    reporting: tuple[re.Pattern[str], ...]
    team: tuple[re.Pattern[str], ...]
    boss_stop: re.Pattern[str]
    needs: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    where = "counterpitch/data/titles.yaml"
    doc = yaml.safe_load((resources.files("counterpitch") / "data" / "titles.yaml").read_text("utf-8"))
    try:

        def compile_all(key: str, flags: int = re.IGNORECASE) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(str(p), flags) for p in doc[key])

        return _Rules(
            leader=compile_all("leader"),
            deputy=compile_all("deputy"),
            reporting=compile_all("reporting"),
            team=compile_all("team", 0),
            boss_stop=re.compile(str(doc["boss_stop"]), re.IGNORECASE),
            needs={str(g): tuple(str(w).lower() for w in ws) for g, ws in doc["needs"].items()},
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ValueError(f"{where}: malformed: {exc!r}") from exc


def norm(phrase: str) -> str:
    """A post or team as compared: lower case, single spaces, no leading "the", no trailing punctuation."""
    words = " ".join(phrase.casefold().split()).strip(" .,:;-")
    return words.removeprefix("the ").strip()


def _tidy(phrase: str) -> str:
    return " ".join(phrase.split()).strip(" .,:;-")[:_MAX_PHRASE]


@dataclass(frozen=True)
class Rank:
    #: "leader", "deputy" or "member"
    rank: str
    #: The unit led (leaders) or named (anyone), as written; "" when the title names none.
    team: str = ""
    #: The post this person reports to, as written ("Chief Engineer", "Head of Sonar Systems"); "" if none.
    boss: str = ""


def read_title(title: str, *texts: str) -> Rank:
    """Rank, team and stated superior from a title and the free text around it (description, about)."""
    rules = _rules()
    title = _tidy(title)
    all_texts = (title, *texts)
    lows = [t.lower() for t in all_texts]

    def may(group: str, low: str) -> bool:
        return any(w in low for w in rules.needs[group])

    if may("deputy", lows[0]):
        for rx in rules.deputy:
            if m := rx.match(title):
                return Rank("deputy", _team(all_texts, lows), _tidy(rules.boss_stop.sub("", m.group("boss"))))
    boss = ""
    for text, low in zip(all_texts, lows, strict=True):
        if boss or not may("reporting", low):
            continue
        for rx in rules.reporting:
            if m := rx.search(text):
                boss = _tidy(rules.boss_stop.sub("", m.group("boss")))
                break
    if may("leader", lows[0]):
        for rx in rules.leader:
            if m := rx.match(title):
                return Rank("leader", _tidy(m.groupdict().get("team") or ""), boss)
    return Rank("member", _team(all_texts, lows), boss)


def _team(texts: tuple[str, ...], lows: list[str]) -> str:
    needs = _rules().needs["team"]
    for text, low in zip(texts, lows, strict=True):
        if any(w in low for w in needs):
            for rx in _rules().team:
                if m := rx.search(text):
                    return _tidy(m.group("team"))
    return ""


def holds_post(title: str, post: str) -> bool:
    """Whether a title is the post named ("the Chief Engineer" is held by "Chief Engineer")."""
    return bool(post) and norm(title) == norm(post)


def in_team(title: str, team: str) -> bool:
    """Whether a member's title names the team a leader leads ("Sonar Systems Engineer", "Head of Sonar
    Systems"). Teams of fewer than four letters are too generic to match on."""
    t = norm(team)
    return len(t) >= 4 and re.search(rf"(?<!\w){re.escape(t)}(?!\w)", norm(title)) is not None
