"""CORS for the JSON API only: a browser extension (decision 0075) calls /api/v1 from its own origin.

Starlette's CORSMiddleware answers preflights and adds the headers, but only for requests under /api/v1 and only
for the exact origins configured (`COUNTERPITCH_CORS_ORIGINS`); pages, /static and the sign-in never get CORS
headers. No credentials (cookies) are allowed: the API reads Bearer tokens only.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX = "/api/v1"


class ApiCors:
    """Sends /api/v1 requests through CORSMiddleware for `origins`; every other path goes straight on."""

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
