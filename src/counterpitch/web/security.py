"""Response headers every page and answer carries, and the request body limit (pure ASGI, no buffering).

The Content-Security-Policy allows scripts and styles only from this origin: no inline script, no `eval`, so
a hostile message that slips through escaping still cannot run. Pages that need behaviour load a file from
/static.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]


#: The same headers for a response made outside the middleware (a server error answered by the outermost handler).
SECURITY_HEADERS = {name.decode(): value.decode() for name, value in _HEADERS} | {"cache-control": "no-store"}


class BodyTooLarge(Exception):
    pass


class SecurityMiddleware:
    """Adds the headers above (and no-store on everything but /static) and refuses oversized bodies with 413."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int, hsts: bool) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.headers = _HEADERS + ([(b"strict-transport-security", b"max-age=31536000")] if hsts else [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        limit = self.max_upload if multipart else self.max_body
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        static = scope["path"].startswith("/static/")
        started = False
        over = False
        seen = 0

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise BodyTooLarge
            return message

        async def decorated(message: Message) -> None:
            # A body cut off by the limit while the app read it (chunked, or longer than it said) is a 413,
            # whatever the app made of the BodyTooLarge it was handed: the form parser answers it with a 400.
            nonlocal started
            if over:
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _too_large(send, limit)
                return
            if message["type"] == "http.response.start":
                started = True
                extra = self.headers + ([] if static else [(b"cache-control", b"no-store")])
                own = list(message.get("headers", []))
                if 300 <= message["status"] < 400:
                    own = _relative_location(own, headers.get(b"host", b""))
                message["headers"] = own + extra
            await send(message)

        try:
            await self.app(scope, counted, decorated)
        except BodyTooLarge:
            if not started:
                await _too_large(send, limit)


def _relative_location(headers: list[tuple[bytes, bytes]], host: bytes) -> list[tuple[bytes, bytes]]:
    """A redirect back to this service made relative (its path and query): the router's trailing-slash redirect
    builds an absolute URL from the request's Host header, which a client chooses. One leading slash only, so
    the path can never read as another host ("//evil.example/x"). A redirect elsewhere (the identity provider's
    sign-in) is left as it is."""
    out = []
    for name, value in headers:
        if name.lower() == b"location":
            target = urlsplit(value.decode("latin-1"))
            if target.netloc and target.netloc.encode("latin-1").lower() == host.lower():
                path = "/" + target.path.lstrip("/\\")
                value = (path + (f"?{target.query}" if target.query else "")).encode("latin-1")
        out.append((name, value))
    return out


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"body: larger than the limit of {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
