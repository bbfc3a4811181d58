"""The makers' private ports (Dahua TCP 37777, UDP 37810; Hikvision SADP UDP 37020, control TCP 8000), open on a
scanned host or listed in a register's ports column. Weak alone: other software may listen there."""

from __future__ import annotations

import re
from collections.abc import Iterator

from counterpitch.devices.clues._common import where
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.tables import Tables

KIND = "port"
_PORT = re.compile(r"([0-9]{1,5})(?:\s*/\s*(tcp|udp))?", re.IGNORECASE)


def _listed(text: str) -> Iterator[tuple[str, int]]:
    for m in _PORT.finditer(text):
        number = int(m.group(1))
        yield (m.group(2) or "tcp").lower(), number


def clues(obs: Observation, t: Tables) -> Iterator[Clue]:
    opened = [(s.proto, s.port, f"{s.proto}/{s.port} open") for s in obs.services]
    opened += [(proto, port, "ports") for f, v in obs.fields if f == "ports" for proto, port in _listed(v)]
    for proto, port, part in opened:
        entry = t.port(proto, port)
        if entry is not None:
            yield Clue(KIND, f"{proto}/{port}", entry.maker, t.label(entry.maker), entry.weight, where(obs, part))
