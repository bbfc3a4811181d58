"""Staff profiles wearing a generated face (`audit --photos DIR`, issue 14 item 5).

A profile that claims to work for the organisation but wears a face a generator made is the mark of a fake
"colleague" (a persona borrowing the organisation's name to approach its staff, or to look like an insider). It
is not an exposure of the person, so it never enters their exposure score: the summary lists such profiles
apart, with the photo check's score and reasons.

Photos are matched by the profile's slug or name in a folder (photo/folder.py), read once per process; on Dask
every worker must see the folder at the same path. Built one person at a time and merged like the rest of the
summary, keeping the highest scores first (ties by id), so any partitioning gives the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from counterpitch.model import Profile
from counterpitch.photo.folder import PhotoFolder

#: Flagged profiles kept at most (the count of all of them is kept too).
MAX_KEPT = 1000


@dataclass(frozen=True)
class FaceFlag:
    id: str
    name: str | None
    profile_url: str | None
    generated: float
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "profile_url": self.profile_url,
            "generated": round(self.generated, 3),
            "reasons": list(self.reasons),
        }


@lru_cache(maxsize=4)
def _folder(root: str) -> PhotoFolder:
    return PhotoFolder.read(Path(root))


@dataclass
class Faces:
    """Profiles whose photo was checked, those that could not be read, and those flagged as generated."""

    root: str | None = None
    checked: int = 0
    unreadable: int = 0
    flagged_count: int = 0
    flagged: list[FaceFlag] = field(default_factory=list)

    def add(self, profile: Profile) -> None:
        if self.root is None:
            return
        path = _folder(self.root).photo_of(profile.profile_url, profile.name)
        if path is None:
            return
        from counterpitch.photo import PhotoError, check_photo

        self.checked += 1
        try:
            result = check_photo(path)
        except PhotoError:
            self.unreadable += 1
            return
        if result.flag:
            self.flagged_count += 1
            self.flagged.append(
                FaceFlag(profile.id, profile.name, profile.profile_url, result.generated, result.reasons)
            )
            if len(self.flagged) > 2 * MAX_KEPT:
                self.flagged = _kept(self.flagged)

    def merge(self, other: Faces) -> Faces:
        if other.root != self.root:
            raise ValueError("cannot merge photo checks of different folders")
        return Faces(
            self.root,
            self.checked + other.checked,
            self.unreadable + other.unreadable,
            self.flagged_count + other.flagged_count,
            _kept(self.flagged + other.flagged),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "folder": self.root,
            "checked": self.checked,
            "unreadable": self.unreadable,
            "flagged": self.flagged_count,
            "profiles": [f.to_json() for f in _kept(self.flagged)],
        }


def _kept(flags: list[FaceFlag]) -> list[FaceFlag]:
    return sorted(flags, key=lambda f: (-f.generated, f.id))[:MAX_KEPT]
