"""Remake the README's audit pictures in headless Chromium: the report on the shared dev profiles (top of the
page) and the mosaic of the invented Harbourline organisation (tests/fixtures/audit).

Run: `.venv/bin/python scripts/audit_screenshot.py` (needs Debian's chromium and ../shared beside the checkout).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from counterpitch.audit.core import audit_engine
from counterpitch.audit.graph import build_graph
from counterpitch.audit.inputs import read_profiles, read_terms
from counterpitch.audit.run import Partial, audit_into
from counterpitch.report.audit_html import render_audit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import FLAGS  # noqa: E402

CASEBOOK = ROOT.parent / "shared" / "casebook"
FIXTURES = ROOT / "tests" / "fixtures" / "audit"


def report(profiles: Path, terms: Path, org: str) -> str:
    part = audit_into(audit_engine(read_terms(terms)), read_profiles(profiles), Partial.empty())
    return render_audit(part.summary, part.mosaic, build_graph(part.mosaic.kept()), org=org)


def main() -> None:
    dev = report(CASEBOOK / "profiles_dev.jsonl", CASEBOOK / "sensitive_terms_dev.txt", "dev profiles")
    org = report(FIXTURES / "harbourline.jsonl", FIXTURES / "harbourline_terms.txt", "Harbourline (invented)")
    pages = {"audit-report.png": (dev, None), "audit-mosaic.png": (org, "svg.mosaic")}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1000})
        for name, (html, selector) in pages.items():
            page_file = Path(tmp) / "audit.html"
            page_file.write_text(html, encoding="utf-8")
            page.goto(page_file.as_uri())
            target = page.locator(selector) if selector else page
            target.screenshot(path=str(ROOT / "docs" / name))
            print(f"wrote docs/{name}")
        browser.close()


if __name__ == "__main__":
    main()
