"""Per-site counts, the devices to remove and those to check, for the report and the table: bounded whatever the
input's size (counts by maker and basis; at most MAX_LISTED devices of each list per site, the rest counted and
left to the CSV)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from counterpitch.devices.model import Verdict

#: Devices to remove listed per site in the report; the CSV and JSON outputs have every one.
MAX_LISTED = 500
NO_SITE = "(no site)"


@dataclass
class SiteSummary:
    devices: int = 0
    covered: int = 0
    conflicts: int = 0
    review: int = 0
    makers: Counter[str] = field(default_factory=Counter)  # covered devices by maker
    bases: Counter[str] = field(default_factory=Counter)
    brands: Counter[str] = field(default_factory=Counter)  # covered devices sold under another name
    remove: list[Verdict] = field(default_factory=list)
    unlisted: int = 0
    to_check: int = 0
    check: list[Verdict] = field(default_factory=list)  # not flagged, but a listed maker is among the clues


@dataclass
class Summary:
    sites: dict[str, SiteSummary] = field(default_factory=dict)
    max_listed: int = MAX_LISTED

    def add(self, v: Verdict) -> None:
        s = self.sites.setdefault(v.site or NO_SITE, SiteSummary())
        s.devices += 1
        s.conflicts += bool(v.conflict)
        if not v.covered:
            s.review += bool(v.note)
            if v.check:
                s.to_check += 1
                if len(s.check) < self.max_listed:
                    s.check.append(v)
            return
        s.covered += 1
        s.makers[v.vendor] += 1
        for b in v.basis:
            s.bases[b] += 1
        if len(v.basis) == 2:
            s.bases["both"] += 1
        if v.brand:
            s.brands[v.brand] += 1
        if len(s.remove) < self.max_listed:
            s.remove.append(v)
        else:
            s.unlisted += 1

    @property
    def devices(self) -> int:
        return sum(s.devices for s in self.sites.values())

    @property
    def covered(self) -> int:
        return sum(s.covered for s in self.sites.values())

    def to_json(self) -> dict[str, object]:
        return {
            "devices": self.devices,
            "covered": self.covered,
            "sites": {
                name: {
                    "devices": s.devices,
                    "covered": s.covered,
                    "conflicts": s.conflicts,
                    "review": s.review,
                    "to_check": s.to_check,
                    "makers": dict(s.makers.most_common()),
                    "bases": dict(s.bases.most_common()),
                    "brands": dict(s.brands.most_common()),
                }
                for name, s in sorted(self.sites.items())
            },
        }
