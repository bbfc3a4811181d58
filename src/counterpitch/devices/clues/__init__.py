"""Clue extractors: one small pure function per kind of clue, from an Observation to the Clues it gives.

Each module declares `KIND` (the stable name evidence carries) and `clues(obs, tables)`. They are listed in
EXTRACTORS in the order evidence is shown; a new kind is a new module added here, and a test checks each has a
truth table (tests/devices/test_clues.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType

from counterpitch.devices.clues import banners, cpe, favicon, mac, models, names, ports, snmp
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.tables import Tables

Extractor = Callable[[Observation, Tables], Iterator[Clue]]
MODULES: tuple[ModuleType, ...] = (mac, models, banners, snmp, favicon, cpe, ports, names)
EXTRACTORS: tuple[Extractor, ...] = tuple(m.clues for m in MODULES)


def all_clues(obs: Observation, tables: Tables) -> Iterator[Clue]:
    for extract in EXTRACTORS:
        yield from extract(obs, tables)
