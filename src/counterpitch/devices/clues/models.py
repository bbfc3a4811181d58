"""Model numbers, by each maker's grammar (data/devices/fingerprints.yaml `models`): a register's model and
description, nmap's product, version and extrainfo. A model number is the maker's own numbering, so it names
the real maker under an OEM's or a reseller's name."""

from __future__ import annotations

from collections.abc import Iterator

from counterpitch.devices.clues._common import where
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.tables import Tables

KIND = "model"
_REGISTER = ("model", "description", "title")


def clues(obs: Observation, t: Tables) -> Iterator[Clue]:
    seen: set[str] = set()
    texts = [(f, v) for f, v in obs.fields if f in _REGISTER]
    texts += [(f"{s.proto}/{s.port} product", f"{s.product} {s.version} {s.extrainfo}") for s in obs.services]
    for part, text in texts:
        for maker, number, weight in t.models.find(text):
            if number not in seen:
                seen.add(number)
                yield Clue(KIND, number, maker, t.label(maker), weight, where(obs, part))
