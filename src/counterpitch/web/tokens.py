"""A short-lived memory of API tokens already checked, so a busy integration does not cost a database
round trip per call.

Only successful look-ups are remembered, keyed by the token's SHA-256, for `TTL_SECONDS`. Deactivating a
user or revoking a token in this process forgets everything at once; other worker processes stop accepting
it within the TTL. Wrong tokens are never cached, so guessing always reaches the database.
"""

from __future__ import annotations

import threading
import time

from counterpitch.store.accounts import Actor, token_hash

TTL_SECONDS = 10.0
MAX_ENTRIES = 4096


class TokenCache:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._seen: dict[str, tuple[Actor, float]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> Actor | None:
        hit = self._seen.get(token_hash(token))
        if hit is None or hit[1] < time.monotonic():
            return None
        return hit[0]

    def put(self, token: str, actor: Actor) -> None:
        with self._lock:
            if len(self._seen) >= MAX_ENTRIES:
                self._seen.clear()
            self._seen[token_hash(token)] = (actor, time.monotonic() + self.ttl)

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()
