"""What the extractors share."""

from __future__ import annotations

from counterpitch.devices.model import Observation


def where(obs: Observation, part: str) -> str:
    """Where a clue came from, for a reader: `assets.csv line 12, model` or `scan.xml host 3 (10.0.0.5), tcp/554`."""
    return f"{obs.source} {obs.where}, {part}"
