"""The browser extension (extension/, decision 0075) in Debian's Chromium against a real `counterpitch serve`.

The LinkedIn pages are fixtures written for these tests (extension/test/fixtures), served from 127.0.0.1 under
LinkedIn's paths to a test build of the extension whose content script also matches 127.0.0.1. The service
allows the extension's origin through COUNTERPITCH_CORS_ORIGINS, as a deployment would. Every person, message
and address here is invented. Under CI=true a missing chromium fails these tests instead of skipping them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import executable
from tests.extension_pages import Panel, build_for_tests, configure, fixture_site, launch
from tests.service.live import Live, serve

USERS = {"dana.reader": "reporter", "ana.analyst": "analyst"}


@dataclass
class Setup:
    context: Any
    extension_id: str
    site: str
    live: Live
    token: str
    analyst_token: str
    log: Path

    @property
    def service_url(self) -> str:
        """The service as the extension is told of it: by the name localhost, not 127.0.0.1, which the test build's
        content-script matches (and so its host permissions) cover. Calls to it are cross-origin, as in a real
        deployment, and pass only through the service's CORS setting."""
        return self.live.url.replace("127.0.0.1", "localhost")

    def preflights(self) -> int:
        log = self.log.read_text("utf-8", "replace")
        return len(re.findall(r"OPTIONS /api/v1/(?:assess|reports) HTTP/1.1\" 200", log))

    def api_calls(self) -> int:
        """How many requests reached the service's API assess and report endpoints so far."""
        return len(re.findall(r"POST /api/v1/(?:assess|reports)", self.log.read_text("utf-8", "replace")))

    def open(self, path: str) -> tuple[Any, Panel]:
        page = self.context.new_page()
        page.goto(self.site + path)
        panel = Panel(page)
        assert panel.present(), "the extension's button never appeared"
        return page, panel


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    from playwright.sync_api import sync_playwright

    path = executable()  # skips without chromium, fails under CI
    tmp = tmp_path_factory.mktemp("extension-browser")
    build = build_for_tests(tmp / "extension")
    with (
        sync_playwright() as p,
        fixture_site() as site,
        launch(p, path, build, tmp / "profile") as (context, ext),
        serve(tmp / "service", USERS, cors_origins=f"chrome-extension://{ext}") as live,
    ):
        token = live.cli("tokens", "create", "dana.reader").strip()
        analyst = live.cli("tokens", "create", "ana.analyst").strip()
        yield Setup(context, ext, site, live, token, analyst, tmp / "service" / "server.log")


def _configured(setup: Setup) -> None:
    configure(setup.context, setup.service_url, setup.token)


def test_the_panel_shows_the_verdict_and_reporting_files_a_report_the_analyst_sees(setup: Setup) -> None:
    _configured(setup)
    before = setup.api_calls()
    page, panel = setup.open("/messaging/thread/conversation/")
    assert panel.shadow_mode() == "closed"
    assert "Check with Counterpitch" in panel.text()
    page.wait_for_timeout(1000)
    assert setup.api_calls() == before, "something was sent before the person clicked"

    panel.click("check")
    text = panel.wait_for("Score ")
    assert "High risk" in text, text
    assert "Checked: Vera Lintz · Partner at a policy consultancy" in text
    assert "“" in text, "no evidence quoted"
    assert "Advice" in text
    assert setup.preflights() >= 1, "the call did not go through CORS"
    assert page.evaluate("getComputedStyle(document.querySelector('[data-counterpitch=host]')).display") == "block"

    panel.click("report")
    text = panel.wait_for("Reported to your security team")
    report_id = int(re.search(r"\(report (\d+)\)", text).group(1))  # type: ignore[union-attr]
    r = httpx.get(
        f"{setup.live.url}/api/v1/reports", headers={"Authorization": f"Bearer {setup.analyst_token}"}, timeout=30
    )
    assert r.status_code == 200
    queued = {row["id"]: row for row in r.json()["reports"]}
    assert report_id in queued, queued
    one = httpx.get(
        f"{setup.live.url}/api/v1/reports/{report_id}",
        headers={"Authorization": f"Bearer {setup.analyst_token}"},
        timeout=30,
    ).json()
    dumped = str(one)
    assert "Vera Lintz" in dumped
    assert "vera_lintz88" in dumped  # the later message, in the thread
    assert "https://www.linkedin.com/in/vera-lintz-osterfeld/" in dumped
    page.close()


