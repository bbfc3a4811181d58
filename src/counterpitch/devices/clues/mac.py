"""The MAC's registry block: who the IEEE assigned it to (oui.py), re-resolved whatever the scanner said.

A locally administered or group address gives no clue, nor does the all-zero placeholder. The scanner's own
vendor field is kept as evidence with no weight, so a reader sees when it disagreed."""

from __future__ import annotations

from collections.abc import Iterator

from counterpitch.devices.clues._common import where
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.oui import group_address, locally_administered, parse_mac
from counterpitch.devices.tables import Tables

KIND = "oui"
#: A registry block is strong evidence: a device's burnt-in address is its maker's (or its maker's supplier's).
WEIGHT = 0.9


def clues(obs: Observation, t: Tables) -> Iterator[Clue]:
    if not obs.mac:
        return
    value = parse_mac(obs.mac)
    if value == 0 or locally_administered(value) or group_address(value):
        return  # 00:00:00:00:00:00 is a register's placeholder, not Xerox's
    found = t.registry.lookup(value)
    if found is not None:
        entity = t.organisation(found.organisation)
        yield Clue(
            KIND,
            found.block,
            entity,
            t.label(entity) if not entity.startswith("org:") else found.organisation,
            WEIGHT,
            where(obs, f"mac ({t.registry.name})"),
        )
    if obs.scanner_vendor:
        yield Clue(
            "scanner_vendor",
            obs.scanner_vendor,
            "org:" + obs.scanner_vendor,
            obs.scanner_vendor,
            0.0,
            where(obs, "nmap's MAC vendor (not trusted: re-resolved above)"),
        )
