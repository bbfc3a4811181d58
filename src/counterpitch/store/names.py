"""User names: one account however a name is typed, and no new name that looks like another (decision 0047).

A name is kept as typed after NFKC (so full-width `ａｄａｍ` is `adam`). Its key, what sign-in looks it up by and
what the database keeps unique, is that case-folded: `ADAM.ADMIN` is `adam.admin`. A new name is refused when it
looks like an existing one: Unicode's confusables skeleton (UTS #39: each character replaced by the prototype it
looks like, so Cyrillic `і` is Latin `i`, `0` is `O`, `1` and `I` are `l`, `m` is `rn`), taken of the name as
shown and of its key, case-folded, meets any skeleton of an existing name. The prototypes are data
(data/accounts/confusables.json, Unicode's confusables.txt, remade by scripts/build_account_lists.py).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

MAX_NAME = 120


def clean(name: str) -> str:
    """The name as kept (NFKC, trimmed); ValueError("name: ...") unless it is one short printable line."""
    kept = unicodedata.normalize("NFKC", name).strip()
    if not kept or len(kept) > MAX_NAME or not kept.isprintable():
        raise ValueError(f"name: 1 to {MAX_NAME} printable characters on one line")
    return kept


def key(name: str) -> str:
    """What sign-in looks a name up by and the database keeps unique: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def skeleton(text: str) -> str:
    """UTS #39's skeleton, case-folded: equal for two strings a reader could take for each other."""
    table = prototypes()
    mapped = "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped).casefold()


def skeletons(name: str) -> frozenset[str]:
    """The skeletons of a name as shown and as its key (`I` looks like `l`, but its key holds `i`)."""
    kept = unicodedata.normalize("NFKC", name).strip()
    return frozenset({skeleton(kept), skeleton(kept.casefold())})


def look_alike(name: str, existing: Iterable[str]) -> str | None:
    """The first existing name this one could be taken for (the same key, or a shared skeleton), else None."""
    mine, shapes = key(name), skeletons(name)
    for other in existing:
        if key(other) == mine or shapes & skeletons(other):
            return other
    return None


@cache
def prototypes() -> dict[str, str]:
    """Character -> the prototype it looks like, checked on first use: a named source and licence, and single
    characters mapped to non-empty strings."""
    path = resources.files("counterpitch") / "data" / "accounts" / "confusables.json"
    data = json.loads(path.read_text("utf-8"))
    if not data.get("source") or not data.get("licence"):
        raise ValueError("confusables.json: the map must name its source and licence")
    table = data.get("prototypes")
    if not isinstance(table, dict) or len(table) < 1000:
        raise ValueError("confusables.json: 'prototypes' must map at least 1,000 characters")
    bad = [k for k, v in table.items() if not isinstance(v, str) or len(k) != 1 or not v]
    if bad:
        raise ValueError(f"confusables.json: {bad[0]!r} must be one character mapped to its prototype")
    return dict(table)
