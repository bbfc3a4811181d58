"""The HTML scan report: self-contained, and hostile text from an archive is shown as text, never run."""

from __future__ import annotations

import re

from counterpitch.engine import Engine
from counterpitch.model import Approach, PersonProfile, Profile
from counterpitch.report.html import render_scan
from counterpitch.scan import scan

PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'


def result(engine: Engine):  # type: ignore[no-untyped-def]
    hostile = Approach(
        id="c1",
        text="We pay GBP 900 for short notes on what your minister says privately. Keep it between us. " + PAYLOAD,
        sender=PersonProfile(name=PAYLOAD, company="Bright <b>Global</b> Partners", profile_url="javascript:alert(4)"),
    )
    benign = Approach(
        id="c2", text="Congratulations on the new job! Coffee soon?", sender=PersonProfile(name="Sam Lee")
    )
    owner = Profile(id="owner", name="Alex Doe", headline="Systems Engineer | DV cleared | Type 26")
    connections = [PersonProfile(name="Amanda Qiu", company="BR-YR Executive Search")]
    counts = {"messages": 3, "conversations": 2, "invitations": 0, "connections": 1}
    return scan(engine, owner, [benign, hostile], connections, counts, warnings=["messages.csv, line 9: bad date"])


def test_when_report_is_rendered_then_it_orders_by_risk_and_shows_every_section(engine: Engine) -> None:
    r = result(engine)
    assert [a.id for _, a in r.approaches] == ["c1", "c2"]
    assert r.exposure.band == "high"
    assert any(f.value == "UK:DV" for f in r.exposure.findings)
    assert r.watchlist_hits and r.watchlist_hits[0].name == "Amanda Qiu"
    html = render_scan(r)
    for heading in ("Approaches that need attention", "Your own profile", "Connections to look at"):
        assert heading in html
    assert "messages.csv, line 9: bad date" in html


def test_when_archive_text_carries_markup_then_it_is_escaped(engine: Engine) -> None:
    html = render_scan(result(engine))
    assert "<script>alert" not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "")  # only the escaped form may appear
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_when_report_is_written_then_it_loads_nothing_from_outside(engine: Engine) -> None:
    html = render_scan(result(engine))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "default-src 'none'" in html
