"""`counterpitch share export` and `counterpitch share import`: campaigns out to other organisations as STIX 2.1 or
MISP, and their indicators into the watchlist (issue 15). Added to the main app as `share` (cli/__init__.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counterpitch.cli.common import fail, out, using_store

if TYPE_CHECKING:
    from counterpitch.share.collect import ShareSet, StaffGuard
    from counterpitch.store.db import Store

share_app = typer.Typer(help="Share campaigns with other organisations (STIX 2.1, MISP) and import theirs.")

OrgOpt = Annotated[str, typer.Option("--org", help="Your organisation's name, as the author and the place sighted.")]
TlpOpt = Annotated[str, typer.Option("--tlp", help="TLP 2.0 level: clear, green, amber, amber+strict or red.")]
DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: COUNTERPITCH_DATABASE_URL).")]


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"--since: {value!r} is not an ISO date (YYYY-MM-DD)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def write_share(
    fmt: str, share: ShareSet, guard: StaffGuard, level: str, output: Path | None, feed: Path | None
) -> str | None:
    """Write a share set as STIX or MISP to `output` (or stdout), or as a MISP feed folder; the text written
    (None for a feed)."""
    from counterpitch.share import misp, stix
    from counterpitch.share.collect import StaffLeak
    from counterpitch.share.vocab import tlp

    try:
        marking = tlp(level)
        if feed is not None:
            if fmt != "misp":
                raise fail("--feed writes a MISP feed: use it with -f misp")
            written = misp.write_feed(share, marking, guard, feed)
            out.print_json(json.dumps({"feed": str(feed), "events": [p.name for p in written]}))
            return None
        text = stix.serialise(share, marking, guard) if fmt == "stix" else misp.serialise(share, marking, guard)
    except (StaffLeak, ValueError) as exc:
        raise fail(str(exc)) from None
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
    return text


def _publish(store: Store, bundle_text: str, level: str) -> None:
    """The bundle's objects into the service's TAXII collections of `level` (store/taxii.py)."""
    from counterpitch.store import taxii

    objects = json.loads(bundle_text)["objects"]
    try:
        with store.write() as session:
            added = taxii.publish(session, objects, level.lower())
    except ValueError as exc:
        raise fail(f"--publish: {exc}") from None
    for alias, result in added.items():
        typer.echo(f"{alias}: {len(result.added)} added, {len(result.unchanged)} already there", err=True)


@share_app.command("export")
def export(
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="stix or misp")] = "stix",
    since: Annotated[str | None, typer.Option("--since", help="Only campaigns active since (YYYY-MM-DD).")] = None,
    level: TlpOpt = "amber",
    org: OrgOpt = "Counterpitch user",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    feed: Annotated[Path | None, typer.Option("--feed", help="Write a MISP feed folder here (-f misp).")] = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Also publish the bundle in the service's TAXII collections (-f stix).")
    ] = False,
) -> None:
    """The service's live campaigns as a STIX 2.1 bundle or a MISP event: personas and indicators, never staff.
    With --publish the bundle also goes to the service's TAXII 2.1 collections of its TLP (clear, green, amber)."""
    from counterpitch.share.sources import from_store
    from counterpitch.store import audit

    if fmt not in ("stix", "misp"):
        raise fail(f"--format: {fmt!r} is not one of stix, misp")
    when = _since(since)
    if publish and (fmt != "stix" or feed is not None):
        raise fail("--publish sends a STIX bundle to the TAXII collections: use it with -f stix, without --feed")
    with using_store(db) as store:
        with store.read() as session:
            share, guard = from_store(session, org, when)
        text = write_share(fmt, share, guard, level, output, feed)
        if publish and text is not None:
            _publish(store, text, level)
        with store.write() as session:  # what left the building, and at which TLP
            audit.record(
                session,
                actor_id=None,
                action="share.export",
                object_type="share",
                object_id=fmt,
                detail={
                    "organisation": org,
                    "tlp": level,
                    "since": since,
                    "campaigns": len(share.campaigns),
                    "personas": len(share.personas),
                    "indicators": len(share.indicators),
                    "to": str(feed or output or "stdout"),
                },
            )


@share_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle, a MISP event (JSON) or a MISP feed folder.")],
    db: DbOpt = None,
) -> None:
    """Add the personas and indicators another organisation shared to the watchlist, with their provenance."""
    from counterpitch.share.ingest import ShareImportError, load, store_entries

    try:
        shared = load(path)
    except ShareImportError as exc:
        raise fail(str(exc)) from None
    with using_store(db) as store:
        try:
            with store.write() as session:
                result = store_entries(session, shared)
        except ShareImportError as exc:
            raise fail(str(exc)) from None
    out.print_json(json.dumps(result.to_json()))
