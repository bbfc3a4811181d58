"""SNMP private enterprise numbers (1.3.6.1.4.1.N...): a sysObjectID names its maker's subtree. From a register's
snmp_oid column and any scan script output that prints OIDs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from counterpitch.devices.clues._common import where
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.tables import Tables

KIND = "snmp"
_ENTERPRISE = re.compile(r"(?<![\d.])\.?1\.3\.6\.1\.4\.1\.([0-9]{1,10})(?![0-9])")


def clues(obs: Observation, t: Tables) -> Iterator[Clue]:
    texts = [("snmp_oid", v) for f, v in obs.fields if f == "snmp_oid"]
    texts += [(f"{s.proto}/{s.port} {sid}", out) for s in obs.services for sid, out in s.scripts]
    seen: set[int] = set()
    for part, text in texts:
        for m in _ENTERPRISE.finditer(text):
            number = int(m.group(1))
            entry = t.snmp.get(number)
            if entry is not None and number not in seen:
                seen.add(number)
                yield Clue(
                    KIND, m.group(0).lstrip("."), entry.maker, t.label(entry.maker), entry.weight, where(obs, part)
                )
