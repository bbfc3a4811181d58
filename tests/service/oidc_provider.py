"""A minimal OpenID Connect provider on loopback for the sign-in tests: discovery, authorize (consents at
once for the user the test chose), token (an RS256-signed ID token bound to the nonce) and JWKS.

Real HTTP on 127.0.0.1, so authlib's client does its real discovery, code exchange and signature checks.
The people it vouches for are invented.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "counterpitch-test"
CLIENT_SECRET = "invented-client-secret"


@dataclass
class Provider:
    issuer: str = ""
    #: Claims of the person who "signs in" at the next authorize request.
    person: dict[str, str] = field(default_factory=dict)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-key"}))
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce, **self.person}
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)


def _handler(p: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(p.metadata())
            elif url.path == "/jwks":
                self._json({"keys": [p.key.as_dict(private=False)]})
            elif url.path == "/authorize" and q.get("client_id") == CLIENT_ID:
                code = secrets.token_urlsafe(16)
                p.codes[code] = {"nonce": q.get("nonce", ""), "redirect_uri": q["redirect_uri"]}
                self.send_response(302)
                self.send_header("Location", q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]}))
                self.end_headers()
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
            grant = p.codes.pop(form.get("code", ""), None)
            if self.path != "/token" or grant is None or not self.headers.get("Authorization", "").startswith("Basic"):
                self._json({"error": "invalid_grant"}, 400)
                return
            token = {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300}
            self._json({**token, "id_token": p.id_token(grant["nonce"])})

    return Handler


@contextmanager
def provider() -> Iterator[Provider]:
    p = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(p))
    p.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield p
    finally:
        server.shutdown()
        server.server_close()
