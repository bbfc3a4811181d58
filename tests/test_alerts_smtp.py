"""SMTP delivery against a real local aiosmtpd server: plain, STARTTLS with AUTH, implicit TLS, and failures.
Addresses and content are invented."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from counterpitch.alerts import Briefing, DeliverySettings, SmtpSettings, deliver
from tests.test_alerts_render import campaign_briefing

SENDER = "counterpitch@example.org"
STAFF = ("security@example.org", "duty-officer@example.org")


@dataclass
class Sink:
    """Keeps every message it is given; refuses recipients at refused.example."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Session, envelope: Envelope, address: str, options: Any) -> str:
        if address.endswith("@refused.example"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made for this test run."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "counterpitch test relay")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def server_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*tls_files)
    return ctx


def authenticate(server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"alerts", b"s3cret-invented")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def plain_server() -> Iterator[tuple[Sink, int]]:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return replace(campaign_briefing(), channels=("smtp",), recipients=())


def settings(port: int, **over: Any) -> DeliverySettings:
    base: dict[str, Any] = {"host": "127.0.0.1", "port": port, "sender": SENDER, "to": STAFF, "starttls": False}
    return DeliverySettings(smtp=SmtpSettings(**{**base, **over}))


def received(sink: Sink) -> EmailMessage:
    (envelope,) = sink.envelopes
    assert isinstance(envelope.content, bytes)
    msg = message_from_bytes(envelope.content, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_when_sent_then_the_server_receives_a_multipart_briefing(
    plain_server: tuple[Sink, int], briefing: Briefing
) -> None:
    sink, port = plain_server
    assert deliver(briefing, settings(port)) == {"smtp": "sent"}
    (envelope,) = sink.envelopes
    assert envelope.mail_from == SENDER and envelope.rcpt_tos == list(STAFF)
    msg = received(sink)
    assert msg["Subject"] == briefing.subject and msg["From"] == SENDER
    assert msg["To"] == ", ".join(STAFF) and msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-Counterpitch-Alert"] == briefing.dedup_key and msg["X-TLP"] == "AMBER+STRICT"
    assert msg["Message-ID"].endswith("@example.org>") and msg["Date"]
    assert msg.get_content_type() == "multipart/alternative"
    text, html = (part for part in msg.iter_parts())
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    assert text.get_content().replace("\r\n", "\n") == briefing.text
    assert html.get_content().replace("\r\n", "\n") == briefing.html
    assert "Marta Velenko" in text.get_content() and "Do not confront the sender" in html.get_content()


def test_when_the_rule_names_recipients_then_they_replace_the_default_list(
    plain_server: tuple[Sink, int], briefing: Briefing
) -> None:
    sink, port = plain_server
    assert deliver(replace(briefing, recipients=("soc@example.org",)), settings(port)) == {"smtp": "sent"}
    assert sink.envelopes[0].rcpt_tos == ["soc@example.org"]
    assert received(sink)["To"] == "soc@example.org"


def test_when_some_recipients_are_refused_then_the_outcome_says_which(
    plain_server: tuple[Sink, int], briefing: Briefing
) -> None:
    sink, port = plain_server
    outcome = deliver(briefing, settings(port, to=("a@example.org", "gone@refused.example")))
    assert outcome == {"smtp": "error: refused for gone@refused.example"}
    assert sink.envelopes[0].rcpt_tos == ["a@example.org"]


def test_starttls_with_login(tls_files: tuple[Path, Path], briefing: Briefing) -> None:
    sink, port = Sink(), free_port()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_context(tls_files),
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
    )
    controller.start()
    try:
        good = settings(port, starttls=True, ca_file=str(tls_files[0]), username="alerts", password="s3cret-invented")
        assert deliver(briefing, good) == {"smtp": "sent"}
        assert len(sink.envelopes) == 1
        wrong = settings(port, starttls=True, ca_file=str(tls_files[0]), username="alerts", password="guess")
        assert deliver(briefing, wrong)["smtp"].startswith("error: SMTPAuthenticationError")
        untrusted = settings(port, starttls=True, username="alerts", password="s3cret-invented")
        assert "CERTIFICATE_VERIFY_FAILED" in deliver(briefing, untrusted)["smtp"]
        cleartext = settings(port, starttls=False)
        assert deliver(briefing, cleartext)["smtp"].startswith("error: ")
        assert len(sink.envelopes) == 1
    finally:
        controller.stop()


def test_implicit_tls(tls_files: tuple[Path, Path], briefing: Briefing) -> None:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, ssl_context=server_context(tls_files))
    controller.start()
    try:
        assert deliver(briefing, settings(port, ssl=True, ca_file=str(tls_files[0]))) == {"smtp": "sent"}
        assert received(sink)["Subject"] == briefing.subject
    finally:
        controller.stop()


def test_when_the_server_is_down_then_an_error_not_an_exception(briefing: Briefing) -> None:
    outcome = deliver(briefing, settings(free_port()))
    assert outcome["smtp"].startswith("error: ConnectionRefusedError")


def test_when_the_server_never_answers_then_the_timeout_ends_it(briefing: Briefing) -> None:
    with socket.socket() as mute:
        mute.bind(("127.0.0.1", 0))
        mute.listen(1)
        started = time.monotonic()
        outcome = deliver(briefing, settings(mute.getsockname()[1], timeout=0.5))
        assert time.monotonic() - started < 5
    assert outcome["smtp"].startswith("error: ") and "timed out" in outcome["smtp"]


@pytest.mark.parametrize(
    ("smtp", "expected"),
    [
        (None, "skipped: SMTP not configured"),
        (SmtpSettings(host="127.0.0.1", sender=SENDER), "skipped: no recipients"),
        (SmtpSettings(host="127.0.0.1", sender=SENDER, to=STAFF, ssl=True), "error: SMTP settings ask for both"),
    ],
)
def test_when_settings_are_missing_or_contradict_then_the_outcome_says_so(
    smtp: SmtpSettings | None, expected: str, briefing: Briefing
) -> None:
    assert deliver(briefing, DeliverySettings(smtp=smtp))["smtp"].startswith(expected)


def test_when_an_address_carries_a_header_break_then_nothing_is_sent(
    plain_server: tuple[Sink, int], briefing: Briefing
) -> None:
    sink, port = plain_server
    outcome = deliver(briefing, settings(port, sender="a@example.org\r\nBcc: x@example.org"))
    assert outcome["smtp"].startswith("error: ")
    assert "\n" not in outcome["smtp"] and sink.envelopes == []


def test_password_is_not_in_the_settings_repr() -> None:
    assert "s3cret" not in repr(SmtpSettings(host="h", sender=SENDER, password="s3cret"))


def test_threads_are_not_left_behind(plain_server: tuple[Sink, int], briefing: Briefing) -> None:
    before = threading.active_count()
    deliver(briefing, settings(plain_server[1]))
    assert threading.active_count() == before
