"""Every input a fuzzer ever broke a parser with, replayed: tests/fuzz/crashes/<target>-<what>.bin.

The file name's first word names the target in `tests.fuzz.targets.TARGETS`; the bytes are the minimal input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.targets import TARGETS

CRASHES = sorted((Path(__file__).parent / "crashes").glob("*.bin"))


def test_every_crash_file_names_a_target() -> None:
    assert CRASHES
    assert {p.name.split("-", 1)[0] for p in CRASHES} <= set(TARGETS)


@pytest.mark.parametrize("path", CRASHES, ids=[p.stem for p in CRASHES])
def test_when_a_fuzzer_found_input_is_replayed_then_result_or_named_error(path: Path) -> None:
    TARGETS[path.name.split("-", 1)[0]](path.read_bytes())
