"""The registry: built-in detectors register exactly as a user's own do, and duplicate ids fail at start-up.

Sources of detectors, in order: the Python modules of this package that export `DETECTORS`, the YAML files
under `data/detectors/`, Python entry points in the group `counterpitch.detectors`, and YAML files a user
passes in. Loading is deterministic, so a registry built twice holds the same detectors in the same order.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from importlib import metadata, resources
from pathlib import Path

import yaml

from counterpitch.detectors.base import Detector, Target
from counterpitch.detectors.phrases import from_spec

BUILTIN_MODULES = (
    "counterpitch.detectors.watchlist",
    "counterpitch.detectors.persona",
    "counterpitch.detectors.photo",
    "counterpitch.detectors.targeting",
    "counterpitch.detectors.escalation",
    "counterpitch.detectors.exposure",
    "counterpitch.detectors.semantic",
)
ENTRY_POINT_GROUP = "counterpitch.detectors"


class DuplicateDetectorError(ValueError):
    pass


class Registry:
    def __init__(self, detectors: Iterable[Detector] = ()) -> None:
        self._by_id: dict[str, Detector] = {}
        #: for_target's answers: asked once per profile in an audit of millions, so kept (reset on register).
        self._by_target: dict[Target, tuple[Detector, ...]] = {}
        for d in detectors:
            self.register(d)

    def register(self, detector: Detector) -> None:
        ident = detector.meta.id
        if ident in self._by_id:
            raise DuplicateDetectorError(f"two detectors share the id {ident!r}")
        self._by_id[ident] = detector
        self._by_target.clear()

    def __iter__(self) -> Iterator[Detector]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, ident: object) -> bool:
        return ident in self._by_id

    def get(self, ident: str) -> Detector:
        return self._by_id[ident]

    def for_target(self, target: Target) -> tuple[Detector, ...]:
        found = self._by_target.get(target)
        if found is None:
            found = self._by_target[target] = tuple(d for d in self._by_id.values() if d.meta.target == target)
        return found

    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)


def load_yaml_detectors(path: Path | str, text: str | None = None) -> list[Detector]:
    """Detectors declared in one YAML file (a mapping with a `detectors` list)."""
    where = str(path)
    try:
        doc = yaml.safe_load(text if text is not None else Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("detectors"), list):
        raise ValueError(f"{where}: expected a mapping with a 'detectors' list")
    return [from_spec(spec, where) for spec in doc["detectors"]]


def _builtin_yaml() -> Iterator[Detector]:
    folder = resources.files("counterpitch") / "data" / "detectors"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            yield from load_yaml_detectors(f"counterpitch/data/detectors/{entry.name}", entry.read_text("utf-8"))


def _entry_points() -> Iterator[Detector]:
    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        loaded = ep.load()
        yield from (loaded() if callable(loaded) else loaded)


def default_registry(extra_yaml: Iterable[Path] = (), plugins: bool = True) -> Registry:
    reg = Registry()
    for name in BUILTIN_MODULES:
        for d in importlib.import_module(name).DETECTORS:
            reg.register(d)
    for d in _builtin_yaml():
        reg.register(d)
    if plugins:
        for d in _entry_points():
            reg.register(d)
    for path in extra_yaml:
        for d in load_yaml_detectors(path):
            reg.register(d)
    return reg
