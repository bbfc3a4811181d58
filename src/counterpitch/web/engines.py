"""The one screening engine a service process holds, with the service's own watchlist entries added.

The engine (detectors, wording model, scorer) is built once at start-up; only the watchlist part changes, when
an analyst lists a sender. Other processes notice within `RECHECK_SECONDS` by comparing a cheap version of
the watchlist table, so several workers converge without a message bus. Swapping the engine is one attribute
assignment, so a request in flight keeps the engine it started with.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from sqlalchemy.orm import Session

from counterpitch.engine import Engine
from counterpitch.store import watchlist_rows
from counterpitch.watchlist import Watchlist, WatchlistEntry

RECHECK_SECONDS = 5.0


class EngineHolder:
    def __init__(self, base: Engine) -> None:
        self._base = base
        self._seed: tuple[WatchlistEntry, ...] = tuple(base.context.watchlist or ())
        self._engine = base
        self._version: tuple[int, int] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        return self._engine

    def load(self, session: Session) -> None:
        """Rebuild from the table now (start-up, and right after this process adds an entry)."""
        with self._lock:
            self._version = watchlist_rows.version(session)
            self._checked = time.monotonic()
            self._engine = self._with(watchlist_rows.active_entries(session))

    def due(self) -> bool:
        """Whether a check of the table is due (cheap: no database)."""
        return time.monotonic() - self._checked >= RECHECK_SECONDS

    def refresh_if_stale(self, session: Session) -> None:
        """Reload when another process changed the table; at most one check every few seconds."""
        if time.monotonic() - self._checked < RECHECK_SECONDS:
            return
        self._checked = time.monotonic()
        if watchlist_rows.version(session) != self._version:
            self.load(session)

    def _with(self, extra: list[WatchlistEntry]) -> Engine:
        if not extra:
            return self._base
        ids = {e.id for e in self._seed}
        entries = self._seed + tuple(e for e in extra if e.id not in ids)
        return replace(self._base, context=replace(self._base.context, watchlist=Watchlist(entries)))
