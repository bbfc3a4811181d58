"""The password policy (issue 17): a truth table of refused and accepted passwords, and the policy where
accounts are made and passwords set, on SQLite and PostgreSQL. Invented names and passwords only."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from counterpitch.cli import app as cli_app
from counterpitch.store import passwords
from tests.service.world import PEOPLE, World

NAME = "adam.admin"


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short-one", "12 to 1024 characters"),
        ("x" * 1025, "12 to 1024 characters"),
        (" " * 12, "more than spaces"),
        ("aaaaaaaaaaaa", "repeated"),
        ("ＡＡＡＡＡＡＡＡＡＡＡＡ", "repeated"),  # full-width letters fold to one
        ("abcabcabcabc", "repeated"),
        ("adam.admin-2026", "user name"),
        ("ADAM.ADMIN.ADAM", "user name"),
        ("my-adamadmin-pw", "user name"),  # the name without its dot
        ("password1234", "most common"),
        ("Password1234", "most common"),
        ("Qwerty2026!!", "most common"),
        ("!!monkey!!!!!", "most common"),
        ("1q2w3e4r5t6y", "most common"),
        ("qwertyuiop123", "most common"),
        ("passwordpassword", "most common"),
    ],
)
def test_when_a_password_is_weak_then_it_is_refused_saying_why(password: str, why: str) -> None:
    with pytest.raises(ValueError, match=rf"^password: .*{why}"):
        passwords.check(password, NAME)


@pytest.mark.parametrize(
    "password",
    [
        "invented-pass-123",
        "correct horse battery staple",
        "Teal lantern under 4 bridges",
        "adam-and-the-admins",  # shares words with the name, does not contain it
        "zxq7-wombat-lorry",
        "Ünïcödé mountain tea",
    ],
)
def test_when_a_password_is_long_and_unusual_then_it_is_accepted(password: str) -> None:
    passwords.check(password, NAME)


def test_the_common_list_is_the_shipped_one_with_its_source() -> None:
    common = passwords.common_passwords()
    assert len(common) > 19_000
    assert {"password", "qwerty", "iloveyou"} <= common


def test_when_an_admin_adds_a_user_with_a_weak_password_then_the_page_says_why(world: World) -> None:
    admin = world.page("admin")
    for password, why in (("password1234", "most common"), ("new.person.2026", "user name")):
        data = {"name": "new.person", "role": "reporter", "password": password, "csrf_token": world.csrf(admin)}
        r = admin.post("/admin/users", data=data)
        assert r.status_code == 422 and why in r.text
    assert "new.person" not in admin.get("/admin/users").text


def test_when_a_weak_password_is_set_from_the_command_line_then_it_is_refused(world: World) -> None:
    name = PEOPLE["other"][0]
    for weak in ("aaaaaaaaaaaaaaaa", f"{name}-secret", "iloveyou123456"):
        args = ["users", "password", name, "--password-stdin", "--db", world.settings.database_url]
        r = CliRunner().invoke(cli_app, args, input=weak + "\n")
        assert r.exit_code == 2 and "password:" in r.output, (weak, r.output)
