"""`counterpitch serve`, `counterpitch users add|set|password`, `counterpitch tokens create|list|revoke`: running
the web service.

Added to the main app by cli/__init__.py. The database URL comes from `--db`, else
`COUNTERPITCH_DATABASE_URL`, else a SQLite file in the data directory; every command migrates it first.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from counterpitch.cli.common import err, fail, open_store, out, using_store

if TYPE_CHECKING:
    from counterpitch.store.accounts import StaffDetails

DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: COUNTERPITCH_DATABASE_URL or SQLite).")]
TitleOpt = Annotated[
    str | None, typer.Option("--title", help="Their job title, e.g. 'Parliamentary Researcher' ('' clears it).")
]
TeamOpt = Annotated[str | None, typer.Option("--team", help="Their team, e.g. 'Trade Committee' ('' clears it).")]
OrgOpt = Annotated[str | None, typer.Option("--organisation", help="Their organisation, if any ('' clears it).")]
users_app = typer.Typer(help="Accounts of the web service.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens of the web service.", no_args_is_help=True)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOpt = None,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
    demo: Annotated[bool, typer.Option("--demo", help="Load the invented demo organisation first.")] = False,
) -> None:
    """Run the web service (pages and the JSON API). Migrates the database on start."""
    import uvicorn

    if db:
        os.environ["COUNTERPITCH_DATABASE_URL"] = db
    if "COUNTERPITCH_COOKIE_SECURE" not in os.environ and _loopback(host):
        # Plain HTTP on loopback: a Secure cookie would never come back. Anywhere else, put TLS in front.
        os.environ["COUNTERPITCH_COOKIE_SECURE"] = "false"
    store = open_store(db)
    if demo:
        from counterpitch.web.alerting import Alerter
        from counterpitch.web.demo import load_demo, sign_in_help
        from counterpitch.web.settings import Settings

        alerter = Alerter.from_settings(Settings.from_env().resolved())
        with store.write() as session:
            _, raised = load_demo(session, alerter=alerter)
        delivered = alerter.dispatch(store, raised)  # as after a reported approach: once the reports are stored
        if delivered is not None:
            delivered.result()
        alerter.close()
        print(sign_in_help(f"http://{host}:{port}/"), flush=True)
    store.dispose()
    uvicorn.run(
        "counterpitch.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        server_header=False,
        proxy_headers=False,
        log_level="info",
    )


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (what they type to sign in).")],
    role: Annotated[str, typer.Option("--role", help="reporter, analyst or admin.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    title: TitleOpt = None,
    team: TeamOpt = None,
    organisation: OrgOpt = None,
    db: DbOpt = None,
) -> None:
    """Create an account with a password (prompted, or read from stdin), and the person's title and team:
    the reports they file are assessed as sent to someone in that role."""
    from counterpitch.store import accounts

    details = _details(title, team, organisation)
    try:  # refuse bad details before asking for a password
        accounts.check_name(name)
        accounts.check_details(details)
    except ValueError as exc:
        raise fail(str(exc)) from None
    password = _read_password(password_stdin)
    with using_store(db) as store, store.write() as session:
        user = accounts.add_user(session, name, role, password=password, details=details)
        described = ", ".join(filter(None, (user.role, _described(accounts.details_of(user)))))
        out.print(f"added {escape(user.name)} ({described})", highlight=False, soft_wrap=True)


@users_app.command("set")
def users_set(
    name: Annotated[str, typer.Argument(help="The user to change.")],
    title: TitleOpt = None,
    team: TeamOpt = None,
    organisation: OrgOpt = None,
    role: Annotated[
        str | None, typer.Option("--role", help="reporter, analyst or admin (ends their page sessions).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Change a user's role, title, team or organisation (options left out stay as they are; '' clears one)."""
    from counterpitch.store import accounts

    details = _details(title, team, organisation)
    if not details and role is None:
        raise fail("give at least one of --title, --team, --organisation or --role")
    with using_store(db) as store, store.write() as session:
        user = accounts.by_name(session, name)
        if user is None:
            raise fail(f"name: no user called {name!r}")
        if role is not None and role != user.role:
            accounts.set_role(session, user.id, role, by=None)
            out.print(f"{escape(user.name)}: role {role}; their page sessions have ended", highlight=False)
        if details:
            accounts.set_details(session, user.id, details, by=None)
            out.print(
                f"{escape(user.name)}: {_described(accounts.details_of(user)) or 'no details'}",
                highlight=False,
                soft_wrap=True,
            )


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="The user whose password to set.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    db: DbOpt = None,
) -> None:
    """Set a new password (prompted, or read from stdin). Every page session of the user ends."""
    from counterpitch.store import accounts

    with using_store(db) as store:
        with store.read() as session:
            if accounts.by_name(session, name) is None:
                raise fail(f"name: no user called {name!r}")
        password = _read_password(password_stdin)
        with store.write() as session:
            user = accounts.by_name(session, name)
            if user is None:
                raise fail(f"name: no user called {name!r}")
            accounts.set_password(session, user.id, password, by=None)
            out.print(f"{escape(user.name)}: password changed; their sessions have ended", highlight=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _details(title: str | None, team: str | None, organisation: str | None) -> dict[str, str | None]:
    given = {"title": title, "team": team, "organisation": organisation}
    return {k: v for k, v in given.items() if v is not None}


def _described(details: StaffDetails) -> str:
    """The stated details as `title 'X', team 'Y'`, escaped for rich (a title may hold square brackets)."""
    stated = [f"{k} {getattr(details, k)!r}" for k in ("title", "team", "organisation") if getattr(details, k)]
    return escape(", ".join(stated))


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="The user the token acts as.")],
    label: Annotated[str | None, typer.Option(help="What the token is for (shown to admins).")] = None,
    db: DbOpt = None,
) -> None:
    """Print a new API token for NAME. It is shown once and stored only as a hash."""
    from counterpitch.store import accounts

    with using_store(db) as store, store.write() as session:
        user = accounts.by_name(session, name)
        if user is None or not user.active:
            raise fail(f"name: no active user called {name!r}")
        token = accounts.create_token(session, user, label)
    err.print("API token (shown once; send it as 'Authorization: Bearer TOKEN'):", highlight=False)
    sys.stdout.write(token + "\n")


