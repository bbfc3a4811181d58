"""Remake the README's screenshot: the scan report of the invented sample archive, in headless Chromium.

Run: `.venv/bin/python scripts/screenshots.py` (needs Debian's chromium at /usr/bin/chromium).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from counterpitch.engine import Engine
from counterpitch.ingest.linkedin_archive import read_archive
from counterpitch.model import PersonProfile
from counterpitch.report.html import render_scan
from counterpitch.scan import scan

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import FLAGS  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "archives" / "sample_archive.zip"


def main() -> None:
    archive = read_archive(SAMPLE)
    people = [PersonProfile(name=c.name, company=c.company, profile_url=c.url) for c in archive.connections]
    result = scan(Engine.default(), archive.owner, archive.approaches, people, archive.counts, archive.warnings)
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "scan.html"
        page_file.write_text(render_scan(result, title=f"Counterpitch scan of {SAMPLE.name}"), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.goto(page_file.as_uri())
            page.screenshot(path=str(ROOT / "docs" / "scan-report.png"))
            browser.close()
    print("wrote docs/scan-report.png")


if __name__ == "__main__":
    main()
