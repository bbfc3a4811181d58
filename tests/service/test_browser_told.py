"""In a real browser against a real server: a member of staff fills only "Describe what happened" and gets a
medium or high verdict with the evidence marked in their account (decision 0043). Invented account only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import chromium
from tests.service.live import Live, serve, sign_in

USERS = {"rosa.reporter": "reporter"}
ACCOUNT = (
    "A woman from a recruitment firm messaged me on LinkedIn and offered me 2,000 pounds a month to write reports"
    " about what my MP's committee discusses. She wanted to move the chat to WeChat and said to keep it between us."
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serve(tmp_path_factory.mktemp("browser-told"), USERS) as server:
        yield server


def test_a_reporter_describes_what_happened_and_sees_the_evidence_marked(live: Live) -> None:
    with chromium() as browser:
        page = browser.new_context().new_page()
        sign_in(page, live.url, "rosa.reporter")
        page.goto(f"{live.url}/report")
        page.click("form.report-form button[type=submit]")  # both boxes empty: the form says what to give
        page.wait_for_load_state("networkidle")
        assert "describe what happened" in page.locator(".error").inner_text()

        page.fill("#account", ACCOUNT)
        page.click("form.report-form button[type=submit]")
        page.wait_for_url("**/my-reports/*")
        assert page.locator(".verdict .band").inner_text().strip().lower() in ("medium", "high")
        marks = page.locator("[data-field=account] mark").all_inner_texts()
        assert any("between us" in m for m in marks), marks
        assert any("2,000 pounds a month" in m for m in marks), marks
        assert page.locator(".no-message").count() == 1  # no message was pasted, and the page says so
        quotes = page.locator("table.findings .quote").all_inner_texts()
        assert any(q.startswith("account:") for q in quotes), quotes
