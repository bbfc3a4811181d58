"""The JSON Schemas of the records the CLI and the service read and write: Approach, Assessment and Profile.

They ship inside the package (data/schemas/) so that a clone, an installed wheel and a user's own tooling can
validate against the same contract without the shared folder the project was started from; a test keeps them
equal to `../shared/schemas` where that folder is present. `counterpitch schema NAME` prints one.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

NAMES = ("approach", "assessment", "profile")


def text(name: str) -> str:
    """The schema `name` (one of NAMES) as shipped, byte for byte."""
    if name not in NAMES:
        raise KeyError(f"no schema named {name!r}: choose one of {', '.join(NAMES)}")
    return (resources.files("counterpitch") / "data" / "schemas" / f"{name}.schema.json").read_text("utf-8")


def load(name: str) -> dict[str, Any]:
    """The schema `name` parsed."""
    schema: dict[str, Any] = json.loads(text(name))
    return schema
