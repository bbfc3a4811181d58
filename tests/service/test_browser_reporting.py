"""In a real browser against a real server: a member of staff reports an approach and sees its verdict; an
analyst triages it (status, note) and lists its sender. Every person and message here is invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium
from tests.service.live import Live, report, serve, sign_in

USERS = {"rosa.reporter": "reporter", "omar.reporter": "reporter", "ana.analyst": "analyst"}
TEXT = (
    "Hello, I lead a small consultancy advising clients on policy. We pay GBP 1,500 for short monthly notes on "
    "policy before it is public. Keep it between us and add me on WeChat: vera_lintz88"
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serve(tmp_path_factory.mktemp("browser-reporting"), USERS) as server:
        yield server


def test_a_reporter_reports_and_an_analyst_triages(live: Live) -> None:
    with chromium() as browser:
        staff = browser.new_context().new_page()
        sign_in(staff, live.url, "rosa.reporter")
        verdict_url = report(
            staff,
            live.url,
            TEXT,
            name="Vera Lintz",
            headline="Partner at a policy consultancy",
            company="Osterfeld Insight Partners",
            profile_url="https://www.linkedin.com/in/vera-lintz-osterfeld",
        )
        assert staff.locator(".verdict .band").inner_text().strip().lower() == "high"
        assert "Report this approach to your security team" in staff.locator(".advice").inner_text()
        marks = staff.locator(".message mark").all_inner_texts()
        assert any("between us" in m for m in marks), marks  # the secrecy request is highlighted in the message
        assert staff.locator("table.findings tbody tr").count() >= 3
        report_id = int(verdict_url.rsplit("/", 1)[1].split("?")[0])

        staff.goto(f"{live.url}/my-reports")
        assert staff.locator(f"a[href='/my-reports/{report_id}']").count() >= 1

        other = browser.new_context().new_page()  # another member of staff cannot open it
        sign_in(other, live.url, "omar.reporter")
        assert other.goto(f"{live.url}/my-reports/{report_id}").status == 404
        assert other.goto(f"{live.url}/cases/{report_id}").status == 403

        analyst = browser.new_context().new_page()
        sign_in(analyst, live.url, "ana.analyst")
        assert analyst.url.endswith("/queue")
        analyst.click(f"table.queue a[href='/cases/{report_id}'] >> nth=0")
        analyst.wait_for_url(f"**/cases/{report_id}")
        assert "T1566.003" in analyst.locator("table.findings").inner_text()  # ATT&CK ids for analysts

        analyst.select_option("#status", "triaged")
        analyst.click("form[action$='/status'] button")
        analyst.wait_for_load_state("networkidle")
        assert analyst.locator("#status").input_value() == "triaged"

        analyst.fill("#note", "Called Rosa: <b>first contact</b> at a conference in March.")
        analyst.click("#notes button[type=submit]")
        analyst.wait_for_load_state("networkidle")
        assert "<b>first contact</b>" in analyst.locator("#notes .note").first.inner_text()

        analyst.click("form[action$='/watchlist'] button")
        analyst.wait_for_load_state("networkidle")
        assert "on the watchlist" in analyst.locator(".notice").inner_text()
        analyst.goto(f"{live.url}/watchlist")
        row = analyst.locator("table.watchlist tbody tr").first
        assert "Vera Lintz" in row.inner_text() and f"from case {report_id}" in row.inner_text()
        assert "wechat: vera_lintz88" in row.inner_text()  # the handle the sender gave, found by linking

        analyst.goto(f"{live.url}/queue?status=triaged")
        assert analyst.locator(f"table.queue a[href='/cases/{report_id}']").count() >= 1
        analyst.goto(f"{live.url}/queue?status=new")
        assert analyst.locator(f"table.queue a[href='/cases/{report_id}']").count() == 0

        staff.goto(verdict_url)  # the reporter sees the new status, never the analyst's notes
        assert "Triaged" in staff.locator(".verdict").inner_text()
        assert "first contact" not in staff.content()


def test_a_reporter_uploads_an_eml(live: Live, tmp_path: Path) -> None:
    eml = tmp_path / "approach.eml"
    eml.write_bytes(
        b"From: Vera Lintz <vera@osterfeld-insight.example>\r\nTo: rosa@invented.example\r\n"
        b"Subject: Paid notes on policy\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT.encode() + b"\r\n"
    )
    with chromium() as browser:
        page = browser.new_context().new_page()
        sign_in(page, live.url, "rosa.reporter")
        page.goto(f"{live.url}/report")
        page.set_input_files("#eml", str(eml))
        page.click("form.report-form button[type=submit]")
        page.wait_for_url("**/my-reports/*")
        assert page.locator(".verdict .band").inner_text().strip().lower() == "high"
        assert "vera@osterfeld-insight.example" in page.locator(".profile").inner_text()
        assert "Paid notes on policy" in page.locator(".approach").inner_text()

        page.goto(f"{live.url}/report")
        page.click("form.report-form button[type=submit]")  # nothing given: the form says what is missing
        assert "text: paste the message" in page.locator(".error").inner_text()
