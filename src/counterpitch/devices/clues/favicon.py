"""Favicon hashes (mmh3 of the base64 of the icon, as Shodan computes them), from a register's favicon column."""

from __future__ import annotations

from collections.abc import Iterator

from counterpitch.devices.clues._common import where
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.tables import Tables

KIND = "favicon"


def clues(obs: Observation, t: Tables) -> Iterator[Clue]:
    for f, v in obs.fields:
        if f != "favicon":
            continue
        try:
            entry = t.favicons.get(int(v.strip()))
        except ValueError:
            continue
        if entry is not None:
            yield Clue(KIND, v.strip(), entry.maker, t.label(entry.maker), entry.weight, where(obs, f))
