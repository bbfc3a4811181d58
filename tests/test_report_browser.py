"""The HTML report in a real browser: hostile archive text renders as text and nothing in it runs."""

from __future__ import annotations

import os
from pathlib import Path

from counterpitch.engine import Engine
from counterpitch.report.html import render_scan
from tests.browser import chromium
from tests.test_report import result

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_when_report_opens_in_chromium_then_no_script_runs_and_the_payload_shows_as_text(
    engine: Engine, tmp_path: Path
) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_scan(result(engine)), encoding="utf-8")
    dialogs: list[str] = []
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.locator("script").count() == 0
        assert page.locator("img").count() == 0
        assert "<script>alert(1)</script>" in page.inner_text("body")
        assert [u for u in requests if not u.startswith("file://")] == []
        if os.environ.get("COUNTERPITCH_SCREENSHOTS"):
            page.screenshot(path=str(DOCS / "scan-report.png"), full_page=False)
