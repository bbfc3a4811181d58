"""The sender's photo in the service (issue 14 item 4): taken by the form and the API, read by the safe loader
(a bad image is a 422 within 2 s with nothing stored), kept as a thumbnail and a hash (deleted with the report),
served alone to those who may see the report, and "one face, many names" linking reports into a campaign whose
alert fires. Runs on SQLite and PostgreSQL.

Every person, firm and message here is invented; the faces are the shared development set's.
"""

from __future__ import annotations

import base64
import io
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import delete, func, select

from counterpitch.campaigns.relink import relink_all
from counterpitch.photo.keep import THUMB_SIDE
from counterpitch.store.tables import Alert, LinkKey, Report, ReportPhoto
from counterpitch.web.security import CSP
from tests.conftest import SHARED
from tests.service.world import World, approach
from tests.test_photo_load import jpeg_bytes, png_header_only

FACES = SHARED / "data" / "faces"
GENERATED = FACES / "stylegan3" / "sg3_seed700001_psi0.70.png"
OTHER_FACE = FACES / "stylegan3" / "sg3_seed700002_psi0.85.png"
REAL = FACES / "real" / "pixabay_female-4875046_1280.jpg"


@pytest.fixture(scope="module")
def faces() -> Path:
    if not GENERATED.is_file() or not REAL.is_file() or not OTHER_FACE.is_file():
        pytest.skip("the shared development faces are not beside this checkout")
    return FACES


def data_uri(data: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


def recompressed(path: Path, side: int = 200, quality: int = 70) -> bytes:
    """The photo as another profile would carry it: resized and saved again as a JPEG."""
    with Image.open(path) as im:
        im = im.convert("RGB")
        im.thumbnail((side, side))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality)
        return buf.getvalue()


def real_bomb() -> bytes:
    """A valid PNG of 10,000 x 10,000 one-bit pixels, all black: 100 megapixels in about 12 KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    side = 10_000
    rows = (b"\0" + b"\0" * (side // 8)) * side
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def with_sender(n: str, name: str, company: str, photo: str | None, text: str | None = None) -> dict[str, Any]:
    doc = approach(n, text)
    del doc["recipient"]  # sent to the reporter: each member of staff is a target of their own
    doc["sender"] = {"name": name, "company": company, **({"photo": photo} if photo else {})}
    return doc


def counts(world: World) -> tuple[int, int]:
    with world.app.state.service.store.read() as s:
        return (s.scalar(select(func.count()).select_from(Report)) or 0), (
            s.scalar(select(func.count()).select_from(ReportPhoto)) or 0
        )


def test_when_the_api_gets_a_generated_face_then_the_finding_is_given_and_only_a_thumbnail_and_hash_are_kept(
    world: World, faces: Path
) -> None:
    r = world.api("reporter").post(
        "/api/v1/reports",
        json=with_sender("p1", "Emma Lawson", "Brightwell Advisory", data_uri(GENERATED.read_bytes())),
    )
    assert r.status_code == 201, r.text
    report_id = r.json()["id"]
    findings = {f["detector"]: f for f in r.json()["assessment"]["findings"]}
    assert "persona.generated_photo" in findings
    assert "StyleGAN" in findings["persona.generated_photo"]["explanation"]
    with world.app.state.service.store.read() as s:
        row = s.get(ReportPhoto, report_id)
        assert row is not None and row.faces == 1 and row.media_type == "image/png"
        thumb = Image.open(io.BytesIO(row.thumbnail))
        assert thumb.format == "PNG" and max(thumb.size) == THUMB_SIDE
        stored = s.get(Report, report_id)
        assert stored is not None
        assert "base64" not in stored.approach_json  # the upload itself is not stored
        assert '"photo"' not in stored.approach_json


def test_when_the_photo_is_read_in_a_child_then_the_verdict_is_the_one_the_upload_itself_gets(
    world: World, faces: Path
) -> None:
    """The engine reads the child's lossless re-encoding of the decoded image: the same pixels, the same score."""
    from counterpitch.photo import check_photo

    for path, kind in ((GENERATED, "png"), (REAL, "jpeg")):
        uri = data_uri(path.read_bytes(), kind)
        r = world.api("reporter").post("/api/v1/assess", json=with_sender(f"same-{kind}", "Ada Fern", "Kite", uri))
        assert r.status_code == 200, r.text
        found = [f for f in r.json()["findings"] if f["detector"] == "persona.generated_photo"]
        direct = check_photo(uri)
        assert [f["value"] for f in found] == ([f"{direct.generated:.2f}"] if direct.flag else [])
    assert found == [] and counts(world)[1] == 0  # the real face is not flagged; assessing stores nothing


