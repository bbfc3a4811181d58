"""E-mail under hypothesis: MIME trees built from parts, with mutated headers, encodings and bytes, as `.eml`
files and inside mbox mailboxes. Each message must parse or become a `MailError` naming the file."""

from __future__ import annotations

import base64
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as fs
from tests.fuzz.targets import mail_bytes

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_HEADER_VALUES = st.one_of(
    st.sampled_from(
        [
            "=?utf-8?b?SGVsbG8=?=",
            "=?x-unknown?q?caf=E9?=",
            "=?utf-8?b?!!!?=",
            "=?utf-8?q?",
            '"Quoted, Name" <a@b.test>',
            "<>",
            "undisclosed-recipients:;",
            "a@",
            "@b",
            "Tue, 31 Feb 2025 99:99:99 +9999",
            "Mon, 1 Jan 0000 00:00 -0000",
            "not a date",
            "x" * 20_000,
            "\t folded\r\n continued",
            "a@b.test, c@d.test, (comment) e@f.test",
            "\x00\x7f\x80",
        ]
    ),
    st.text(max_size=40),
)
_NAMES = st.sampled_from(["From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "Sender", "X-Mailer"])
_HEADERS = st.lists(st.tuples(_NAMES, _HEADER_VALUES), max_size=6)
_CHARSETS = st.sampled_from(["utf-8", "iso-8859-1", "utf-16", "x-unknown", "", "utf-8'en'"])
_ENCODINGS = st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "garbage", ""])
_LEAF_TYPES = st.sampled_from(
    ["text/plain", "text/html", "application/pdf", "application/zip", "application/octet-stream", "image/png", "text/"]
)
_FILENAMES = st.one_of(st.none(), st.sampled_from(["cv.pdf", "invoice.pdf.exe", "a.docm", "x.zip", "../../x", ""]))
_BODIES = st.one_of(fs.CELLS, st.sampled_from(["<a href='http://192.0.2.1/'>https://bank.test</a>", "PK\x03\x04"]))


def _encode(body: str, cte: str) -> bytes:
    raw = body.encode("utf-8", "surrogatepass")
    if cte == "base64":
        return base64.encodebytes(raw)
    return raw


def _leaf(ctype: str, charset: str, cte: str, filename: str | None, body: str) -> bytes:
    head = f"Content-Type: {ctype}; charset={charset}\r\nContent-Transfer-Encoding: {cte}\r\n"
    if filename is not None:
        head += f'Content-Disposition: attachment; filename="{filename}"\r\n'
    return head.encode("utf-8", "surrogatepass") + b"\r\n" + _encode(body, cte)


_LEAVES = st.builds(_leaf, _LEAF_TYPES, _CHARSETS, _ENCODINGS, _FILENAMES, _BODIES)


def _multipart(kind: str, parts: list[bytes], depth_tag: int) -> bytes:
    boundary = f"b{depth_tag}-{len(parts)}"
    out = f'Content-Type: multipart/{kind}; boundary="{boundary}"\r\n\r\npreamble\r\n'.encode()
    for part in parts:
        out += f"--{boundary}\r\n".encode() + part + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def _rfc822(inner: bytes) -> bytes:
    return b"Content-Type: message/rfc822\r\n\r\nFrom: inner@x.test\r\nSubject: inner\r\n" + inner


_TREES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.builds(
            _multipart,
            st.sampled_from(["mixed", "alternative", "related", "x-weird"]),
            st.lists(inner, max_size=4),
            st.integers(0, 9),
        ),
        inner.map(_rfc822),
    ),
    max_leaves=10,
)


def _message(headers: list[tuple[str, str]], tree: bytes) -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return b"MIME-Version: 1.0\r\n" + head.encode("utf-8", "surrogatepass") + tree


@FUZZ
@given(_HEADERS, _TREES, fs.MUTATIONS)
def test_when_eml_headers_and_mime_tree_are_mutated_then_message_or_named_error(
    headers: list, tree: bytes, edits: list
) -> None:
    mail_bytes(fs.mutate(_message(headers, tree), edits))


@FUZZ
@given(st.lists(st.tuples(_HEADERS, _TREES), min_size=1, max_size=4), st.booleans(), fs.MUTATIONS)
def test_when_mbox_of_mutated_messages_then_messages_or_named_errors(messages: list, escape: bool, edits: list) -> None:
    box = b""
    for headers, tree in messages:
        body = _message(headers, tree).replace(b"\r\n", b"\n")
        if escape:
            body = body.replace(b"\nFrom ", b"\n>From ")
        box += b"From sender@example.test Tue Mar  4 09:30:00 2025\n" + body + b"\n"
    result = mail_bytes(fs.mutate(box, edits), ".mbox")
    assert result


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 400), st.sampled_from(["mixed", "rfc822"]))
def test_when_mime_nests_deep_then_message_or_named_error(depth: int, how: str) -> None:
    tree = _leaf("text/plain", "utf-8", "7bit", None, "deep")
    for level in range(depth):
        tree = _multipart("mixed", [tree], level) if how == "mixed" else _rfc822(tree)
    mail_bytes(_message([("From", "a@b.test")], tree))


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, b"x")
    return buf.getvalue()


_MEMBERS = st.lists(
    st.sampled_from(["[Content_Types].xml", "word/vbaProject.bin", "invoice.exe", "../x", "a/b.pdf", "inner.zip"]),
    max_size=4,
    unique=True,
)


@FUZZ
@given(_MEMBERS, st.sampled_from(["brief.docm", "cv.zip", "report.pdf", "x.docx", "noext"]), fs.MUTATIONS)
def test_when_attached_zip_is_mutated_then_message_or_named_error(names: list, filename: str, edits: list) -> None:
    data = base64.encodebytes(fs.mutate(_zip(names), edits))
    part = (
        f'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="{filename}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + data
    out = mail_bytes(
        _message(
            [("From", "a@b.test")],
            _multipart("mixed", [_leaf("text/plain", "utf-8", "7bit", None, "see attached"), part], 0),
        )
    )
    assert len(out) == 1
