"""Remake the README's pictures of the web service: `counterpitch serve --demo` on a temporary database (the
invented demo organisation), driven by headless Chromium as a reporter and as an analyst.

Run: `.venv/bin/python scripts/web_screenshots.py` (needs Debian's chromium). Writes docs/web-*.png.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import FLAGS  # noqa: E402
from tests.service.live import BIN, _wait_up, free_port  # noqa: E402

DOCS = ROOT / "docs"
VIEWPORT = {"width": 1280, "height": 900}
#: The demo's passwords (web/demo.py); invented accounts of an invented organisation.
REPORTER = ("riley.reporter", "demo-reporter-1")
COLLEAGUES = (("sam.reporter", "demo-reporter-2"), ("alex.reporter", "demo-reporter-3"))
ANALYST = ("ana.analyst", "demo-analyst-1")
APPROACH = {
    "text": (
        "Hi Riley, I saw your talk on grid resilience. I advise a private client who pays GBP 2,000 for short "
        "monthly notes on your team's plans before they are published. Please keep this between us; it is "
        "easier to talk on WeChat: harald_venn77"
    ),
    "sender_name": "Harald Venn",
    "sender_headline": "Director, strategic advisory",
    "sender_company": "Northgate Horizon Advisory",
    "sender_profile_url": "https://www.linkedin.com/in/harald-venn-consulting",
}


def sign_in(browser: Any, url: str, who: tuple[str, str]) -> Any:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(f"{url}/signin")
    page.fill("#name", who[0])
    page.fill("#password", who[1])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def shot(page: Any, name: str, full: bool = False) -> None:
    page.screenshot(path=str(DOCS / name), full_page=full)
    print(f"wrote docs/{name}")


def pictures(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        staff = sign_in(browser, url, REPORTER)
        staff.goto(f"{url}/report")
        for field, value in APPROACH.items():
            staff.fill(f"#{field}", value)
        shot(staff, "web-report.png")
        staff.click("form.report-form button[type=submit]")
        staff.wait_for_url("**/my-reports/*")
        shot(staff, "web-verdict.png", full=True)
        report_id = staff.url.rsplit("/", 1)[1].split("?")[0]
        for who in COLLEAGUES:  # two colleagues get the same approach: a campaign of three, and its alert
            colleague = sign_in(browser, url, who)
            colleague.goto(f"{url}/report")
            for field, value in APPROACH.items():
                colleague.fill(f"#{field}", value.replace("Hi Riley", f"Hi {who[0].split('.')[0].title()}"))
            colleague.click("form.report-form button[type=submit]")
            colleague.wait_for_url("**/my-reports/*")

        analyst = sign_in(browser, url, ANALYST)
        analyst.goto(f"{url}/queue")
        shot(analyst, "web-queue.png")
        analyst.goto(f"{url}/cases/{report_id}")
        analyst.fill("#note", "Riley confirms first contact at the March conference. Asked to keep the messages.")
        analyst.click("#notes button[type=submit]")
        analyst.wait_for_load_state("networkidle")
        analyst.select_option("#status", "confirmed_hostile")
        analyst.click("form[action$='/status'] button")
        analyst.wait_for_load_state("networkidle")
        shot(analyst, "web-case.png")
        analyst.click("form[action$='/watchlist'] button")
        analyst.wait_for_load_state("networkidle")
        analyst.goto(f"{url}/campaigns")
        first = analyst.locator("table.campaigns tbody tr a")
        if first.count():
            first.first.click()
            analyst.wait_for_url("**/campaigns/*")
            shot(analyst, "web-campaign.png", full=True)
        analyst.goto(f"{url}/watchlist")
        shot(analyst, "web-watchlist.png")
        analyst.goto(f"{url}/alerts")
        alert = analyst.locator("table.alerts tr:has(code:text-is('campaign.targets')) a[href^='/alerts/']")
        if alert.count():
            alert.first.click()
            analyst.wait_for_url("**/alerts/*")
            shot(analyst, "web-alert.png")
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {**os.environ, "COUNTERPITCH_DATA_DIR": tmp, "COUNTERPITCH_ORG_NAME": "Demo Institute (invented)"}
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [str(BIN), "serve", "--demo", "--port", str(port), "--db", f"sqlite:///{tmp}/demo.db"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                _wait_up(f"http://127.0.0.1:{port}", proc, log_path)
                pictures(f"http://127.0.0.1:{port}")
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