def test_when_a_jpeg_with_metadata_is_kept_then_the_thumbnail_carries_none_of_it(world: World) -> None:
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "GPS and camera: invented secret"  # ImageDescription
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPSInfo
    Image.linear_gradient("L").resize((400, 300)).convert("RGB").save(buf, "JPEG", exif=exif.tobytes())
    r = world.api("reporter").post(
        "/api/v1/reports", json=with_sender("meta", "Ola Brandt", "Kestrel Partners", data_uri(buf.getvalue(), "jpeg"))
    )
    assert r.status_code == 201, r.text
    with world.app.state.service.store.read() as s:
        row = s.get(ReportPhoto, r.json()["id"])
        assert row is not None and row.faces == 0
        assert b"invented secret" not in row.thumbnail and b"Exif" not in row.thumbnail
        assert not Image.open(io.BytesIO(row.thumbnail)).getexif()


BAD = {
    "truncated": (jpeg_bytes()[:1500], "truncated"),
    "20,000 x 20,000 px": (png_header_only(20_000, 20_000), "decompression bomb"),
    "decompression bomb": (real_bomb(), "decompression bomb"),
    "not an image": (b"Dear Sir, this is not a photo at all.\n" * 20, "not an image"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_when_the_api_gets_a_bad_image_then_422_within_2_s_and_nothing_is_stored(world: World, kind: str) -> None:
    data, words = BAD[kind]
    before = counts(world)
    started = time.monotonic()
    r = world.api("reporter").post(
        "/api/v1/reports", json=with_sender(f"bad-{kind}", "Emma Lawson", "Brightwell", data_uri(data))
    )
    elapsed = time.monotonic() - started
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("sender.photo: ") and words in r.json()["detail"]
    assert elapsed < 2.0, elapsed
    assert counts(world) == before


@pytest.mark.parametrize("kind", list(BAD))
def test_when_the_form_gets_a_bad_image_then_422_names_the_file_within_2_s_and_nothing_is_stored(
    world: World, kind: str
) -> None:
    data, words = BAD[kind]
    c = world.page("reporter")
    before = counts(world)
    started = time.monotonic()
    r = c.post(
        "/report",
        data={"text": "We pay well for notes; keep it between us.", "csrf_token": world.csrf(c)},
        files={"sender_photo": ("face.png", data, "image/png")},
    )
    elapsed = time.monotonic() - started
    assert r.status_code == 422, r.text
    assert "sender.photo: face.png: " in r.text and words in r.text
    assert elapsed < 2.0, elapsed
    assert counts(world) == before


@pytest.mark.parametrize(
    "ref", ["/etc/passwd", "https://media.invented.example/face.jpg", "../shared/data/faces/real/x.jpg"]
)
@pytest.mark.parametrize("route", ["/api/v1/reports", "/api/v1/assess"])
def test_when_the_photo_is_a_path_or_url_then_422_and_nothing_is_read_or_stored(
    world: World, ref: str, route: str
) -> None:
    before = counts(world)
    r = world.api("reporter").post(route, json=with_sender("path", "Emma Lawson", "Brightwell", ref))
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("sender.photo: send the photo itself")
    assert counts(world) == before


def test_when_the_photo_is_served_then_only_those_who_see_the_report_get_it_with_the_service_headers(
    world: World, faces: Path
) -> None:
    r = world.api("reporter").post(
        "/api/v1/reports", json=with_sender("p2", "Emma Lawson", "Brightwell", data_uri(REAL.read_bytes(), "jpeg"))
    )
    assert r.status_code == 201, r.text
    url = f"/reports/{r.json()['id']}/photo"
    for role in ("reporter", "analyst", "admin"):
        got = world.page(role).get(url)
        assert got.status_code == 200, (role, got.status_code)
        assert got.headers["content-type"] == "image/png"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-security-policy"] == CSP
        assert got.headers["cache-control"] == "no-store"
        assert Image.open(io.BytesIO(got.content)).format == "PNG"
    assert world.page("other").get(url).status_code == 404
    assert world.page("anonymous").get(url).status_code == 303
    assert world.api("reporter").get(url).status_code == 303  # a bearer token is not a page session


def test_when_the_form_carries_a_photo_then_the_case_page_shows_it_from_its_route_with_the_finding(
    world: World, faces: Path
) -> None:
    c = world.page("reporter")
    r = c.post(
        "/report",
        data={
            "text": "We pay GBP 1,500 for short notes on policy before it is public. Keep it between us.",
            "sender_name": "Emma Lawson",
            "csrf_token": world.csrf(c),
        },
        files={"sender_photo": ("emma.png", GENERATED.read_bytes(), "image/png")},
    )
    assert r.status_code == 303, r.text
    report_id = int(r.headers["location"].split("/")[2].split("?")[0])
    verdict = c.get(r.headers["location"])
    assert f'<img src="/reports/{report_id}/photo"' in verdict.text
    case = world.page("analyst").get(f"/cases/{report_id}")
    assert case.status_code == 200
    assert f'<img src="/reports/{report_id}/photo"' in case.text
    assert "data:image" not in case.text.split('<section class="card profile">')[1].split("</figure>")[0]
    assert "Sender&#39;s photo is a generated face" in case.text or "Sender's photo is a generated face" in case.text
    assert "StyleGAN" in case.text
    assert "data:image" not in case.text  # neither the photo nor the start of its URI is inlined anywhere


PERSONAS = (  # three invented personas wearing one face, each writing differently to a different member of staff
    ("reporter", "Emma Lawson", "Brightwell Advisory", 0),
    ("other", "Sofia Marten", "Northgate Horizon", 200),
    ("analyst", "Clara Weiss", "Osterby Research", 320),
)
TEXTS = (
    "Hello, your work on grid policy is impressive. Our client pays 2,000 pounds a month for short private "
    "briefings on it; please keep this between us.",
    "Good morning. I run a research network in Hong Kong and we reward experts generously for confidential notes "
    "on upcoming ministry decisions. Discretion matters to us.",
    "Hi there, a quick proposal: paid consulting on your department's internal plans, cash or crypto, and nobody "
    "else needs to know. Can we move to Telegram?",
)

STRANGER = "Dear colleague, we pay well for an hour of your time on confidential matters; shall we speak privately?"


def test_when_the_same_personas_come_without_a_photo_then_nothing_links_them(world: World) -> None:
    """The control: what links the reports below is the photo, not their names, firms or words."""
    for (role, name, firm, _), text in zip(PERSONAS, TEXTS, strict=True):
        r = world.api(role).post("/api/v1/reports", json=with_sender(f"plain-{role}", name, firm, None, text))
        assert r.status_code == 201, r.text
        assert world.api("analyst").get(f"/api/v1/reports/{r.json()['id']}").json()["campaign_id"] is None


def test_when_one_face_comes_back_under_other_names_then_the_reports_share_a_campaign_and_its_alert_fires(
    world: World, faces: Path
) -> None:
    made = []
    for (role, name, firm, side), text in zip(PERSONAS, TEXTS, strict=True):
        photo = data_uri(GENERATED.read_bytes()) if not side else data_uri(recompressed(GENERATED, side), "jpeg")
        made.append(world.api(role).post("/api/v1/reports", json=with_sender(f"face-{role}", name, firm, photo, text)))
    made.append(
        world.api("admin").post(
            "/api/v1/reports",
            json=with_sender("face-x", "Ida Kron", "Lumen Talent", data_uri(OTHER_FACE.read_bytes()), STRANGER),
        )
    )
    for r in made:
        assert r.status_code == 201, r.text
    ids = [r.json()["id"] for r in made]
    reports = {i: world.api("analyst").get(f"/api/v1/reports/{i}").json() for i in ids}
    campaign = reports[ids[0]]["campaign_id"]
    assert campaign is not None
    assert [reports[i]["campaign_id"] for i in ids[1:3]] == [campaign, campaign]
    assert reports[ids[3]]["campaign_id"] is None  # another face
    listed = {c["id"]: c for c in world.api("analyst").get("/api/v1/campaigns").json()["campaigns"]}
    assert {"kind": "photo", "value": "the same photo (perceptual hash)"} in listed[campaign]["indicators"]
    alerts = world.app.state.service.alerts(world.app.state.service.actor_by_id(world.user_ids["analyst"]))
    bands = [reports[i]["assessment"]["band"] for i in ids]
    seen = [(a.rule_id, a.campaign_id, a.report_id) for a in alerts]
    assert any(a.campaign_id == campaign and a.rule_id == "campaign.targets" for a in alerts), (bands, seen, campaign)

    with world.app.state.service.store.write() as s:  # a relink of every report keeps the photo's campaign
        relink_all(s)
    again = {i: world.api("analyst").get(f"/api/v1/reports/{i}").json()["campaign_id"] for i in ids}
    assert again[ids[0]] is not None and again[ids[0]] == again[ids[1]] == again[ids[2]] and again[ids[3]] is None


def test_when_a_report_is_deleted_then_its_photo_and_photo_keys_go_with_it(world: World, faces: Path) -> None:
    r = world.api("reporter").post(
        "/api/v1/reports", json=with_sender("gone", "Emma Lawson", "Brightwell", data_uri(GENERATED.read_bytes()))
    )
    assert r.status_code == 201, r.text
    report_id = r.json()["id"]
    store = world.app.state.service.store
    with store.read() as s:
        assert s.get(ReportPhoto, report_id) is not None
        assert s.scalar(select(func.count()).select_from(LinkKey).where(LinkKey.report_id == report_id))
    with store.write() as s:  # an alert keeps its report (no cascade there): removed first, as a deletion would
        s.execute(delete(Alert).where(Alert.report_id == report_id))
        s.execute(delete(Report).where(Report.id == report_id))
    with store.read() as s:
        assert s.get(ReportPhoto, report_id) is None
        assert not s.scalar(select(func.count()).select_from(LinkKey).where(LinkKey.report_id == report_id))


def test_when_migration_0012_is_undone_and_redone_then_the_photo_table_goes_and_comes_back(db_url: str) -> None:
    import sqlalchemy as sa
    from alembic import command

    from counterpitch.store.db import Store
    from counterpitch.store.migrate import alembic_config, current_revision, upgrade

    store = Store(db_url)
    try:
        upgrade(store.engine)
        assert "report_photos" in sa.inspect(store.engine).get_table_names()
        with store.engine.begin() as c:
            command.downgrade(alembic_config(c), "0011")
        assert "report_photos" not in sa.inspect(store.engine).get_table_names()
        upgrade(store.engine)
        assert current_revision(store.engine) >= "0012"
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("report_photos")}
        assert columns == {"report_id", "phash", "thumbnail", "media_type", "width", "height", "faces", "created_at"}
    finally:
        store.dispose()


def test_when_two_senders_share_a_picture_without_a_face_then_it_links_nothing(world: World) -> None:
    """A logo or a blank avatar is shared by strangers: only a photo with a face links reports."""
    logo = data_uri(jpeg_bytes((240, 240)), "jpeg")
    ids = []
    for role, (_, name, firm, _), text in zip(("reporter", "other"), PERSONAS, TEXTS, strict=False):
        r = world.api(role).post("/api/v1/reports", json=with_sender(f"logo-{role}", name, firm, logo, text))
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    assert [world.api("analyst").get(f"/api/v1/reports/{i}").json()["campaign_id"] for i in ids] == [None, None]


def test_when_the_form_gets_a_saved_profile_pdf_with_a_photo_then_its_photo_is_kept_and_judged(
    world: World, faces: Path, tmp_path: Path
) -> None:
    from tests.pdf_builder import ProfileSpec, build_profile_pdf

    spec = ProfileSpec(name="Emma Lawson", headline="Research Partnerships Lead", location="Invented City")
    pdf = build_profile_pdf(ProfileSpec(**{**spec.__dict__, "images": ((GENERATED, 80, 80),)}), tmp_path / "p.pdf")
    c = world.page("reporter")
    r = c.post(
        "/report",
        data={"text": "A paid advisory role for you; could we continue on WhatsApp?", "csrf_token": world.csrf(c)},
        files={"profile_pdf": ("emma.pdf", pdf.read_bytes(), "application/pdf")},
    )
    assert r.status_code == 303, r.text
    report_id = int(r.headers["location"].split("/")[2].split("?")[0])
    with world.app.state.service.store.read() as session:
        kept = session.scalar(select(ReportPhoto).where(ReportPhoto.report_id == report_id))
        stored = session.get(Report, report_id)
    assert kept is not None and kept.faces >= 1
    assert stored is not None and "data:image" not in stored.approach_json
    case = world.page("analyst").get(f"/cases/{report_id}")
    assert "StyleGAN" in case.text and f'<img src="/reports/{report_id}/photo"' in case.text
