"""The audit report in a real browser (Debian's Chromium): the charts and the mosaic render, profile text shows
as text, and nothing in it runs or loads. Profiles are invented (tests/fixtures/audit)."""

from __future__ import annotations

from pathlib import Path

from counterpitch.audit.core import audit_engine
from counterpitch.audit.graph import build_graph
from counterpitch.audit.inputs import read_profiles, read_terms
from counterpitch.audit.run import Partial, audit_into
from counterpitch.report.audit_html import render_audit
from tests.browser import chromium
from tests.test_audit_report import ORG, TERMS


def test_when_the_audit_report_opens_then_charts_and_mosaic_draw_and_no_script_runs(tmp_path: Path) -> None:
    part = audit_into(audit_engine(read_terms(TERMS)), read_profiles(ORG), Partial.empty())
    page_file = tmp_path / "audit.html"
    page_file.write_text(render_audit(part.summary, part.mosaic, build_graph(part.mosaic.kept()), org="HL"), "utf-8")
    dialogs: list[str] = []
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        page.wait_for_timeout(300)
        assert dialogs == [] and page.locator("script").count() == 0 and page.locator("img").count() == 0
        assert [u for u in requests if not u.startswith("file://")] == []
        assert "<script>alert('x')</script> Eve" in page.inner_text("table")
        for chart in page.locator("svg.chart").all():
            box = chart.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 20
            assert chart.locator("rect").count() >= 1
        mosaic = page.locator("svg.mosaic")
        box = mosaic.bounding_box()
        assert box is not None and box["width"] > 600 and box["height"] > 200
        assert mosaic.locator("circle").count() == len(part.mosaic.kept())
        assert mosaic.locator("line.inferred").count() == 5
        names = mosaic.locator("text").all_text_contents()
        assert "Morag Quill" in names and "Kestrel Bay" in names