def test_hostile_markup_in_message_name_and_headline_never_runs(setup: Setup) -> None:
    _configured(setup)
    page, panel = setup.open("/messaging/thread/conversation-xss/")
    panel.click("check")
    text = panel.wait_for("Score ")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__cpXss") is None, "a payload ran"
    assert '<script>window.__cpXss="name"</script>' in text  # shown as text
    assert "<img src=x onerror=" in text
    panel.click("report")
    panel.wait_for("Reported to your security team")
    assert page.evaluate("window.__cpXss") is None
    page.close()


def test_without_a_service_the_panel_says_what_to_do_and_nothing_is_sent(setup: Setup) -> None:
    configure(setup.context, "", "")
    before = setup.api_calls()
    page, panel = setup.open("/messaging/thread/conversation/")
    panel.click("check")
    text = panel.wait_for("No Counterpitch service is set up")
    assert "Open the options" in text
    assert "Nothing was sent" in text
    assert setup.api_calls() == before
    page.close()


def test_a_wrong_token_and_an_unreachable_service_say_what_to_do(setup: Setup) -> None:
    configure(setup.context, setup.service_url, "not-a-real-token")
    page, panel = setup.open("/messaging/thread/conversation/")
    panel.click("check")
    assert "did not accept your API token" in panel.wait_for("API token")
    panel.click("close")
    configure(setup.context, "http://127.0.0.1:9", setup.token)
    panel.click("check")
    panel.wait_for("could not be reached")
    page.close()


def test_inmail_profile_and_an_unknown_layout(setup: Setup) -> None:
    _configured(setup)
    page, panel = setup.open("/messaging/thread/inmail/")
    panel.click("check")
    assert "Checked: Ilse Marr" in panel.wait_for("Score ")
    page.close()
    page, panel = setup.open("/in/vera-lintz-osterfeld/")
    panel.click("check")
    assert "Checked: Vera Lintz · Partner at a policy consultancy | Ex-government" in panel.wait_for("Score ")
    page.close()
    page, panel = setup.open("/messaging/thread/unreadable/")
    panel.click("check")
    assert "Check with Counterpitch" in panel.wait_for("could not be read")
    page.close()


def test_selected_text_is_checked_as_one_message(setup: Setup) -> None:
    """What the context menu does after its click: the selection, stored for the result page, checked there."""
    _configured(setup)
    worker = setup.context.service_workers[0]
    worker.evaluate(
        "t => chrome.storage.session.set({'selection-test': {text: t}})",
        "We pay GBP 1,500 for short monthly notes on policy before it is public. Keep it between us.",
    )
    page = setup.context.new_page()
    page.goto(f"chrome-extension://{setup.extension_id}/result.html#selection-test")
    page.wait_for_selector("text=Score ", timeout=60_000)
    assert "We pay GBP 1,500" in page.inner_text("#selected")
    page.click("[data-action=report]")
    page.wait_for_selector("text=Reported to your security team", timeout=60_000)
    page.close()


def test_the_options_page_keeps_the_service_and_token(setup: Setup) -> None:
    page = setup.context.new_page()
    page.goto(f"chrome-extension://{setup.extension_id}/options.html")
    assert page.inner_text("#origin") == f"chrome-extension://{setup.extension_id}"
    page.fill("#serviceUrl", "javascript:alert(1)")
    page.fill("#token", "x")
    page.click("#save")
    page.wait_for_selector("text=That is not a web address")
    page.fill("#serviceUrl", setup.service_url + "/")
    page.fill("#token", f" {setup.token} ")
    page.click("#save")
    page.wait_for_selector("text=Saved.")
    stored = setup.context.service_workers[0].evaluate("chrome.storage.local.get(null)")
    assert stored == {"serviceUrl": setup.service_url, "token": setup.token}
    page.close()


def test_a_verdict_is_dropped_when_linkedin_changes_conversation_in_place(setup: Setup) -> None:
    """LinkedIn moves between conversations without loading a page: the last verdict must not stay beside the next."""
    _configured(setup)
    page, panel = setup.open("/messaging/thread/conversation/")
    panel.click("check")
    panel.wait_for("Score ")
    page.evaluate(
        """async (path) => {
            const html = await (await fetch(path)).text();
            const next = new DOMParser().parseFromString(html, 'text/html');
            history.pushState({}, '', path);
            document.querySelector('main').replaceWith(next.querySelector('main'));
        }""",
        "/messaging/thread/conversation-benign/",
    )
    page.wait_for_timeout(2000)
    text = panel.text()
    assert "Score " not in text, text
    panel.click("check")
    assert "Checked: Tomas Berg" in panel.wait_for("Score ")
    page.close()
