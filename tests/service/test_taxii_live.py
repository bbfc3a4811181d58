"""TAXII 2.1 over real HTTP: `taxii2-client` reads the service's collections (`counterpitch serve` in a
subprocess), and share/taxii_client.py pushes to and pulls from a real `medallion` server.

Every persona, organisation, account and address here is invented.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from taxii2client.v21 import Server, as_pages

from counterpitch.share.taxii_client import Credentials, TaxiiClientError, open_collection, pull, push
from counterpitch.store import taxii
from counterpitch.store.db import Store
from tests.service.live import free_port, serve
from tests.service.test_taxii import _objects

MEDALLION = Path(sys.executable).with_name("medallion")
PEER_USER, PEER_PASSWORD = "peer-isac", "invented-peer-password"
PEER_COLLECTION = "7a1f6a0e-2b7d-4c51-9a0c-3f1e2d4c5b6a"
READ_ONLY = "0c4d7e2a-8b1f-4e3a-9d6c-5a7b8c9d0e1f"
#: The CLI test's own collection: medallion refuses an object it already holds at that version.
CLI_COLLECTION = "3e5f7a9b-1c2d-4e6f-8a0b-2c4d6e8f0a1b"


def _medallion_data() -> dict[str, Any]:
    def collection(cid: str, title: str, write: bool) -> dict[str, Any]:
        return {
            "id": cid,
            "title": title,
            "can_read": True,
            "can_write": write,
            "media_types": ["application/stix+json;version=2.1"],
            "objects": [],
            "manifest": [],
        }

    return {
        "/discovery": {
            "title": "An invented sector ISAC",
            "default": "http://127.0.0.1/trustgroup/",
            "api_roots": ["http://127.0.0.1/trustgroup/"],
        },
        "trustgroup": {
            "information": {
                "title": "Invented trust group",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 9765625,
            },
            "status": [],
            "collections": [
                collection(PEER_COLLECTION, "Shared personas", True),
                collection(READ_ONLY, "Read only", False),
                collection(CLI_COLLECTION, "From the command line", True),
            ],
        },
    }


@pytest.fixture(scope="module")
def medallion(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not MEDALLION.exists():
        pytest.fail("medallion is not installed (pip install -e .[dev])")
    tmp = tmp_path_factory.mktemp("medallion")
    data = tmp / "data.json"
    data.write_text(json.dumps(_medallion_data()), encoding="utf-8")
    config = {
        "backend": {
            "module_class": "MemoryBackend",
            "module": "medallion.backends.memory_backend",
            "filename": str(data),
        },
        "users": {PEER_USER: PEER_PASSWORD},
        "taxii": {"max_page_size": 100},
    }
    (tmp / "config.json").write_text(json.dumps(config), encoding="utf-8")
    port = free_port()
    log = (tmp / "medallion.log").open("wb")
    proc = subprocess.Popen(
        [str(MEDALLION), "--host", "127.0.0.1", "--port", str(port), str(tmp / "config.json")],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/taxii2/", auth=(PEER_USER, PEER_PASSWORD), timeout=1.0)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp / "medallion.log").read_text("utf-8", "replace")[-2000:]) from None
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()


PEER = Credentials(user=PEER_USER, password=PEER_PASSWORD)


def test_when_pushed_to_medallion_then_pulled_back_the_objects_round_trip(medallion: str) -> None:
    objects = _objects(n=4)
    collection = open_collection(f"{medallion}/trustgroup/", PEER, "Shared personas")
    pushed = push(collection, objects, max_bytes=2_000)  # small envelopes: several requests
    assert pushed.envelopes > 1 and pushed.successes == len(objects) and pushed.failures == []
    back = list(pull(open_collection(f"{medallion}/trustgroup/collections/{PEER_COLLECTION}/", PEER)))
    assert {o["id"] for o in back} >= {o["id"] for o in objects}
    by_id = {o["id"]: o for o in back}
    for obj in objects:
        assert by_id[obj["id"]]["type"] == obj["type"]
        if obj["type"] == "indicator":
            assert by_id[obj["id"]]["pattern"] == obj["pattern"]


def test_when_medallion_refuses_then_the_error_says_why(medallion: str) -> None:
    wrong = Credentials(user=PEER_USER, password="not-the-password")
    with pytest.raises(TaxiiClientError, match="401"):
        open_collection(f"{medallion}/trustgroup/", wrong, "Shared personas")
    read_only = open_collection(f"{medallion}/trustgroup/", PEER, READ_ONLY)
    with pytest.raises(TaxiiClientError, match="may not add"):
        push(read_only, _objects(n=1))
    with pytest.raises(TaxiiClientError, match="no collection"):
        open_collection(f"{medallion}/trustgroup/", PEER, "Not there")


def test_when_taxii2_client_reads_the_service_then_it_gets_the_published_collection(tmp_path: Path) -> None:
    with serve(tmp_path, {"ana-invented": "analyst", "rep-invented": "reporter"}) as live:
        objects = _objects(n=5)
        store = Store(live.db)
        try:
            with store.write() as session:
                taxii.publish(session, objects, "green")
        finally:
            store.dispose()
        token = live.cli("tokens", "create", "ana-invented").strip().split()[-1]
        server = Server(f"{live.url}/taxii2/", auth=_bearer(token))
        assert server.title == "Counterpitch"
        (root,) = server.api_roots
        titles = {c.title: c for c in root.collections}
        green = titles["Campaigns (TLP:GREEN)"]
        assert green.can_read and not green.can_write
        pages = list(as_pages(green.get_objects, per_request=2))
        assert len(pages) == 4  # 8 objects, 2 a page
        assert [o["id"] for p in pages for o in p.get("objects", [])] == [o["id"] for o in objects]
        # and share/taxii_client.py reads it as it reads any server
        assert [o["id"] for o in pull(open_collection(green.url, Credentials(token=token)))] == [
            o["id"] for o in objects
        ]
        reporter = live.cli("tokens", "create", "rep-invented").strip().split()[-1]
        with pytest.raises(TaxiiClientError, match="403"):
            open_collection(f"{live.url}/taxii2/counterpitch/", Credentials(token=reporter), "campaigns-green")


def _bearer(token: str) -> Any:
    from counterpitch.share.taxii_client import BearerAuth

    return BearerAuth(token)


def _bundle(path: Path, objects: list[dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps({"type": "bundle", "id": "bundle--1b2c3d4e-0000-4000-8000-000000000001", "objects": objects})
    )
    return path


def test_when_the_cli_pushes_and_pulls_then_a_bundle_round_trips_through_medallion(
    medallion: str, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from counterpitch.cli import app

    runner = CliRunner()
    password = tmp_path / "peer.pass"
    password.write_text(PEER_PASSWORD + "\n")
    objects = _objects(n=2, modified="2026-11-25T09:00:00.000Z")
    auth = ["--user", PEER_USER, "--password-file", str(password)]
    sent = runner.invoke(
        app,
        [
            "share",
            "push",
            f"{medallion}/trustgroup/",
            str(_bundle(tmp_path / "out.json", objects)),
            "-c",
            CLI_COLLECTION,
            *auth,
        ],
    )
    assert sent.exit_code == 0, sent.output
    assert f"{len(objects)} of {len(objects)} object(s) taken" in sent.output
    got = runner.invoke(
        app,
        [
            "share",
            "pull",
            f"{medallion}/trustgroup/collections/{CLI_COLLECTION}/",
            "-o",
            str(tmp_path / "in.json"),
            *auth,
        ],
    )
    assert got.exit_code == 0, got.output
    pulled = json.loads((tmp_path / "in.json").read_text())
    assert pulled["type"] == "bundle"
    assert {o["id"] for o in objects} <= {o["id"] for o in pulled["objects"]}
    assert PEER_PASSWORD not in sent.output + got.output


def test_when_the_cli_is_given_a_bad_bundle_or_no_password_then_it_says_which(medallion: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from counterpitch.cli import app

    runner = CliRunner()
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "bundle", "objects": [{"id": 3}]}')
    r = runner.invoke(app, ["share", "push", f"{medallion}/trustgroup/", str(bad), "-c", PEER_COLLECTION])
    assert r.exit_code == 2 and "bad.json: objects[0]" in r.output
    good = _bundle(tmp_path / "good.json", _objects(n=1))
    r = runner.invoke(
        app,
        ["share", "push", f"{medallion}/trustgroup/", str(good), "-c", PEER_COLLECTION, "--user", PEER_USER],
        env={"COUNTERPITCH_TAXII_PASSWORD": "wrong"},
    )
    assert r.exit_code == 2 and "401" in r.output


def test_when_a_bundle_is_published_then_the_service_serves_it_and_twice_adds_nothing(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from counterpitch.cli import app
    from counterpitch.store.migrate import upgrade

    db = f"sqlite:///{tmp_path / 'pub.db'}"
    store = Store(db)
    upgrade(store.engine)
    store.dispose()
    bundle = _bundle(tmp_path / "b.json", _objects(n=3))
    runner = CliRunner()
    first = runner.invoke(app, ["share", "publish", str(bundle), "--tlp", "GREEN", "--db", db])
    assert first.exit_code == 0, first.output
    assert "campaigns-green: 6 added, 0 already there" in first.output
    assert "indicators-green: 5 added" in first.output
    again = runner.invoke(app, ["share", "publish", str(bundle), "--tlp", "green", "--db", db])
    assert "campaigns-green: 0 added, 6 already there" in again.output
    red = runner.invoke(app, ["share", "publish", str(bundle), "--tlp", "red", "--db", db])
    assert red.exit_code == 2 and "only CLEAR, GREEN, AMBER" in red.output
