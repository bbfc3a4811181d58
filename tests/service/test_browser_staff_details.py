"""In a real browser against a real server: a member of staff states their role on their own page, reports an
approach through the form, and the verdict is given for that role; and a persona MI5 named, writing blandly,
comes out high. Every member of staff and message here is invented; the persona is from the seed watchlist.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import chromium
from tests.service.live import Live, report, serve, sign_in
from tests.service.test_browser_hostile import IMG, LINK, SCRIPT, assert_inert, watch

USERS = {"pia.researcher": "reporter", "noor.reporter": "reporter", "mal.insider": "reporter", "ada.admin": "admin"}
TITLE = "Parliamentary Researcher, House of Commons"
TEAM = "Trade Committee"
#: Nothing hostile in the words: a warning here rests on who the message went to, or who sent it.
BLAND = (
    "Hello, I enjoyed your recent note on trade policy. I advise clients on market access and would be glad "
    "to connect and compare views some time."
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serve(tmp_path_factory.mktemp("browser-staff-details"), USERS) as server:
        yield server


def test_a_reporter_states_their_role_and_the_verdict_is_given_for_it(live: Live) -> None:
    with chromium() as browser:
        page = browser.new_context().new_page()
        sign_in(page, live.url, "pia.researcher")
        page.click("nav >> text=My details")
        page.wait_for_url("**/account")
        page.fill("#title", TITLE)
        page.fill("#team", TEAM)
        page.click("form[action='/account'] button[type=submit]")
        page.wait_for_url("**/account?saved=1")
        assert "Saved" in page.locator(".notice").inner_text()
        assert page.locator("#title").input_value() == TITLE

        report(page, live.url, BLAND, name="Ines Varga", company="Varga Market Access")
        assert page.locator(".assessed-for").inner_text().startswith(f"Assessed for: {TITLE} · {TEAM}")
        findings = page.locator("table.findings").inner_text()
        assert "You hold a role with access worth cultivating" in findings  # targeting.recipient_access
        assert "recipient.headline:" in findings and "Parliamentary" in findings  # the evidence, quoted
        sent_to = page.locator(".profile").inner_text()
        assert TITLE in sent_to and TEAM in sent_to
        assert page.locator(".profile mark").count() >= 1  # the role words that count are marked

        page.click(".assessed-for a[href='/account']")  # the way to correct it
        page.wait_for_url("**/account")
        assert page.locator("#team").input_value() == TEAM


def test_markup_in_someones_details_is_text_on_every_page_that_shows_them(live: Live) -> None:
    """Staff write their own details, and an account can be taken over: the title reaches the verdict, the
    analyst's case and the admin's users page, and runs nowhere."""
    title = f"Analyst {SCRIPT} {IMG}"
    with chromium() as browser:
        insider = browser.new_context().new_page()
        dialogs = watch(insider)
        sign_in(insider, live.url, "mal.insider")
        insider.goto(f"{live.url}/account")
        insider.fill("#title", title)
        insider.fill("#team", LINK)
        insider.click("form[action='/account'] button[type=submit]")
        insider.wait_for_url("**/account?saved=1")
        assert_inert(insider, dialogs, "account")
        assert insider.locator("#title").input_value() == title
        report(insider, live.url, BLAND, name="Ines Varga")
        assert_inert(insider, dialogs, "verdict")
        assert SCRIPT in insider.locator(".assessed-for").inner_text()
        case_id = insider.url.rsplit("/", 1)[1].split("?")[0]

        admin = browser.new_context().new_page()
        dialogs = watch(admin)
        sign_in(admin, live.url, "ada.admin")
        admin.goto(f"{live.url}/cases/{case_id}")
        assert_inert(admin, dialogs, "case")
        assert SCRIPT in admin.locator(".profile").inner_text() and LINK in admin.locator(".profile").inner_text()
        admin.goto(f"{live.url}/admin/users")
        assert_inert(admin, dialogs, "users")
        assert f"{title} · {LINK}" in admin.locator("table.users").inner_text()


def test_a_persona_named_by_mi5_writing_blandly_comes_out_high(live: Live) -> None:
    with chromium() as browser:
        page = browser.new_context().new_page()
        sign_in(page, live.url, "noor.reporter")  # no role stated: the verdict rests on the sender alone
        report(page, live.url, BLAND, name="Amanda Qiu", company="BR-YR Executive Search")
        assert "Sender matches a published persona" in page.locator("table.findings").inner_text()
        assert page.locator(".verdict .band").inner_text().strip().lower() == "high"
        # The page says why, first, in plain words.
        assert page.locator(".verdict .advice").inner_text().startswith("This sender is a published persona.")
