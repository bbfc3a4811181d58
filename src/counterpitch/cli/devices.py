"""`counterpitch devices audit`: asset registers and nmap scans in, one verdict per device out: who really made
it, whether it is covered (`us_covered_list`, `uk_prc_nil`), the evidence and any conflict. A thin face over
counterpitch.devices (added to the main app as the `devices` group by cli/__init__.py).

Outputs: `--format` picks what goes to standard output, streamed as devices are decided (table: per-site
counts and the devices to remove, for a person; json: one object, `devices` then `summary`; jsonl: one verdict
a line; csv: one row a device, formula-safe). `--html FILE` writes the self-contained site report.
`counterpitch devices import FILE... --db URL [--site S]` keeps the devices in the service's database for removal
tracking (store/devices.py, decision 0065), a thin face over the same function as the service's import form.
Exit codes as every command: 0 done, 2 bad input (a missing file, a refused record: without --keep-going the
first one stops the audit; with it every one is reported and the rest audited, and the exit is still 2).
"""

from __future__ import annotations

import csv
import json
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from counterpitch.cli.common import BAD_INPUT, Stop, Tally, err, fail, out

if TYPE_CHECKING:
    from counterpitch.devices.model import Verdict
    from counterpitch.devices.summary import Summary

FORMATS = ("table", "json", "jsonl", "csv")
#: Devices to remove shown by `--format table`; the other formats have all of them.
TABLE_ROWS = 100
_SHORT = {"us_covered_list": "US", "uk_prc_nil": "UK"}

devices_app = typer.Typer(help="Devices: find equipment from covered makers in asset registers and nmap scans.")


@devices_app.command("audit")
def audit(
    inputs: Annotated[list[str], typer.Argument(help="Asset registers (.csv, .xlsx) and nmap XML scans (nmap -oX).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, jsonl or csv")] = "table",
    html: Annotated[Path | None, typer.Option("--html", help="Write the self-contained site report here.")] = None,
    site: Annotated[
        str, typer.Option("--site", help="The site of records that name none (every nmap scan's hosts).")
    ] = "",
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="Register column to field, COLUMN=FIELD; repeatable.")
    ] = None,
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Skip bad rows and files; audit the rest.")] = False,
) -> None:
    """Find equipment made by companies on the US Covered List or subject to the PRC National Intelligence Law:
    every device's maker from its MAC block, model number, banners, ports, SNMP and names, with the evidence,
    OEM brands shown and conflicting clues flagged."""
    from counterpitch.devices.readers import ColumnMap
    from counterpitch.devices.run import audit_devices
    from counterpitch.devices.summary import Summary
    from counterpitch.devices.tables import default_tables

    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    for path in inputs:
        p = Path(path)
        if not p.is_file():
            raise fail(f"{path}: {'a folder, not a file' if p.is_dir() else 'no such file'}")
    if html is not None and not html.parent.is_dir():
        raise fail(f"{html}: its folder does not exist")
    try:
        columns = ColumnMap.parse(mapping or [])
        tables = default_tables()
    except ValueError as exc:
        raise fail(str(exc)) from None
    tally = Tally(keep_going, "stopped at the first bad record; --keep-going audits the rest")
    summary = Summary()
    write = _writer(fmt)
    try:
        for verdict in audit_devices(inputs, columns=columns, site=site, tables=tables, on_error=tally.reject):
            summary.add(verdict)
            write(verdict)
    except Stop:
        raise typer.Exit(BAD_INPUT) from None
    _finish(fmt, summary)
    if html is not None:
        from counterpitch.report.devices_html import render_devices

        try:
            html.write_text(render_devices(summary, tables, errors=tally.errors), encoding="utf-8")
        except OSError as exc:
            raise fail(f"{html}: cannot write: {exc.strerror}") from None
    if tally.errors:
        err.print(f"{tally.errors} record(s) rejected", style="red")
        raise typer.Exit(BAD_INPUT)


