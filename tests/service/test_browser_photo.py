"""In a real browser against a real server (issue 14 item 4): a member of staff reports an approach with the
sender's photo (a generated face); the analyst sees the photo, served by its own route, and the finding on the case
page; a second member of staff reports a differently worded approach under another name and firm with the same
photo, recompressed and resized as another profile would carry it, and it joins the first one's campaign.

Every person, firm and message here is invented; the face is the shared development set's (generated).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser import chromium
from tests.conftest import SHARED
from tests.service.live import Live, serve, sign_in

FACE = SHARED / "data" / "faces" / "stylegan3" / "sg3_seed700001_psi0.70.png"
USERS = {"rosa.reporter": "reporter", "omar.reporter": "reporter", "ana.analyst": "analyst"}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    if not FACE.is_file():
        pytest.skip("the shared development faces are not beside this checkout")
    with serve(tmp_path_factory.mktemp("browser-photo"), USERS) as server:
        yield server


def resaved(path: Path, out: Path) -> Path:
    """The photo as the second profile carries it: 200 px, JPEG at quality 70."""
    with Image.open(path) as im:
        im = im.convert("RGB")
        im.thumbnail((200, 200))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=70)
    out.write_bytes(buf.getvalue())
    return out


def report_with_photo(page: Any, url: str, photo: Path, text: str, **sender: str) -> str:
    """Fill the report form with the sender's photo chosen as a file and send it; the verdict page's URL."""
    page.goto(f"{url}/report")
    page.set_input_files("#sender_photo", str(photo))
    page.fill("#text", text)
    for key, value in sender.items():
        page.fill(f"#sender_{key}", value)
    page.click("form.report-form button[type=submit]")
    page.wait_for_url("**/my-reports/*")
    return str(page.url)


def report_id(verdict_url: str) -> str:
    found = re.search(r"/my-reports/(\d+)", verdict_url)
    assert found, verdict_url
    return found.group(1)


def campaign_of(analyst: Any, url: str, report_id: str) -> str | None:
    """The case page's link to the report's campaign, if it has one."""
    analyst.goto(f"{url}/cases/{report_id}")
    link = analyst.locator("main a[href^='/campaigns/']")
    return str(link.first.get_attribute("href")) if link.count() else None


def test_a_reported_photo_is_shown_with_its_finding_and_the_same_face_under_another_name_joins_the_campaign(
    live: Live, tmp_path: Path
) -> None:
    with chromium() as browser:
        rosa = browser.new_context().new_page()
        sign_in(rosa, live.url, "rosa.reporter")
        first = report_with_photo(
            rosa,
            live.url,
            FACE,
            "Hello Rosa, your work on grid policy is impressive. Our client pays 2,000 pounds a month for short "
            "private briefings on it; please keep this between us.",
            name="Emma Lawson",
            company="Brightwell Advisory",
        )
        first_id = report_id(first)
        mine = rosa.locator("figure.sender-photo img")
        assert mine.count() == 1 and mine.evaluate("img => img.naturalWidth") > 0  # the reporter sees her own

        analyst = browser.new_context().new_page()
        sign_in(analyst, live.url, "ana.analyst")
        analyst.goto(f"{live.url}/cases/{first_id}")
        img = analyst.locator("figure.sender-photo img")
        assert img.get_attribute("src") == f"/reports/{first_id}/photo"
        analyst.wait_for_function("() => document.querySelector('figure.sender-photo img').complete")
        assert img.evaluate("img => img.naturalWidth") > 0  # loaded from its route, under the page's CSP
        caption = analyst.locator("figure.sender-photo figcaption").inner_text()
        assert "Sender's photo is a generated face" in caption and "StyleGAN" in caption
        assert "persona.generated_photo" in analyst.locator("table.findings").inner_text()
        served = analyst.request.get(f"{live.url}/reports/{first_id}/photo")
        assert served.status == 200 and served.headers["content-type"] == "image/png"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'self'" in served.headers["content-security-policy"]
        assert campaign_of(analyst, live.url, first_id) is None  # alone so far

        omar = browser.new_context().new_page()
        sign_in(omar, live.url, "omar.reporter")
        assert omar.request.get(f"{live.url}/reports/{first_id}/photo").status == 404  # not his report
        second = report_with_photo(
            omar,
            live.url,
            resaved(FACE, tmp_path / "sofia.jpg"),
            "Good morning Omar. I run a research network in Hong Kong and we reward experts generously for "
            "confidential notes on upcoming ministry decisions. Discretion matters to us.",
            name="Sofia Marten",
            company="Northgate Horizon",
        )
        second_id = report_id(second)

        joined = campaign_of(analyst, live.url, second_id)
        assert joined is not None and joined == campaign_of(analyst, live.url, first_id)
        analyst.goto(f"{live.url}{joined}")
        body = analyst.locator("main").inner_text()
        assert "Emma Lawson" in body and "Sofia Marten" in body
        assert "the same photo" in body
