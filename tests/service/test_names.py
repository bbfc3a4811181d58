"""User names (issue 17), on SQLite and PostgreSQL: one account however a name's case is typed, and no new name
that looks like an existing one. Invented accounts only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from counterpitch.store import accounts
from counterpitch.store.db import Store
from counterpitch.store.migrate import current_revision, head_revision, upgrade
from tests.service.world import PASSWORD, PEOPLE, World, csrf_from_html, session_of

ADMIN = PEOPLE["admin"][0]  # ada.admin


def sign_in(world: World, name: str, password: str = PASSWORD) -> tuple[int, int | None]:
    c = world.client()
    token = csrf_from_html(c.get("/signin").text)
    r = c.post("/signin", data={"name": name, "password": password, "csrf_token": token})
    uid = session_of(c, world.settings.secret_key).get("uid") if r.status_code == 303 else None
    return r.status_code, uid


@pytest.mark.parametrize("typed", ["ADA.ADMIN", "Ada.Admin", " ada.admin ", "ａｄａ.ａｄｍｉｎ"])
def test_when_the_name_is_typed_in_another_case_or_width_then_it_signs_in_to_the_same_account(
    world: World, typed: str
) -> None:
    assert sign_in(world, typed) == (303, world.user_ids["admin"])


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("ADA.ADMIN", "already exists"),
        ("ａｄａ.ａｄｍｉｎ", "already exists"),  # full-width letters are the same name
        ("ada.adm\u0456n", "looks like the existing user 'ada.admin'"),  # Cyrillic і
        ("\u0430da.admin", "looks like the existing user 'ada.admin'"),  # Cyrillic а
        ("ada.admIn", "already exists"),  # a capital is the same name
        ("ann.ana1yst", "looks like the existing user 'ann.analyst'"),  # 1 for l
        ("ann.anaIyst", "looks like the existing user 'ann.analyst'"),  # capital I for l
        ("ada.adrnin", "looks like the existing user 'ada.admin'"),  # rn for m
        ("0tto.reporter", "looks like the existing user 'otto.reporter'"),  # zero for O
    ],
)
def test_when_a_new_name_is_taken_or_looks_like_one_then_it_is_refused(world: World, name: str, why: str) -> None:
    admin = world.page("admin")
    data = {"name": name, "role": "admin", "password": "a-long-password", "csrf_token": world.csrf(admin)}
    r = admin.post("/admin/users", data=data)
    assert r.status_code == 422 and why in r.text.replace("&#39;", "'"), r.text[-600:]


@pytest.mark.parametrize("name", ["ada.admin2", "adam.admin", "dana.admin", "Ωmega.analyst"])
def test_when_a_new_name_only_resembles_in_spelling_then_it_is_accepted(world: World, name: str) -> None:
    admin = world.page("admin")
    data = {"name": name, "role": "reporter", "password": "a-long-password", "csrf_token": world.csrf(admin)}
    assert admin.post("/admin/users", data=data).status_code == 303


def test_when_a_look_alike_name_signs_in_then_it_is_not_the_account_it_imitates(world: World) -> None:
    assert sign_in(world, "ada.adm\u0456n") == (401, None)


def test_case_variants_count_against_the_same_sign_in_limit(world: World) -> None:
    for typed in ("ANN.ANALYST", "Ann.Analyst", "ann.ANALYST", "ＡＮＮ.analyst", "ann.analyst"):
        assert sign_in(world, typed, "wrong-password")[0] == 401
    assert sign_in(world, "ann.analyst")[0] == 429


def test_migration_0007_keys_existing_names_and_keeps_old_case_twins_apart(db_url: str) -> None:
    store = Store(db_url)
    try:
        upgrade(store.engine, "0006")
        with store.engine.begin() as c:
            for name in ("Old.Hand", "old.hand", "Zoë.Keeper"):
                c.execute(
                    sa.text(
                        "INSERT INTO users (name, role, active, created_at) "
                        "VALUES (:n, 'reporter', true, CURRENT_TIMESTAMP)"
                    ),
                    {"n": name},
                )
        upgrade(store.engine)
        assert current_revision(store.engine) == head_revision()
        with store.read() as session:
            keys = {n: k for n, k in session.execute(sa.text("SELECT name, name_key FROM users"))}
            assert keys["Old.Hand"] == "old.hand" and keys["Zoë.Keeper"] == "zoë.keeper"
            assert keys["old.hand"].startswith("old.hand#")
            assert getattr(accounts.by_name(session, "old.hand"), "name", None) == "old.hand"  # exact first
            assert getattr(accounts.by_name(session, "OLD.HAND"), "name", None) == "Old.Hand"  # then the key
            assert getattr(accounts.by_name(session, "ZOË.KEEPER"), "name", None) == "Zoë.Keeper"
        with store.write() as session, pytest.raises(ValueError, match="already exists"):
            accounts.add_user(session, "OLD.hand", "reporter", password="a-long-password")
    finally:
        store.dispose()