@devices_app.command("import")
def import_cmd(
    inputs: Annotated[
        list[str],
        typer.Argument(help="What `devices audit -f jsonl` (or -f json) wrote, or registers and nmap XML scans."),
    ],
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL (default: COUNTERPITCH_DATABASE_URL or SQLite).")
    ] = None,
    site: Annotated[
        str, typer.Option("--site", help="The site of records that name none (every nmap scan's hosts).")
    ] = "",
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Skip bad records; import the rest.")] = False,
) -> None:
    """Import audited devices into the service's database for removal tracking: each device added, or updated
    by its site and MAC (else IP, else asset tag) with its status history kept; a covered device back after
    it was marked removed, or new to a site imported before, raises the service's device alerts."""
    from counterpitch.cli.common import using_store
    from counterpitch.devices.imported import read_records
    from counterpitch.web.alerting import Alerter, import_devices
    from counterpitch.web.settings import Settings

    for path in inputs:
        p = Path(path)
        if not p.is_file():
            raise fail(f"{path}: {'a folder, not a file' if p.is_dir() else 'no such file'}")
    tally = Tally(keep_going, "stopped at the first bad record; nothing was imported; --keep-going imports the rest")
    # The service's alert rules and delivery settings (COUNTERPITCH_* variables). The secret key signs nothing
    # here: a throwaway one, so the service's is neither read nor made.
    try:
        alerter = Alerter.from_settings(Settings.from_env(secret_key=secrets.token_hex(32)))
    except ValueError as exc:
        raise fail(str(exc)) from None
    try:
        # Read (and audit) before the transaction, which then holds the database's write lock only to store.
        records = list(read_records(inputs, site=site, on_error=tally.reject))
        with using_store(db) as store:
            result = import_devices(store, alerter, records, actor_id=None, source=", ".join(inputs)[:500])
    except Stop:
        raise typer.Exit(BAD_INPUT) from None
    finally:
        alerter.close()  # waits for the alerts' delivery
    out.print(
        f"{result.added} device(s) added, {result.updated} updated at {len(result.sites)} site(s); "
        f"{len(result.returned)} covered back after removal, {len(result.new_covered)} new covered; "
        f"{result.alerts} alert(s) raised",
        highlight=False,
    )
    if tally.errors:
        err.print(f"{tally.errors} record(s) rejected", style="red")
        raise typer.Exit(BAD_INPUT)


def _writer(fmt: str) -> Callable[[Verdict], None]:
    """What each verdict does to standard output as it is decided."""
    from counterpitch.devices.export import COLUMNS, csv_row, json_line

    if fmt == "jsonl":
        return lambda v: print(json_line(v))
    if fmt == "csv":
        rows = csv.writer(sys.stdout, lineterminator="\n")
        rows.writerow(COLUMNS)
        return lambda v: rows.writerow(csv_row(v))
    if fmt == "json":
        sys.stdout.write('{"devices": [')
        first = [True]

        def one(v: Verdict) -> None:
            sys.stdout.write(("\n" if first[0] else ",\n") + json_line(v))
            first[0] = False

        return one
    return lambda v: None


def _finish(fmt: str, summary: Summary) -> None:
    if fmt == "json":
        sys.stdout.write('\n], "summary": ' + json.dumps(summary.to_json(), ensure_ascii=False) + "}\n")
    elif fmt == "table":
        _print_table(summary)


def _print_table(summary: Summary) -> None:
    out.print(
        f"[bold]Device audit[/]: {summary.devices} devices at {len(summary.sites)} site(s); "
        f"[red]{summary.covered} to remove[/]."
    )
    for name, s in sorted(summary.sites.items()):
        makers = ", ".join(f"{escape(k)} {n}" for k, n in s.makers.most_common())
        bases = ", ".join(f"{k} {n}" for k, n in s.bases.most_common())
        out.print(
            f"[bold]{escape(name)}[/]: {s.devices} devices, {s.covered} to remove"
            + (f" ({makers}; {bases})" if s.covered else "")
            + (f", {s.conflicts} with conflicting clues" if s.conflicts else "")
            + (f", {s.to_check} to check" if s.to_check else "")
        )
    listed = [v for s in summary.sites.values() for v in s.remove][:TABLE_ROWS]
    if not listed:
        return
    t = Table(title="devices to remove", title_justify="left", show_edge=False)
    for col in ("site", "asset", "address", "maker", "basis", "conf.", "conflict"):
        t.add_column(col)
    for v in listed:
        maker = v.vendor + (f" (sold as {v.brand})" if v.brand else "")
        basis = "+".join(_SHORT[b] for b in v.basis)
        t.add_row(
            *(escape(x) for x in (v.site, v.asset, v.ip or v.mac, maker, basis)),
            f"{v.confidence:.2f}",
            escape(v.conflict),
        )
    out.print(t)
    if summary.covered > len(listed):
        out.print(f"and {summary.covered - len(listed)} more: -f csv or -f jsonl lists every device", style="dim")
