"""In a real browser against a real server and a real SMTP server: three members of staff report the same
persona (same profile URL and WeChat id, each approach written to them); a campaign appears on /campaigns and
the espionage-alert briefing arrives by mail. Every person, firm and address here is invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from tests.browser import chromium
from tests.service.live import Live, Mailbox, report, serve, sign_in, smtp_server

STAFF = ("rosa.reporter", "omar.reporter", "lena.reporter")
USERS = {**dict.fromkeys(STAFF, "reporter"), "ana.analyst": "analyst"}
PROFILE = "https://www.linkedin.com/in/harald-venn-consulting"


def message(first_name: str) -> str:
    return (
        f"Dear {first_name}, your work on grid resilience caught my eye. Our client, a Hong Kong think tank, pays "
        "well for short confidential reports on your ministry's plans before they are published. Please keep "
        "this between us and add me on WeChat: harald_venn77"
    )


@pytest.fixture(scope="module")
def mailed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Live, Mailbox]]:
    with smtp_server() as (port, box):
        settings = {
            "smtp_host": "127.0.0.1",
            "smtp_port": str(port),
            "smtp_starttls": "false",
            "smtp_from": "counterpitch@invented.example",
            "smtp_to": "security-team@invented.example",
        }
        with serve(tmp_path_factory.mktemp("browser-campaign"), USERS, **settings) as live:
            yield live, box


def test_three_related_reports_make_a_campaign_and_an_alert(mailed: tuple[Live, Mailbox]) -> None:
    live, box = mailed
    with chromium() as browser:
        for name in STAFF:
            page = browser.new_context().new_page()
            sign_in(page, live.url, name)
            report(
                page,
                live.url,
                message(name.split(".")[0].title()),
                name="Harald Venn",
                headline="Director, strategic advisory",
                company="Northgate Horizon Advisory",
                profile_url=PROFILE,
            )
            assert page.locator(".verdict .band").inner_text().strip().lower() in ("medium", "high")

        def about_the_campaign(m: EmailMessage) -> bool:
            return "campaign" in str(m["X-Counterpitch-Alert"] or "")

        mails = box.wait_for(about_the_campaign)
        campaign_mail = [m for m in mails if about_the_campaign(m)]
        assert campaign_mail, [m["Subject"] for m in mails]
        mail = campaign_mail[0]
        assert "espionage alert" in mail["Subject"].lower()
        assert mail["To"] == "security-team@invented.example"
        text_part, html_part = mail.get_body(("plain",)), mail.get_body(("html",))
        assert text_part is not None and html_part is not None
        text, html = text_part.get_content(), html_part.get_content()
        assert "Harald Venn" in text and "Harald Venn" in html
        assert "3" in text

        analyst = browser.new_context().new_page()
        sign_in(analyst, live.url, "ana.analyst")
        analyst.goto(f"{live.url}/campaigns")
        rows = analyst.locator("table.campaigns tbody tr")
        assert rows.count() == 1
        row = rows.first.inner_text()
        assert "Harald Venn" in row and "harald_venn77" in row
        analyst.click("table.campaigns tbody tr a >> nth=0")
        analyst.wait_for_url("**/campaigns/*")
        body = analyst.locator("main").inner_text()
        assert "3 reports" in body and "3 members of staff targeted" in body
        assert analyst.locator("svg.timeline rect").count() >= 1
        for name in STAFF:  # the targets are the three members of staff who reported it
            assert name in analyst.locator("ul.people").last.inner_text()
        assert analyst.locator("main table.grid tbody tr").count() == 3
        analyst.click("main table.grid tbody tr a >> nth=0")
        analyst.wait_for_url("**/cases/*")
        assert "campaign #" in analyst.locator(".verdict").inner_text()

        analyst.goto(f"{live.url}/alerts")
        alerts = analyst.locator("table.alerts tbody").inner_text()
        assert "campaign.targets" in alerts and "smtp: sent" in alerts
        analyst.click("table.alerts a[href^='/alerts/'] >> nth=0")
        assert "Harald Venn" in analyst.locator("pre.briefing").inner_text()
        assert analyst.locator("iframe.briefing-html").get_attribute("sandbox") == ""
