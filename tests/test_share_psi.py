"""The private set intersection of persona identifiers over ristretto255 (counterpitch.share.psi).

The same two invented organisations as test_share_fingerprints.py, with no key in common: A starts, B replies,
A finishes. Every person, firm, address and handle here is invented.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from counterpitch.cli import app
from counterpitch.share import psi
from counterpitch.share.identifiers import Identifier
from tests.test_share_fingerprints import ORG_A, ORG_B, input_strings

runner = CliRunner()
RFC_DST = b"QUUX-V01-CS02-with-expander-SHA512-256"


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["share", *args])
    return r.exit_code, r.stdout, r.stderr


def three_steps(tmp_path: Path) -> dict[str, Path]:
    f = {n: tmp_path / n for n in ("a1.json", "b1.json", "a.secret", "b.secret")}
    assert run("psi-start", str(ORG_A), "-o", str(f["a1.json"]), "--secret", str(f["a.secret"]))[0] == 0
    code, _, stderr = run(
        "psi-reply", str(f["a1.json"]), str(ORG_B), "-o", str(f["b1.json"]), "--secret", str(f["b.secret"])
    )
    assert code == 0, stderr
    return f


@pytest.mark.parametrize(
    ("msg", "length", "expected"),
    [  # RFC 9380 appendix K.3, expand_message_xmd(SHA-512)
        (b"", 32, "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"),
        (b"abc", 32, "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"),
        (
            b"",
            128,
            "41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921b052b62eaed99b46f72f2ef4cc96bfaf254ebbbe"
            "c091e1a3b9e4fb5e5b619d2e0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7eb00a7cff859b605da"
            "678b318bd0e65ebff70bec88c753b159a805d2c89c55961",
        ),
    ],
)
def test_when_expanding_then_rfc_9380_vectors_hold(msg: bytes, length: int, expected: str) -> None:
    assert psi.expand_message_xmd(msg, RFC_DST, length).hex() == expected


def test_when_hashing_to_the_group_then_kind_and_value_both_count() -> None:
    p = psi.hash_to_group(Identifier("email", "a@b.example"))
    assert p == psi.hash_to_group(Identifier("email", "a@b.example"))
    assert p != psi.hash_to_group(Identifier("url", "a@b.example"))
    assert psi.check_point(p.hex(), "here") == p


def test_when_blinded_in_either_order_then_the_same_point() -> None:
    a, b = psi.random_scalar(), psi.random_scalar()
    h = psi.hash_to_group(Identifier("handle", "wechat:marcus_vell88"))
    assert psi.blind(b, psi.blind(a, h)) == psi.blind(a, psi.blind(b, h))
    assert psi.blind(a, h) != psi.blind(b, h)


def test_when_both_sides_run_then_a_learns_the_shared_personas(tmp_path: Path) -> None:
    f = three_steps(tmp_path)
    code, stdout, _ = run(
        "psi-finish", str(f["a1.json"]), str(f["b1.json"]), "--secret", str(f["a.secret"]), "-f", "json"
    )
    assert code == 0
    doc = json.loads(stdout)
    assert {h["persona"]: h["kinds"] for h in doc["held"]} == {"a-101": ["url", "email", "name"], "a-103": ["handle"]}
    assert doc["identifiers"] == {"mine": 7, "theirs": 8}


def test_when_files_are_exchanged_then_no_identifier_is_in_clear(tmp_path: Path) -> None:
    f = three_steps(tmp_path)
    forbidden = input_strings()
    for name in ("a1.json", "b1.json", "a.secret", "b.secret"):
        text = f[name].read_text("utf-8").casefold()
        assert sorted(s for s in forbidden if s in text) == [], name
    sent = f["a1.json"].read_text("utf-8")
    assert "a-101" not in sent  # A's persona ids stay in A's secret file
    for name in ("a.secret", "b.secret"):
        assert stat.S_IMODE(f[name].stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("point", "problem"),
    [
        ("zz" * 32, "not a point"),
        ("00" * 31, "not a point"),
        ("00" * 32, "not a valid ristretto255 point"),
        ("ff" * 32, "not a valid ristretto255 point"),
        (17, "not a point"),
    ],
)
def test_when_a_point_is_malformed_then_reply_refuses(tmp_path: Path, point: object, problem: str) -> None:
    f = three_steps(tmp_path)
    doc = json.loads(f["a1.json"].read_text())
    doc["points"][2] = point
    f["a1.json"].write_text(json.dumps(doc))
    code, _, stderr = run("psi-reply", str(f["a1.json"]), str(ORG_B), "-o", str(tmp_path / "x.json"))
    assert code == 2 and "points[2]" in stderr and problem in stderr
    assert not (tmp_path / "x.json").exists()


def test_when_a_reply_is_tampered_then_finish_refuses(tmp_path: Path) -> None:
    f = three_steps(tmp_path)
    doc = json.loads(f["b1.json"].read_text())
    doc["replies"].pop()
    f["b1.json"].write_text(json.dumps(doc))
    code, _, stderr = run("psi-finish", str(f["a1.json"]), str(f["b1.json"]), "--secret", str(f["a.secret"]))
    assert code == 2 and "not whole" in stderr


def test_when_the_secret_is_of_another_run_then_finish_refuses(tmp_path: Path) -> None:
    f = three_steps(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    g = three_steps(other)
    code, _, stderr = run("psi-finish", str(f["a1.json"]), str(f["b1.json"]), "--secret", str(g["a.secret"]))
    assert code == 2 and "not of one run" in stderr
    code, _, stderr = run("psi-finish", str(f["a1.json"]), str(f["b1.json"]), "--secret", str(f["b.secret"]))
    assert code == 2 and "reply side's secret" in stderr


def test_when_files_are_swapped_then_clear_errors(tmp_path: Path) -> None:
    f = three_steps(tmp_path)
    code, _, stderr = run("psi-reply", str(f["b1.json"]), str(ORG_B), "-o", str(tmp_path / "x.json"))
    assert code == 2 and "a 'reply' file where a 'start' file was expected" in stderr
    code, _, stderr = run("psi-finish", str(f["a1.json"]), str(ORG_B), "--secret", str(f["a.secret"]))
    assert code == 2 and "not JSON" in stderr
    doc = json.loads(f["a1.json"].read_text())
    doc["version"] = 2
    f["a1.json"].write_text(json.dumps(doc))
    code, _, stderr = run("psi-reply", str(f["a1.json"]), str(ORG_B), "-o", str(tmp_path / "x.json"))
    assert code == 2 and "version 2" in stderr


def test_when_a_secret_exists_then_start_keeps_it(tmp_path: Path) -> None:
    f = three_steps(tmp_path)
    before = f["a.secret"].read_text()
    code, _, stderr = run("psi-start", str(ORG_A), "-o", str(tmp_path / "again.json"), "--secret", str(f["a.secret"]))
    assert code == 2 and "already exists" in stderr and f["a.secret"].read_text() == before


def test_when_nothing_is_shared_then_nothing_is_held(tmp_path: Path) -> None:
    lone = tmp_path / "lone.yaml"
    lone.write_text(
        "- {id: z-1, kind: persona, name: Quill Sparrow, company: Fenwick Row Holdings,"
        " emails: [q.sparrow@fenwick-row.example], source: own, date: '2026'}\n"
    )
    a1, b1, secret = tmp_path / "a1.json", tmp_path / "b1.json", tmp_path / "a.secret"
    assert run("psi-start", str(lone), "-o", str(a1), "--secret", str(secret))[0] == 0
    assert run("psi-reply", str(a1), str(ORG_B), "-o", str(b1))[0] == 0
    code, stdout, _ = run("psi-finish", str(a1), str(b1), "--secret", str(secret), "-f", "json")
    assert code == 0 and json.loads(stdout)["held"] == []
