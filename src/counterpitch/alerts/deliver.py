"""Sending a briefing by SMTP and by signed webhook.

Delivery never raises: the report that caused the alert is already stored, and a mail server being down must
not lose it or fail the request. Each channel's outcome comes back as a short string ("sent", "skipped: ...",
"error: ...") for the alerts table. Both channels block (smtplib, httpx's sync client) with bounded time:
call deliver() from a worker thread or a background task, not on the event loop.
docs/decisions/0023-alert-delivery.md gives the reasons.

Webhook receivers check ``X-Counterpitch-Signature: sha256=HEX``, the HMAC-SHA256 under the shared secret of
``TIMESTAMP + "." + BODY`` where TIMESTAMP is the ``X-Counterpitch-Timestamp`` header (Unix seconds) and BODY
the raw request body; ``X-Counterpitch-Delivery`` is the alert's dedup key, the same on every retry; an update of
an alert (a campaign that grew) carries ``KEY#update-N``, and its body's ``alert.revision`` is N.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import httpx

from counterpitch.alerts.render import MARKING, Briefing
from counterpitch.alerts.sanitise import one_line

SIGNATURE_HEADER = "X-Counterpitch-Signature"
TIMESTAMP_HEADER = "X-Counterpitch-Timestamp"
DELIVERY_HEADER = "X-Counterpitch-Delivery"
MAX_BACKOFF_SECONDS = 30.0
#: Headers are not folded below RFC 5322's hard limit: the subject is at most 160 characters, and Python folds
#: a subject that starts with "[TLP:...]" before its first word, which readers then show with a leading space.
_POLICY = policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    to: tuple[str, ...] = ()
    port: int = 587
    #: STARTTLS after connecting (port 587); ``ssl`` is TLS from the first byte (port 465). At most one.
    starttls: bool = True
    ssl: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 10.0
    #: A CA bundle to trust instead of the system's (a private mail relay).
    ca_file: str | None = None


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret: str = field(repr=False)
    timeout: float = 5.0
    #: Further attempts after the first, on 5xx answers and connection errors or timeouts.
    retries: int = 3
    backoff: float = 1.0


@dataclass(frozen=True)
class DeliverySettings:
    smtp: SmtpSettings | None = None
    webhook: WebhookSettings | None = None


def deliver(briefing: Briefing, settings: DeliverySettings) -> dict[str, str]:
    """Send the briefing on each of its rule's channels; the outcome per channel. Never raises."""
    outcome: dict[str, str] = {}
    for channel in briefing.channels:
        try:
            if channel == "smtp":
                outcome[channel] = _smtp(briefing, settings.smtp)
            elif channel == "webhook":
                outcome[channel] = _webhook(briefing, settings.webhook)
            else:
                outcome[channel] = "skipped: unknown channel"
        except Exception as exc:  # a delivery failure is an outcome to record, never a crash
            outcome[channel] = _error(exc)
    return outcome


def _error(exc: BaseException) -> str:
    return "error: " + one_line(f"{type(exc).__name__}: {exc}", 300)


def message(briefing: Briefing, sender: str, to: tuple[str, ...]) -> EmailMessage:
    """The briefing as a multipart/alternative mail: plain text first, HTML as the richer part."""
    msg = EmailMessage(policy=_POLICY)
    msg["Subject"] = briefing.subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Counterpitch-Alert"] = briefing.dedup_key
    msg["X-TLP"] = MARKING.removeprefix("TLP:")
    msg.set_content(briefing.text)
    msg.add_alternative(briefing.html, subtype="html")
    return msg


def _smtp(briefing: Briefing, s: SmtpSettings | None) -> str:
    if s is None:
        return "skipped: SMTP not configured"
    to = briefing.recipients or s.to
    if not to:
        return "skipped: no recipients"
    if s.ssl and s.starttls:
        return "error: SMTP settings ask for both SSL and STARTTLS"
    context = ssl.create_default_context(cafile=s.ca_file)
    client: smtplib.SMTP
    if s.ssl:
        client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
    else:
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
    with client:
        if s.starttls:
            client.starttls(context=context)
        if s.username:
            client.login(s.username, s.password or "")
        refused = client.send_message(message(briefing, s.sender, to), from_addr=s.sender, to_addrs=list(to))
    if refused:
        return "error: refused for " + one_line(", ".join(sorted(refused)), 300)
    return "sent"


def payload(briefing: Briefing) -> bytes:
    """The webhook body: the alert's facts and both renderings, as compact UTF-8 JSON."""
    body: dict[str, Any] = {
        "alert": dict(briefing.alert),
        "briefing": {"subject": briefing.subject, "text": briefing.text, "html": briefing.html},
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _webhook(briefing: Briefing, s: WebhookSettings | None) -> str:
    if s is None:
        return "skipped: webhook not configured"
    if not s.secret:
        return "error: webhook secret is empty"
    if httpx.URL(s.url).scheme not in ("http", "https"):
        return "error: webhook URL must be http or https"
    body = payload(briefing)
    last = "error: no attempt made"
    with httpx.Client(timeout=s.timeout, follow_redirects=False) as client:
        for attempt in range(max(0, s.retries) + 1):
            if attempt:
                time.sleep(min(s.backoff * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS))
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature(s.secret, stamp, body),
                TIMESTAMP_HEADER: stamp,
                DELIVERY_HEADER: briefing.delivery_id,
            }
            try:
                answer = client.post(s.url, content=body, headers=headers)
            except httpx.TransportError as exc:
                last = _error(exc)
                continue
            if answer.is_success:
                return "sent"
            last = f"error: HTTP {answer.status_code}"
            if answer.is_redirect:
                return last + " (redirects are not followed)"
            if answer.status_code < 500:
                return last
    return f"{last} after {max(0, s.retries) + 1} attempts"
