"""Names: what a register's manufacturer and brand columns say (the name on the box: a claim, which an OEM
rebrand or a careless entry makes wrong), makers named in its description, and makers named in what a scanned
device says of itself (nmap's product strings, OS guesses).

A manufacturer the tables do not know is kept as it is written, so that a register saying "Acme" about a device
whose MAC is Hikvision's shows as a conflict. Words that name no maker ("generic", "unknown", "n/a") say nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from counterpitch.devices.clues._common import where
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.tables import Tables, normalise

KIND = "name"
#: What the register's manufacturer or brand column is worth alone: often right, sometimes the installer's or
#: an OEM's name, sometimes a guess.
CLAIM = 0.7
#: A maker named in a description ("Hikvision 4MP dome").
DESCRIBED = 0.5
#: A maker named by nmap's product match or OS guess (built on what the device answered).
SCANNED = 0.75
_NOTHING = frozenset({"", "generic", "unknown", "n a", "na", "none", "other", "tbc", "tbd", "various", "misc", "oem"})


def clues(obs: Observation, t: Tables) -> Iterator[Clue]:
    for f, v in obs.fields:
        if f in ("manufacturer", "brand"):
            if normalise(v) in _NOTHING:
                continue
            entity = t.name(v) or t.unknown(v)
            yield Clue(KIND, v[:80], entity, t.label(entity), CLAIM, where(obs, f), claim=True)
        elif f == "description":
            for entity, name in dict(t.names_in(v)).items():
                yield Clue(KIND, name, entity, t.label(entity), DESCRIBED, where(obs, f), claim=True)
    seen: set[str] = set()
    scanned = [(f"{s.proto}/{s.port} product", s.product) for s in obs.services if s.product]
    scanned += [(part, vendor) for vendor, part in obs.os if not vendor.startswith("cpe:")]
    for part, text in scanned:
        for entity, _name in t.names_in(text):
            if entity not in seen:
                seen.add(entity)
                yield Clue("scan_name", text[:80], entity, t.label(entity), SCANNED, where(obs, part))
