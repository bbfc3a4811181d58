"""What every atheris harness shares: the import path, coverage instrumentation and the seed inputs.

Each `fuzz_<target>.py` beside this file fuzzes one target of tests/fuzz/targets.py, whose property (a result,
or the parser's own error naming the file) is the same one the hypothesis tests check in `make test`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for entry in (ROOT / "src", ROOT):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

#: Libraries whose branches the parsers reach, instrumented along with the project for coverage feedback.
INSTRUMENT = ["counterpitch", "tests", "pypdf", "email", "mailbox", "zipfile", "json", "csv"]


def fuzz(target: str) -> None:
    """Run libFuzzer (through atheris) on `target`, with the command line's libFuzzer options."""
    import atheris

    with atheris.instrument_imports(include=INSTRUMENT):
        from tests.fuzz.targets import TARGETS

    one = TARGETS[target]
    atheris.Setup(sys.argv, lambda data: one(bytes(data)))
    atheris.Fuzz()


def seeds(target: str) -> dict[str, bytes]:
    """Well-formed inputs to start from, built by the test builders (everything in them is invented)."""
    from tests import archive_builder as ab
    from tests import pdf_builder as pb

    if target == "archive":
        with tempfile.TemporaryDirectory() as folder:
            return {era: ab.build_archive(Path(folder), era).read_bytes() for era in ab.ERAS}
    if target == "archive_csv":
        out = {}
        for e, era in enumerate(ab.ERAS):
            files = ab.era_files(era)
            members = ["messages.csv", "Connections.csv", "Invitations.csv", "Profile.csv", "Positions.csv"]
            for m, member in enumerate(members):
                data = next(v for k, v in files.items() if k.endswith(member))
                out[f"{era}-{member}"] = bytes([e, m]) + data
        return out
    if target in ("eml", "mbox"):
        messages = [_mail(i) for i in range(4)]
        if target == "eml":
            return {f"m{i}": m for i, m in enumerate(messages)}
        box = b"".join(b"From a@example.test Tue Mar  4 09:30:00 2025\n" + m.replace(b"\r\n", b"\n") for m in messages)
        return {"box": box}
    if target == "pdf":
        return {
            "sample": pb.SAMPLE.read_bytes(),
            "page": pb.one_page_pdf(b"BT /F1 26 Tf 220 700 Td (Morgan Ashdown) Tj ET"),
            "flate": pb.one_page_pdf(b"BT /F1 12 Tf 36 700 Td (Contact) Tj ET", flate=True),
        }
    if target == "records":
        lines = (ROOT / "examples" / "approaches.jsonl").read_bytes().splitlines(keepends=True)[:3]
        array = json.dumps([json.loads(line) for line in lines], indent=1).encode()
        return {"jsonl": b"".join(lines), "array": array, "one": json.dumps(json.loads(lines[0]), indent=2).encode()}
    if target == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["id", "channel", "text", "sender_name", "sender_connections", "recipient_name"])
        writer.writerow(["a1", "linkedin_message", "Hello, are you free for a paid call?", "Priya", "12", "Morgan"])
        writer.writerow(["", "email", '"quoted", and\nmultiline', "", "x", ""])
        return {"csv": buf.getvalue().encode()}
    raise KeyError(target)


def _mail(i: int) -> bytes:
    head = (
        f"From: Priya Ostrander <priya{i}@example.test>\r\nTo: morgan@example.test\r\nSubject: Opportunity {i}\r\n"
        "Date: Tue, 04 Mar 2025 09:30:00 +0000\r\nMIME-Version: 1.0\r\n"
    )
    if i == 0:
        return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello, a paid consulting call?\r\n").encode()
    parts = [
        "Content-Type: text/plain; charset=utf-8\r\n\r\nSee the attached brief.",
        'Content-Type: text/html; charset=utf-8\r\n\r\n<p>See <a href="http://192.0.2.1/x">https://bank.test</a></p>',
        'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="brief.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK",
        "Content-Type: message/rfc822\r\n\r\nFrom: x@example.test\r\nSubject: fwd\r\n\r\ninner body",
    ][: i + 1]
    body = "".join(f"--b{i}\r\n{p}\r\n" for p in parts) + f"--b{i}--\r\n"
    return (head + f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n' + body).encode()
