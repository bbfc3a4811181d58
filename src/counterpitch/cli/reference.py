"""`counterpitch detectors` and `counterpitch schema`: what the engine looks for, and the records it reads and
writes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from counterpitch.cli.common import fail, out


def detectors() -> None:
    """Print the catalogue of detectors: id, severity, ATT&CK techniques and the sources each rests on."""
    from counterpitch.detectors.registry import default_registry
    from counterpitch.render import catalogue

    catalogue(out, default_registry())


def schema(
    name: Annotated[str, typer.Argument(help="approach, assessment or profile.")],
) -> None:
    """Print the JSON Schema of an Approach, Assessment or Profile: the records the CLI reads and writes."""
    from counterpitch import schemas

    try:
        text = schemas.text(name.lower())
    except KeyError as exc:
        raise fail(str(exc.args[0])) from None
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
