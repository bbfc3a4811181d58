"""What both sharing formats name the same way: TLP 2.0 levels, ATT&CK technique names, deterministic ids.

Ids are UUIDv5 in one fixed namespace over a normalised key (a campaign link key such as
'url:linkedin.com/in/jane-doe-42', a persona's identity, an ATT&CK id), so two organisations that export the same
persona or indicator write the same STIX id and MISP uuid, and a receiver can tell it is one thing seen twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

#: The namespace of every id Counterpitch shares. Fixed forever: changing it would make every id new.
NAMESPACE = uuid.UUID("6f1c2a7e-3b9d-5c4e-8a21-0d5b7e9f4c13")


def det_uuid(*parts: str) -> str:
    """A UUIDv5 over the parts joined by '|': the same parts give the same id in every organisation."""
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


@dataclass(frozen=True)
class Tlp:
    """One TLP 2.0 level: the official STIX marking-definition id (OASIS/FIRST) and the MISP taxonomy tag."""

    level: str
    stix_id: str

    @property
    def label(self) -> str:
        return f"TLP:{self.level.upper()}"

    @property
    def misp_tag(self) -> str:
        return f"tlp:{self.level}"


#: https://github.com/oasis-open/cti-stix-common-objects (extension-definition--60a3c5c5-...): TLP 2.0.
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED = "2022-10-01T00:00:00.000Z"
TLPS: dict[str, Tlp] = {
    t.level: t
    for t in (
        Tlp("clear", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"),
        Tlp("green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"),
        Tlp("amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"),
        Tlp("amber+strict", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"),
        Tlp("red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"),
    )
}
#: TLP 1.0 markings as stix2 ships them (TLP_WHITE ...), read on import only.
TLP1_IDS = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "clear",
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "green",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "amber",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "red",
}
TLP_BY_ID = {t.stix_id: t.level for t in TLPS.values()} | TLP1_IDS
DEFAULT_TLP = "amber"


def tlp(level: str) -> Tlp:
    """The TLP 2.0 level named (clear, green, amber, amber+strict, red; 'white' is TLP 1.0's clear)."""
    key = level.strip().lower().removeprefix("tlp:").replace("white", "clear")
    if key not in TLPS:
        raise ValueError(f"--tlp: {level!r} is not one of {', '.join(TLPS)}")
    return TLPS[key]


@cache
def attack_names() -> dict[str, str]:
    """ATT&CK id -> 'Technique: Sub-technique' (data/share/attack.yaml)."""
    doc = yaml.safe_load((resources.files("counterpitch") / "data" / "share" / "attack.yaml").read_text("utf-8"))
    return {str(k): str(v) for k, v in doc["techniques"].items()}


def attack_name(technique: str) -> str:
    return attack_names().get(technique, technique)


def attack_url(technique: str) -> str:
    return "https://attack.mitre.org/techniques/" + technique.replace(".", "/") + "/"


def misp_galaxy_tag(technique: str) -> str | None:
    """The MISP mitre-attack-pattern galaxy tag ('Social Media Accounts - T1585.001'), for known techniques."""
    name = attack_names().get(technique)
    if name is None:
        return None
    short = name.rpartition(": ")[2]
    return f'misp-galaxy:mitre-attack-pattern="{short} - {technique}"'