@tokens_app.command("list")
def tokens_list(
    name: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    db: DbOpt = None,
) -> None:
    """List API tokens, one a line: id, user, state, created, last used (to the minute, UTC), label (the tokens
    themselves are never stored)."""
    from counterpitch.store import accounts

    with using_store(db) as store, store.read() as session:
        user_id = None
        if name is not None:
            user = accounts.by_name(session, name)
            if user is None:
                raise fail(f"name: no user called {name!r}")
            user_id = user.id
        rows = accounts.list_tokens(session, user_id)
    sys.stdout.write("id\tuser\tstate\tcreated\tlast used\tlabel\n")
    for r in rows:
        created = r.created_at.strftime("%Y-%m-%d %H:%M")
        used = r.last_used_at.strftime("%Y-%m-%d %H:%M") if r.last_used_at is not None else "never"
        sys.stdout.write(f"{r.id}\t{r.user}\t{r.state}\t{created}\t{used}\t{r.label or ''}\n")


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: Annotated[
        int, typer.Argument(help="The token's id, as `tokens list` shows it.", min=1, max=(1 << 63) - 1)
    ],
    db: DbOpt = None,
) -> None:
    """Revoke one API token. Service processes that checked it in the last 10 seconds may still accept it
    until then (web/tokens.py)."""
    from counterpitch.store import accounts

    with using_store(db) as store, store.write() as session:
        row = accounts.revoke_token(session, token_id, by=None)
        if row is None:
            raise fail(f"token: no token with id {token_id}")
    err.print(f"revoked token {token_id}", highlight=False)
