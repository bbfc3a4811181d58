"""Device removal tracking (decision 0065), on SQLite and PostgreSQL: imports upsert by site and MAC (else IP,
else asset tag) and keep the status history; status changes are audited and an exemption needs a reason; a
covered device back after removal, or new to a site imported before, raises one alert per device and rule; the
devices page escapes what registers and scans say, refuses reporters and forms without their CSRF token.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from counterpitch.cli import app as cli_app
from counterpitch.devices.imported import DeviceRecord, read_records, record_of
from counterpitch.store import devices
from counterpitch.store.db import Store
from counterpitch.store.migrate import upgrade
from counterpitch.store.tables import Alert, AuditEvent, Device, DeviceStatusChange
from tests.service.world import World

HOSTILE = '<script>alert("x")</script>'


def verdict(asset: str = "", ip: str = "", mac: str = "", site: str = "HQ", **kw: Any) -> dict[str, Any]:
    """A device as `devices audit -f jsonl` writes it (devices.model.Verdict.to_json); invented values."""
    covered = kw.pop("covered", True)
    return {
        "asset": asset,
        "site": site,
        "ip": ip,
        "mac": mac,
        "vendor": kw.pop("vendor", "Hikvision" if covered else "Axis"),
        "brand": kw.pop("brand", ""),
        "covered": covered,
        "check": False,
        "basis": ["us_covered_list", "uk_prc_nil"] if covered else [],
        "confidence": 0.9,
        "conflict": kw.pop("conflict", None),
        "note": None,
        "evidence": kw.pop(
            "evidence",
            [{"kind": "oui", "value": mac or "-", "says": "Hikvision", "weight": 0.9, "source": "scan.xml, host 1"}],
        ),
        "sources": ["scan.xml"],
    }


SITE = [
    verdict("CAM-1", "10.0.0.1", "44:19:B6:00:00:01"),
    verdict("CAM-2", "10.0.0.2", "3C:EF:8C:00:00:02", vendor="Dahua"),
    verdict("CAM-3", "10.0.0.3", "00:40:8C:00:00:03", covered=False),
]


def records(items: list[dict[str, Any]]) -> list[DeviceRecord]:
    return [record_of(v) for v in items]


@pytest.fixture
def store(db_url: str) -> Any:
    s = Store(db_url)
    upgrade(s.engine)
    yield s
    s.dispose()


def _import(store: Store, items: list[dict[str, Any]], source: str = "test") -> devices.ImportResult:
    with store.write() as session:
        return devices.import_records(session, records(items), actor_id=None, source=source)


def test_when_the_same_audit_is_imported_twice_then_nothing_is_added_twice(store: Store) -> None:
    first = _import(store, SITE)
    second = _import(store, SITE)
    assert (first.added, first.updated) == (3, 0)
    assert (second.added, second.updated) == (0, 3)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Device)) == 3
        assert session.scalar(select(func.count()).select_from(DeviceStatusChange)) == 3  # "found", once each
        imports = session.scalars(select(AuditEvent).where(AuditEvent.action == "device.import")).all()
        assert len(imports) == 2
        [site] = devices.sites(session)
        assert (site.devices, site.covered, site.by_status["found"]) == (3, 2, 2)


def test_when_a_scan_adds_the_mac_then_the_register_row_is_updated_not_doubled(store: Store) -> None:
    _import(store, [verdict("CAM-9", "10.0.0.9", "")])  # a register row: no MAC
    _import(store, [verdict("", "10.0.0.9", "44:19:B6:00:00:09")])  # the scan of that address
    _import(store, [verdict("", "10.0.0.9", "44:19:B6:00:00:10")])  # another device on the address since
    _import(store, [verdict("CAM-9", "", "")])  # the register again, by asset tag alone
    with store.read() as session:
        rows = session.scalars(select(Device).order_by(Device.id)).all()
        assert [(d.asset, d.ip, d.mac) for d in rows] == [
            ("CAM-9", "10.0.0.9", "44:19:B6:00:00:09"),
            ("", "10.0.0.9", "44:19:B6:00:00:10"),
        ]


def test_when_the_status_changes_then_each_change_is_kept_and_audited(store: Store, world: World) -> None:
    _import(store, SITE[:1])
    with store.write() as session:
        device_id = session.scalars(select(Device.id)).one()
        analyst = world.user_ids["analyst"]
        devices.set_status(session, analyst, device_id, "scheduled", "removal booked for week 2")
        devices.set_status(session, analyst, device_id, "removed", "")
    with store.read() as session:
        rows, total = devices.listing(session, devices.DeviceFilter())
        assert total == 1
        history = [(h.old_status, h.new_status, h.reason) for h in rows[0].history]
        assert history == [
            (None, "found", "imported from test"),
            ("found", "scheduled", "removal booked for week 2"),
            ("scheduled", "removed", None),
        ]
        assert rows[0].status == "removed" and rows[0].status_by == "ann.analyst"
        audited = session.scalars(select(AuditEvent.detail_json).where(AuditEvent.action == "device.status")).all()
        assert [json.loads(d)["to"] for d in audited] == ["found", "scheduled", "removed"]


def test_when_a_device_is_exempted_without_a_reason_then_it_is_refused(store: Store) -> None:
    _import(store, SITE[:1])
    with store.write() as session:
        device_id = session.scalars(select(Device.id)).one()
        with pytest.raises(devices.DeviceError, match="reason"):
            devices.set_status(session, None, device_id, "exempted", "   ")
        with pytest.raises(devices.DeviceError, match="status"):
            devices.set_status(session, None, device_id, "gone", "x")
        assert devices.set_status(session, None, device_id, "exempted", "isolated test lab, CISO 2026-12-01")
        assert devices.set_status(session, None, 999_999, "removed", "") is None


def test_when_a_record_is_malformed_then_its_file_and_line_are_named(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    good = json.dumps(SITE[0])
    path.write_text(good + "\n{not json\n" + json.dumps({**SITE[0], "covered": "yes"}) + "\n", encoding="utf-8")
    errors: list[str] = []
    got = list(read_records([str(path)], on_error=lambda e: errors.append(str(e))))
    assert len(got) == 1
    assert errors[0].startswith(f"{path}, line 2: ")
    assert errors[1] == f"{path}, line 3: covered: expected true or false"


# --- the page, its alerts and the command -------------------------------------------------------------------
def _jsonl(items: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(v) + "\n" for v in items).encode()


def _upload(world: World, role: str, items: list[dict[str, Any]] | bytes, name: str = "audit.jsonl") -> Any:
    c = world.page(role)
    files = {"file": (name, items if isinstance(items, bytes) else _jsonl(items), "application/octet-stream")}
    return c.post("/devices/import", data={"csrf_token": world.csrf(c), "site": ""}, files=files)


def _alerts(world: World) -> list[tuple[str, str]]:
    with world.app.state.service.store.read() as session:
        return [(a.rule_id, a.dedup_key) for a in session.scalars(select(Alert).order_by(Alert.id))]


def _device_id(world: World, mac: str) -> int:
    with world.app.state.service.store.read() as session:
        return int(session.scalars(select(Device.id).where(Device.mac == mac)).one())


def test_when_a_removed_device_comes_back_then_one_alert_is_raised_and_no_more(world: World) -> None:
    before = len(_alerts(world))
    r = _upload(world, "analyst", SITE)
    assert r.status_code == 200, r.text
    assert len(_alerts(world)) == before  # the site's first import is its baseline
    c = world.page("analyst")
    device_id = _device_id(world, "44:19:B6:00:00:01")
    r = c.post(f"/devices/{device_id}/status", data={"status": "removed", "csrf_token": world.csrf(c)})
    assert r.status_code == 303
    newcomer = verdict("CAM-4", "10.0.0.4", "44:19:B6:00:00:04")
    r = _upload(world, "analyst", [*SITE, newcomer])
    assert r.status_code == 200 and "2 alert(s) raised" in r.text
    raised = _alerts(world)[before:]
    new_id = _device_id(world, "44:19:B6:00:00:04")
    assert raised == [
        ("device.returned", f"device.returned:device:{device_id}:returned"),
        ("device.new", f"device.new:device:{new_id}:new"),
    ]
    with world.app.state.service.store.read() as session:
        alert_id = session.scalars(select(Alert.id).where(Alert.rule_id == "device.returned")).one()
    shown = c.get(f"/alerts/{alert_id}")
    assert shown.status_code == 200 and "Covered device seen again after it was marked removed" in shown.text
    # the device is "found" again, its removal kept in its history
    with world.app.state.service.store.read() as session:
        rows, _ = devices.listing(session, devices.DeviceFilter(status="found"))
        back = next(d for d in rows if d.id == device_id)
        assert [h.new_status for h in back.history] == ["found", "removed", "found"]
    # marked removed again and seen again: the same device and rule raise nothing more
    c.post(f"/devices/{device_id}/status", data={"status": "removed", "csrf_token": world.csrf(c)})
    r = _upload(world, "admin", [*SITE, newcomer])
    assert r.status_code == 200 and "0 alert(s) raised" in r.text
    assert len(_alerts(world)) == before + 2


def test_when_the_alert_is_rendered_then_hostile_text_is_one_line_and_escaped(world: World) -> None:
    _upload(world, "analyst", SITE)
    sneaky = verdict(f"{HOSTILE}\nSubject: x", "10.0.0.5", "44:19:B6:00:00:05", brand="http://evil.example/")
    _upload(world, "analyst", [sneaky])
    with world.app.state.service.store.read() as session:
        alert = session.scalars(select(Alert).where(Alert.rule_id == "device.new")).one()
    assert HOSTILE not in alert.body_html and "&lt;script&gt;" in alert.body_html
    assert "hxxp://evil[.]example/" in alert.body_text
    assert "\nSubject: x" not in alert.body_text
    assert "\n" not in alert.subject


def test_when_the_page_shows_hostile_strings_then_they_are_escaped(world: World) -> None:
    hostile = verdict(
        HOSTILE,
        "10.0.0.7",
        "44:19:B6:00:00:07",
        site=f"Site {HOSTILE}",
        vendor="<img src=x onerror=alert(1)>",
        conflict=f"register says {HOSTILE}",
        evidence=[{"kind": "http", "value": HOSTILE, "says": HOSTILE, "weight": 0.5, "source": HOSTILE}],
    )
    r = _upload(world, "admin", [hostile])
    assert r.status_code == 200, r.text
    for role in ("analyst", "admin"):
        page = world.page(role).get("/devices")
        assert page.status_code == 200
        assert HOSTILE not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
        assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_when_a_reporter_asks_then_403(world: World) -> None:
    c = world.page("reporter")
    assert c.get("/devices").status_code == 403
    r = c.post("/devices/import", data={"csrf_token": world.csrf(c)}, files={"file": ("a.jsonl", _jsonl(SITE))})
    assert r.status_code == 403
    with world.app.state.service.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Device)) == 0


def test_when_a_form_has_no_csrf_token_then_it_is_refused(world: World) -> None:
    _upload(world, "analyst", SITE)
    device_id = _device_id(world, "44:19:B6:00:00:01")
    c = world.page("analyst")
    assert c.post(f"/devices/{device_id}/status", data={"status": "removed"}).status_code == 403
    assert c.post("/devices/import", files={"file": ("a.jsonl", _jsonl(SITE))}).status_code == 403
    r = c.post("/devices/sites/1/deadline", data={"deadline": "2027-01-31", "csrf_token": "forged"})
    assert r.status_code == 403
    with world.app.state.service.store.read() as session:
        assert session.get(Device, device_id).status == "found"  # type: ignore[union-attr]


def test_when_the_page_sets_an_exemption_and_a_deadline_then_they_show(world: World) -> None:
    _upload(world, "analyst", SITE)
    c = world.page("analyst")
    device_id = _device_id(world, "44:19:B6:00:00:01")
    r = c.post(f"/devices/{device_id}/status", data={"status": "exempted", "csrf_token": world.csrf(c)})
    assert r.status_code == 422 and "an exemption needs a reason" in r.text
    why = "Air-gapped lab rig, approved by the CISO"
    r = c.post(f"/devices/{device_id}/status", data={"status": "exempted", "reason": why, "csrf_token": world.csrf(c)})
    assert r.status_code == 303
    site_id = c.get("/devices").text.split('id="site-', 1)[1].split('"', 1)[0]
    r = c.post(f"/devices/sites/{site_id}/deadline", data={"deadline": "2020-01-31", "csrf_token": world.csrf(c)})
    assert r.status_code == 303
    page = c.get("/devices?status=exempted").text
    assert why in page and "2020-01-31" in page and "overdue: 1 still there" in page


def test_when_a_register_is_uploaded_then_the_audit_engine_judges_it(world: World) -> None:
    register = (
        b"asset,site,ip,mac,manufacturer,model\n"
        b"CAM-R1,Depot,10.1.0.1,44:19:B6:00:01:01,Generic,\n"
        b"CAM-R2,Depot,10.1.0.2,00:40:8C:00:01:02,Axis,P3245-LVE\n"
    )
    r = _upload(world, "analyst", register, name="assets.csv")
    assert r.status_code == 200, r.text
    with world.app.state.service.store.read() as session:
        found = {d.asset: (d.covered, d.vendor) for d in session.scalars(select(Device))}
    assert found == {"CAM-R1": (True, "Hikvision"), "CAM-R2": (False, "Axis Communications")}


def test_when_the_command_imports_then_the_store_has_the_devices(db_url: str, tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    audit.write_text(_jsonl(SITE).decode(), encoding="utf-8")
    runner = CliRunner()
    args = ["devices", "import", str(audit), "--db", db_url]
    first = runner.invoke(cli_app, args, env={"COUNTERPITCH_DATA_DIR": str(tmp_path)})
    assert first.exit_code == 0, first.output
    assert "3 device(s) added, 0 updated at 1 site(s)" in first.stdout
    again = runner.invoke(cli_app, args, env={"COUNTERPITCH_DATA_DIR": str(tmp_path)})
    assert "0 device(s) added, 3 updated" in again.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    refused = runner.invoke(cli_app, ["devices", "import", str(bad), "--db", db_url])
    assert refused.exit_code == 2 and "line 1" in refused.output
    assert not (tmp_path / "secret_key").exists()


def test_when_migration_0011_is_undone_and_redone_then_the_device_tables_go_and_come_back(db_url: str) -> None:
    import sqlalchemy as sa
    from alembic import command

    from counterpitch.store.migrate import alembic_config, current_revision, head_revision

    store = Store(db_url)
    try:
        upgrade(store.engine)
        _import(store, SITE)
        with store.engine.begin() as c:
            command.downgrade(alembic_config(c), "0010")
        tables = set(sa.inspect(store.engine).get_table_names())
        assert not {"devices", "device_sites", "device_status_changes"} & tables
        upgrade(store.engine)
        assert current_revision(store.engine) == head_revision()
        assert _import(store, SITE).added == 3
    finally:
        store.dispose()


def test_when_the_history_is_changed_in_the_database_then_it_is_refused(store: Store) -> None:
    import sqlalchemy as sa

    _import(store, SITE[:1])
    for statement in ("UPDATE device_status_changes SET reason = 'rewritten'", "DELETE FROM device_status_changes"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text(statement))
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(DeviceStatusChange)) == 1


def test_when_an_upload_has_bad_records_then_they_are_named_and_the_rest_imported(world: World) -> None:
    c = world.page("analyst")
    body = _jsonl(SITE[:1]) + b"{broken\n" + _jsonl([{**SITE[1], "basis": ["made_up"]}])
    files = {"file": ("hq.jsonl", body, "application/octet-stream")}
    r = c.post("/devices/import", data={"csrf_token": world.csrf(c)}, files=files)
    assert r.status_code == 200
    assert "hq.jsonl, line 2: " in r.text and "hq.jsonl, line 3: basis: expected a list of" in r.text
    assert "1 new device(s)" in r.text
    files = {"file": ("notes.txt", b"hello", "text/plain")}
    r = c.post("/devices/import", data={"csrf_token": world.csrf(c)}, files=files)
    assert r.status_code == 422 and "file: notes.txt: expected .jsonl" in r.text
