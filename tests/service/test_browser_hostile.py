"""Hostile content in a real browser: a profile and a message full of script tags, event handlers, javascript:
links and CSS payloads are shown as text on the verdict, case, queue and campaign pages, and nothing runs.

Each payload would set window.__pwned, open a dialog or hide the page if it were ever treated as markup; the test
listens for dialogs, reads window.__pwned, looks for injected elements and checks the text is shown literally.
Every person and message here is invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import chromium
from tests.service.live import Live, report, serve, sign_in

USERS = {"rosa.reporter": "reporter", "omar.reporter": "reporter", "ana.analyst": "analyst"}
SCRIPT = "<script>window.__pwned=1;alert('script')</script>"
IMG = "<img src=x onerror=\"window.__pwned=2;alert('img')\">"
SVG = '<svg onload="window.__pwned=3"></svg>'
LINK = '<a href="javascript:window.__pwned=4" id="jslink">open the brief</a>'
STYLE = "<style>body{display:none!important}</style>"
EXPRESSION = "<div style=\"width:expression(alert('css'));background:url(javascript:alert('bg'))\">x</div>"
BREAKOUT = "\"'><script>window.__pwned=5</script><textarea>"
PAYLOADS = (SCRIPT, IMG, SVG, LINK, STYLE, EXPRESSION, BREAKOUT)
PROFILE = "https://www.linkedin.com/in/hostile-markup-persona"
#: Elements no page of ours puts in <main>: any of these there came from a payload.
INJECTED = "main script, main img, main style, main iframe:not(.briefing-html), main svg:not(.timeline), #jslink"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serve(tmp_path_factory.mktemp("browser-hostile"), USERS) as server:
        yield server


def message() -> str:
    return "We pay well for short confidential notes on policy before it is public; keep it between us. " + " ".join(
        PAYLOADS
    )


def sender() -> dict[str, str]:
    return {
        "name": f"Mallory {SCRIPT}",
        "headline": f"Recruiter {IMG} {LINK}",
        "company": f"Evil {STYLE} Corp {BREAKOUT}",
        "profile_url": PROFILE,
        "email": "mallory@hostile-markup.example",
    }


def assert_inert(page: Any, dialogs: list[str], where: str) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", f"{where}: a payload ran"
    assert dialogs == [], f"{where}: a dialog opened: {dialogs}"
    assert page.locator(INJECTED).count() == 0, f"{where}: markup from a payload became elements"
    assert page.locator("main").is_visible(), f"{where}: a style payload hid the page"
    assert page.evaluate("getComputedStyle(document.body).display") != "none", where


def watch(page: Any) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def test_hostile_markup_is_shown_as_text_and_never_runs(live: Live) -> None:
    with chromium() as browser:
        verdicts = []
        for name in ("rosa.reporter", "omar.reporter"):  # two reports of one persona: a campaign
            page = browser.new_context().new_page()
            dialogs = watch(page)
            sign_in(page, live.url, name)
            verdicts.append(report(page, live.url, message(), **sender()))
            assert_inert(page, dialogs, "verdict")
            shown = page.locator("main").inner_text()
            for payload in (SCRIPT, IMG, LINK, STYLE, EXPRESSION):
                assert payload in shown, f"verdict: {payload!r} is not shown as text"

        analyst = browser.new_context().new_page()
        dialogs = watch(analyst)
        sign_in(analyst, live.url, "ana.analyst")
        assert_inert(analyst, dialogs, "queue")
        report(analyst, live.url, message(), **sender())  # a third member of staff: the campaign alert fires
        assert_inert(analyst, dialogs, "verdict (analyst)")
        analyst.goto(f"{live.url}/queue")
        assert SCRIPT in analyst.locator("table.queue").inner_text()

        report_id = verdicts[0].rsplit("/", 1)[1].split("?")[0]
        analyst.goto(f"{live.url}/cases/{report_id}")
        assert_inert(analyst, dialogs, "case")
        case_text = analyst.locator("main").inner_text()
        assert f"Mallory {SCRIPT}" in case_text and STYLE in case_text

        analyst.fill("#note", f"Note with {SCRIPT} and {IMG}")  # an analyst's note is text too
        analyst.click("#notes button[type=submit]")
        analyst.wait_for_load_state("networkidle")
        assert_inert(analyst, dialogs, "case with a note")
        assert SCRIPT in analyst.locator("#notes").inner_text()

        analyst.click("form[action$='/watchlist'] button")
        analyst.wait_for_load_state("networkidle")
        analyst.goto(f"{live.url}/watchlist")
        assert_inert(analyst, dialogs, "watchlist")
        assert SCRIPT in analyst.locator("table.watchlist").inner_text()

        analyst.goto(f"{live.url}/alerts")  # the campaign's briefing names the persona, payloads and all
        assert_inert(analyst, dialogs, "alerts")
        assert "campaign.targets" in analyst.locator("table.alerts").inner_text()
        analyst.click("table.alerts a[href^='/alerts/'] >> nth=0")
        analyst.wait_for_url("**/alerts/*")
        analyst.click("details.card summary")  # open the HTML version in its sandboxed frame
        assert_inert(analyst, dialogs, "alert")
        frame = analyst.frame_locator("iframe.briefing-html")
        assert "Mallory" in frame.locator("body").inner_text()  # the briefing is there, and it ran nothing
        assert analyst.evaluate("typeof window.__pwned") == "undefined"

        analyst.goto(f"{live.url}/campaigns")
        assert_inert(analyst, dialogs, "campaigns")
        assert analyst.locator("table.campaigns tbody tr a").count() == 1
        analyst.click("table.campaigns tbody tr a >> nth=0")
        analyst.wait_for_url("**/campaigns/*")
        assert_inert(analyst, dialogs, "campaign")
        assert SCRIPT in analyst.locator("ul.people").first.inner_text()
