"""A folder of profile photos beside a list of people (an archive's connections, a staff CSV): which photo is
whose. A photo is named by the person's LinkedIn slug (`jane-doe-4b1a.jpg`, the part after linkedin.com/in/)
or by their name (`Jane Doe.png`, `jane_doe.jpg`); case, accents, spaces, dots and underscores do not matter.

The folder is read once, by name only (no image is opened here), under limits: image suffixes only, symbolic
links not followed, at most MAX_FILES files.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from counterpitch.watchlist import normalise_profile_url

SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"})
MAX_FILES = 200_000
MAX_DEPTH = 4


class PhotoFolderError(ValueError):
    """The folder cannot be used (missing, too large); names it."""


def key(text: str) -> str:
    """A name or slug as the folder's names are compared: ASCII letters and digits joined by single hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


@dataclass
class PhotoFolder:
    root: Path
    by_key: dict[str, Path] = field(default_factory=dict)
    #: Two files whose names give the same key: neither is used (which one is whose cannot be told).
    ambiguous: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, root: Path) -> PhotoFolder:
        if not root.is_dir():
            raise PhotoFolderError(f"{root}: {'a file, not a folder' if root.exists() else 'no such folder'}")
        folder = cls(root)
        count = 0
        stack = [(root, 0)]
        while stack:
            here, depth = stack.pop()
            try:
                entries = list(os.scandir(here))
            except OSError as exc:
                raise PhotoFolderError(f"{here}: cannot be read: {exc.strerror}") from None
            for entry in entries:
                if entry.is_symlink():
                    continue
                if entry.is_dir() and depth < MAX_DEPTH:
                    stack.append((Path(entry.path), depth + 1))
                elif entry.is_file() and Path(entry.name).suffix.lower() in SUFFIXES:
                    count += 1
                    if count > MAX_FILES:
                        raise PhotoFolderError(f"{root}: more than {MAX_FILES:,} images; give a smaller folder")
                    folder._add(key(Path(entry.name).stem), Path(entry.path))
        return folder

    def _add(self, k: str, path: Path) -> None:
        if not k or k in self.ambiguous:
            return
        if k in self.by_key:
            del self.by_key[k]
            self.ambiguous.add(k)
            return
        self.by_key[k] = path

    def photo_of(self, profile_url: str | None, name: str | None) -> Path | None:
        """The photo named by the person's slug, else by their name."""
        candidates = []
        url = normalise_profile_url(profile_url) if profile_url else None
        if url and url.startswith("linkedin.com/in/"):
            candidates.append(key(url.removeprefix("linkedin.com/in/")))
        if name:
            candidates.append(key(name))
        for k in candidates:
            if k in self.by_key:
                self.used.add(k)
                return self.by_key[k]
        return None

    def summary(self) -> str:
        unused = len(self.by_key) - len(self.used)
        text = f"{self.root}: {len(self.used)} of {len(self.by_key)} photos matched a person"
        if unused:
            text += f"; {unused} matched nobody (name a photo by the person's profile slug or name)"
        if self.ambiguous:
            text += f"; {len(self.ambiguous)} name(s) given to more than one photo were not used"
        return text
