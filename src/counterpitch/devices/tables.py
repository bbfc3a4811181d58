"""The tables the clues read, loaded once and validated: makers, brands and OEMs (data/devices/makers.yaml),
fingerprints (data/devices/fingerprints.yaml) and the OUI registry (oui.py).

Everything is compared in forms computed here, once: names lower case with punctuation as spaces, patterns
compiled and joined into one expression per kind, registry organisations mapped to makers by the start of their
name. A file that does not validate stops the audit with the file and the entry named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date as Date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from counterpitch.devices.model import Basis
from counterpitch.devices.oui import OuiRegistry

Relation = Literal["sub_brand", "subsidiary", "affiliate", "oem"]
#: Relations whose devices are the parent's: flagged as the parent, the brand shown.
OWNED: frozenset[str] = frozenset({"sub_brand", "subsidiary", "affiliate"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, anything but letters and digits as one space: `Zhejiang Dahua Technology Co.,Ltd.` ->
    `zhejiang dahua technology co ltd`."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BasisEntry(_Strict):
    title: str
    source: str
    date: Date


class Entity(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    names: list[str]
    oui_orgs: list[str] = []
    cpe_vendors: list[str] = []
    source: str
    date: Date
    note: str = ""


class Maker(Entity):
    company: str = ""
    bases: list[Basis]
    review: str = ""


class Brand(Entity):
    maker: str
    relation: Relation


class MakersFile(_Strict):
    version: int
    checked: Date
    bases: dict[Basis, BasisEntry]
    makers: list[Maker]
    brands: list[Brand]


class Pattern(_Strict):
    maker: str
    pattern: str
    weight: float = Field(gt=0, le=1)
    examples: list[str] = []
    not_: list[str] = Field(default=[], alias="not")
    source: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class PortEntry(_Strict):
    maker: str
    proto: Literal["tcp", "udp"]
    port: int = Field(ge=1, le=65535)
    weight: float = Field(gt=0, le=1)
    source: str


class SnmpEntry(_Strict):
    maker: str
    enterprise: int = Field(ge=1)
    weight: float = Field(gt=0, le=1)
    source: str


class FaviconEntry(_Strict):
    maker: str
    mmh3: int
    weight: float = Field(gt=0, le=1)
    source: str


class FingerprintsFile(_Strict):
    version: int
    models: list[Pattern]
    http_server: list[Pattern]
    http_text: list[Pattern]
    rtsp: list[Pattern]
    ports: list[PortEntry]
    snmp: list[SnmpEntry]
    favicons: list[FaviconEntry]


@dataclass(frozen=True)
class Matcher:
    """Patterns of one kind joined into one expression; `find` yields (entity, matched text, weight)."""

    regex: re.Pattern[str]
    makers: tuple[tuple[str, float], ...]  # by group index

    @classmethod
    def of(cls, patterns: list[Pattern]) -> Matcher:
        joined = "|".join(f"({p.pattern})" for p in patterns)
        regex = re.compile(joined) if patterns else re.compile(r"(?!)")
        # Each pattern's own groups shift the numbering: record the index of each pattern's outer group.
        groups, index = [], 1
        for p in patterns:
            groups.append((index, p.maker, p.weight))
            index += 1 + re.compile(p.pattern).groups
        table: list[tuple[str, float]] = [("", 0.0)] * index
        for i, maker, weight in groups:
            table[i] = (maker, weight)
        return cls(regex, tuple(table))

    def find(self, text: str) -> Iterator[tuple[str, str, float]]:
        for m in self.regex.finditer(text):
            maker, weight = self.makers[m.lastindex or 0]
            if maker:
                yield maker, m.group(0), weight


class Tables:
    """Makers, brands, fingerprints and the OUI registry, with the indexes the clues use."""

    def __init__(self, makers: MakersFile, prints: FingerprintsFile, registry: OuiRegistry) -> None:
        self.bases = makers.bases
        self.checked = makers.checked
        self.makers = {m.id: m for m in makers.makers}
        self.brands = {b.id: b for b in makers.brands}
        self.registry = registry
        entities: list[Entity] = [*makers.makers, *makers.brands]
        self._names: dict[str, str] = {}
        self._orgs: list[tuple[str, str]] = []
        self._cpe: dict[str, str] = {}
        for e in entities:
            for n in (e.name, *e.names):
                self._names.setdefault(normalise(n), e.id)
            self._orgs += [(normalise(o), e.id) for o in e.oui_orgs]
            self._cpe.update({v.lower(): e.id for v in e.cpe_vendors})
        self._orgs.sort(key=lambda p: -len(p[0]))
        names = sorted(self._names, key=len, reverse=True)
        self.name_regex = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
        # Free text (a description, nmap's product) is searched only for listed makers and their brands, and
        # only for names of four letters or more unless the maker's own: "axis" is also a gimbal's, "honor" an
        # award's, "lts" and "unv" anything.
        free = [n for n in names if self._free_text(n)]
        self.free_text_regex = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in free) + r")\b")
        self.models = Matcher.of(prints.models)
        self.http_server = Matcher.of(prints.http_server)
        self.http_text = Matcher.of(prints.http_text)
        self.rtsp = Matcher.of(prints.rtsp)
        self.ports = {(p.proto, p.port): p for p in prints.ports}
        self.snmp = {s.enterprise: s for s in prints.snmp}
        self.favicons = {f.mmh3: f for f in prints.favicons}
        self._org_cache: dict[str, str] = {}
        self.fingerprints = prints

    def _free_text(self, name: str) -> bool:
        entity = self._names[name]
        maker = self.makers.get(self.parent(entity))
        if maker is None or not maker.bases:
            return False
        return len(name) >= 4 or entity in self.makers

    # --- entities -------------------------------------------------------------------------------------------
    def label(self, entity: str) -> str:
        if entity.startswith("org:"):
            return entity[4:]
        found = self.makers.get(entity) or self.brands.get(entity)
        return found.name if found else entity

    def group(self, entity: str) -> str:
        """The maker a device showing `entity` belongs to: a sub-brand's or subsidiary's parent; an OEM brand
        stays itself (its name alone proves nothing)."""
        brand = self.brands.get(entity)
        if brand is not None and brand.relation in OWNED:
            return brand.maker
        return entity

    def parent(self, entity: str) -> str:
        """The maker behind a brand of any relation (an OEM's too), or the entity itself."""
        brand = self.brands.get(entity)
        return brand.maker if brand is not None else entity

    def bases_of(self, group: str) -> tuple[Basis, ...]:
        maker = self.makers.get(group)
        return tuple(maker.bases) if maker is not None else ()

    def note_of(self, entity: str) -> str:
        found = self.makers.get(entity) or self.brands.get(entity)
        if found is None:
            return ""
        return (found.review if isinstance(found, Maker) else "") or found.note

    # --- lookups --------------------------------------------------------------------------------------------
    def name(self, text: str) -> str | None:
        """The entity a whole cell names (`HIKVISION`, `Zhejiang Dahua Technology Co., Ltd.`), or None."""
        key = normalise(text)
        found = self._names.get(key)
        if found is None:
            m = self.name_regex.search(key)
            found = self._names[m.group(0)] if m else None
        return found

    def names_in(self, text: str) -> Iterator[tuple[str, str]]:
        """(entity, name) for each listed name in free text."""
        for m in self.free_text_regex.finditer(normalise(text)):
            yield self._names[m.group(0)], m.group(0)

    def organisation(self, org: str) -> str:
        """The entity a registry organisation belongs to, or `org:<the organisation>`."""
        found = self._org_cache.get(org)
        if found is None:
            key = normalise(org)
            found = next((e for prefix, e in self._orgs if key.startswith(prefix)), "org:" + org)
            self._org_cache[org] = found
        return found

    def port(self, proto: str, number: int) -> PortEntry | None:
        return self.ports.get((proto, number))  # type: ignore[arg-type]  # any protocol may be asked; few are listed

    def cpe_vendor(self, vendor: str) -> str | None:
        return self._cpe.get(vendor.lower())

    def unknown(self, text: str) -> str:
        """An entity for a maker outside the tables, named by a register: `org:` and the name as written."""
        return "org:" + " ".join(text.split())[:80]


def _load_yaml(name: str, path: Path | None) -> object:
    if path is not None:
        return yaml.safe_load(path.read_text("utf-8"))
    return yaml.safe_load(resources.files("counterpitch").joinpath("data", "devices", name).read_text("utf-8"))


def load_tables(makers: Path | None = None, fingerprints: Path | None = None) -> Tables:
    """The tables from the package's data (or the given files); ValueError names the file and the entry."""
    try:
        m = MakersFile.model_validate(_load_yaml("makers.yaml", makers))
    except ValidationError as exc:
        raise ValueError(f"{makers or 'data/devices/makers.yaml'}: {_first(exc)}") from None
    try:
        f = FingerprintsFile.model_validate(_load_yaml("fingerprints.yaml", fingerprints))
    except ValidationError as exc:
        raise ValueError(f"{fingerprints or 'data/devices/fingerprints.yaml'}: {_first(exc)}") from None
    known = {e.id for e in (*m.makers, *m.brands)}
    if len(known) != len(m.makers) + len(m.brands):
        raise ValueError("data/devices/makers.yaml: an id is used twice")
    for b in m.brands:
        if b.maker not in {x.id for x in m.makers}:
            raise ValueError(f"data/devices/makers.yaml: brand {b.id!r}: maker {b.maker!r} is not listed")
    for kind in ("models", "http_server", "http_text", "rtsp", "ports", "snmp", "favicons"):
        for entry in getattr(f, kind):
            if entry.maker not in known:
                raise ValueError(f"data/devices/fingerprints.yaml: {kind}: maker {entry.maker!r} is not listed")
    return Tables(m, f, OuiRegistry.packaged())


def _first(exc: ValidationError) -> str:
    e = exc.errors()[0]
    return f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"


@lru_cache(maxsize=1)
def default_tables() -> Tables:
    """The package's tables, loaded once per process (they are never changed after loading)."""
    return load_tables()
