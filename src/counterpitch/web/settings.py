"""The service's settings, from `COUNTERPITCH_*` environment variables (or given directly, in tests).

Secrets never have defaults that work in production: without `COUNTERPITCH_SECRET_KEY` a random key is made
once and kept in the data directory (mode 0600), so sessions survive restarts on one machine; several hosts
sharing a PostgreSQL database must be given the same key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from counterpitch.store.db import default_url

_PREFIX = "COUNTERPITCH_"


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    data_dir: Path = Path("var")
    secret_key: str = ""
    #: Send the session cookie over HTTPS only. On by default; `make run` on loopback turns it off.
    cookie_secure: bool = True
    #: A page session ends this long after sign-in (seconds), or after `session_idle_seconds` without use.
    session_max_age: int = 8 * 3600
    session_idle_seconds: int = 3600
    org_name: str = "Your organisation"
    #: JSON bodies of the API; form posts (which may carry a saved profile PDF or an e-mail) get the larger limit.
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 25_000_000
    #: Sign-in limits (store/signin_limits.py, decision 0047), failures within the window: per user name from one
    #: address; per user name from all addresses, and per address for all names, neither of which applies to an
    #: account at an address it signed in from within `login_known_days`.
    login_window_seconds: int = 15 * 60
    login_max_per_user: int = 5
    login_max_per_user_all_addresses: int = 20
    login_max_per_address: int = 30
    login_known_days: int = 30
    #: Back-off per user name: after `login_backoff_after` failures in a row, each attempt waits
    #: `login_backoff_base_seconds` doubled per further failure, at most `login_backoff_max_seconds`, after the
    #: last one; a right password ends it, and it spares the account at an address it is known at.
    login_backoff_after: int = 5
    login_backoff_base_seconds: int = 15
    login_backoff_max_seconds: int = 15 * 60
    #: Uploaded files (profile PDF, e-mail) are read in a child process stopped at these limits (ingest/isolated.py),
    #: at most `upload_workers` at once per service process; per person, at most `uploads_concurrent` at once and
    #: `uploads_per_hour` an hour (store/upload_limits.py, decision 0048).
    upload_cpu_seconds: int = 3
    upload_memory_mb: int = 768
    upload_workers: int = 2
    uploads_concurrent: int = 2
    uploads_per_hour: int = 30
    #: Take the client address from X-Forwarded-For (only behind a reverse proxy you run).
    trust_proxy: bool = False
    #: Origins allowed to call /api/v1 from a browser (CORS), comma-separated and exact, e.g. the browser
    #: extension's "chrome-extension://<id>" (decision 0075). Empty: no CORS headers at all, anywhere.
    cors_origins: str = ""
    #: OpenID Connect: off unless issuer, client id and secret are all set.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    #: Who may sign in through OIDC and as what: "alice@example.org=analyst,bob@example.org=admin,*=reporter"
    #: (keys are e-mail addresses or subjects; "*" is everyone else the issuer vouches for).
    oidc_roles: str = ""
    #: Alerts (alerts/): rules file, SMTP and webhook delivery.
    alert_rules: Path | None = None
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_from: str = ""
    smtp_to: str = ""
    webhook_url: str = ""
    #: HMAC key the webhook receiver checks X-Counterpitch-Signature with; no webhook is sent without it.
    webhook_secret: str = ""
    #: Alert throttles (web/alerting.py, store/alert_limits.py): at most this many new alerts an hour from one
    #: reporter's reports (beyond it reports are still filed and assessed, and the audit log says so once); a
    #: campaign's alert is updated as reports join it, and an update is sent at most once per interval.
    alerts_per_reporter_hour: int = 10
    alert_update_interval_seconds: int = 3600
    #: Run the Alembic migrations when the app is created.
    migrate: bool = True
    #: Join reports into campaigns (counterpitch.campaigns) when that package is present.
    link_campaigns: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _convert(f.name, raw, f.type)
        values.update(overrides)
        return cls(**values).resolved()

    def resolved(self) -> Settings:
        """Fill in the database URL and the secret key where they were left empty."""
        out = self
        if not out.database_url:
            out = replace(out, database_url=default_url(out.data_dir))
        if not out.secret_key:
            out = replace(out, secret_key=_stored_secret(out.data_dir))
        return out

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)

    def cors_origin_list(self) -> tuple[str, ...]:
        """The exact origins of `cors_origins`, without blanks, trailing slashes or duplicates."""
        out: list[str] = []
        for item in self.cors_origins.split(","):
            origin = item.strip().rstrip("/")
            if origin and origin != "*" and origin not in out:
                out.append(origin)
        return tuple(out)

    def oidc_role_map(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for item in self.oidc_roles.split(","):
            key, _, role = item.strip().rpartition("=")
            if key and role:
                out[key.strip().lower()] = role.strip()
        return out


def _convert(name: str, raw: str, kind: object) -> Any:
    text = str(kind)
    if "bool" in text:
        if raw.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if raw.strip().lower() in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{_PREFIX}{name.upper()}: {raw!r} is not true or false")
    if text == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{_PREFIX}{name.upper()}: {raw!r} is not a whole number") from None
    if "Path" in text:
        return Path(raw) if raw else None
    return raw


def _stored_secret(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if path.is_file():
        return path.read_text("utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key)
    return key
