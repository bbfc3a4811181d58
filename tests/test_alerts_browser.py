"""The HTML briefing in a real browser (Debian's Chromium): hostile profile text shows as text, nothing runs,
nothing is fetched and nothing is a link. Data invented."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counterpitch.alerts import load_rules
from tests.browser import chromium
from tests.test_alerts_render import campaign_briefing

DOCS = Path(__file__).resolve().parents[1] / "docs"
NAME = "Marta <script>window.__pwned = 1; alert(1)</script><img src=x onerror=alert(2)>"
HEADLINE = "<style>body{background:url(http://127.0.0.1:9/css)}</style><a href=javascript:alert(3)>Talent</a>"
URL = "javascript:alert(4)//https://evil.example.net/in/marta"


def test_when_the_briefing_opens_in_chromium_then_no_script_runs_and_the_payload_shows_as_text(
    tmp_path: Path,
) -> None:
    page_file = tmp_path / "briefing.html"
    page_file.write_text(campaign_briefing(name=NAME, headline=HEADLINE, profile_url=URL).html, encoding="utf-8")
    dialogs: list[str] = []
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 760, "height": 1400})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.evaluate("window.__pwned === undefined")
        for tag in ("script", "img", "style", "a"):
            assert page.locator(tag).count() == 0, tag
        body = page.inner_text("body")
        assert "<script>window.__pwned = 1; alert(1)</script>" in body
        assert "javascript[:]alert(4)//hxxps://evil[.]example[.]net/in/marta" in body
        assert "Do not confront the sender" in body
        assert [u for u in requests if not u.startswith("file://")] == []


def test_screenshot_of_an_ordinary_briefing(tmp_path: Path) -> None:
    """Only with COUNTERPITCH_SCREENSHOTS set: the picture docs/alert-briefing.png, of invented data."""
    if not os.environ.get("COUNTERPITCH_SCREENSHOTS"):
        pytest.skip("set COUNTERPITCH_SCREENSHOTS to remake docs/alert-briefing.png")
    page_file = tmp_path / "briefing.html"
    page_file.write_text(campaign_briefing(load_rules()[0]).html, encoding="utf-8")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 700, "height": 1300})
        page.goto(page_file.as_uri())
        page.screenshot(path=str(DOCS / "alert-briefing.png"), full_page=True)
    assert (DOCS / "alert-briefing.png").stat().st_size > 10_000
