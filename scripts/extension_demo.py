"""The browser extension at work, for the README: a real `counterpitch serve` (a temporary database, one invented
reporter), the fixture pages that reproduce LinkedIn's conversation markup (extension/test/fixtures, written for
the tests) on loopback, and the extension loaded unpacked in Debian's Chromium. It checks a hostile and a benign
conversation, reports the hostile one, and writes docs/extension-hostile.png and docs/extension-benign.png.

Run: `.venv/bin/python scripts/extension_demo.py` (needs Debian's chromium). Every person and message is invented.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import executable  # noqa: E402
from tests.extension_pages import Panel, build_for_tests, configure, fixture_site, launch  # noqa: E402
from tests.service.live import serve  # noqa: E402

DOCS = ROOT / "docs"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="counterpitch-extension-demo-") as name:
        tmp = Path(name)
        build = build_for_tests(tmp / "extension")
        with (
            sync_playwright() as p,
            fixture_site() as site,
            launch(p, executable(), build, tmp / "profile") as (context, ext),
            serve(tmp / "service", {"dana.reader": "reporter"}, cors_origins=f"chrome-extension://{ext}") as live,
        ):
            token = live.cli("tokens", "create", "dana.reader").strip()
            configure(context, live.url.replace("127.0.0.1", "localhost"), token)
            for label, path, report in (
                ("hostile", "/messaging/thread/conversation/", True),
                ("benign", "/messaging/thread/conversation-benign/", False),
            ):
                page = context.new_page()
                page.goto(site + path)
                panel = Panel(page)
                if not panel.present():
                    raise SystemExit("the extension's button did not appear")
                panel.click("check")
                text = panel.wait_for("Score ")
                if report:
                    panel.click("report")
                    text = panel.wait_for("Reported to your security team")
                out = DOCS / f"extension-{label}.png"
                page.screenshot(path=str(out))
                print(f"{label}: {text[:160]}…\n  -> {out.relative_to(ROOT)}")
                page.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
