"""CPE names nmap gives a service or an OS guess (`cpe:/h:hikvision:ds-2cd2032-i`): the vendor part, mapped to a
maker by data/devices/makers.yaml `cpe_vendors`; other vendors are named as they are."""

from __future__ import annotations

from collections.abc import Iterator

from counterpitch.devices.clues._common import where
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.tables import Tables

KIND = "cpe"
WEIGHT = 0.8


def _vendor(cpe: str) -> str:
    parts = cpe.split(":")
    if cpe.startswith("cpe:/") and len(parts) > 2:
        return parts[2]
    if cpe.startswith("cpe:2.3:") and len(parts) > 3:
        return parts[3]
    return ""


def clues(obs: Observation, t: Tables) -> Iterator[Clue]:
    found = [(f"{s.proto}/{s.port} service cpe", c) for s in obs.services for c in s.cpes]
    found += [(part, c) for c, part in obs.os if c.startswith("cpe:")]
    seen: set[str] = set()
    for part, cpe in found:
        vendor = _vendor(cpe)
        if not vendor or vendor in seen:
            continue
        seen.add(vendor)
        entity = t.cpe_vendor(vendor)
        if entity is not None:
            yield Clue(KIND, cpe[:120], entity, t.label(entity), WEIGHT, where(obs, part))
