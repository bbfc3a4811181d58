"""The briefing: key facts in both renderings, and hostile profile text kept inert. Data invented."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from counterpitch.alerts import AnyRule, Briefing, evaluate, load_rules, render
from counterpitch.alerts.sanitise import defang, one_line, safe, subject_line
from tests.test_alerts_rules import (
    NOW,
    PAID,
    TRIP,
    WATCH,
    WATCH_RULE,
    Indicator,
    Persona,
    Target,
    campaign_rule,
    facts,
    summary_of,
)

HOSTILE_NAME = "Marta <script>alert('x')</script>\r\nBcc: victim@example.org"
HOSTILE_HEADLINE = '<img src=x onerror="alert(1)"> Talent partner\u202e gnp.exe'
HOSTILE_URL = "javascript:alert(document.cookie)//https://evil.example.net/in/marta"


def campaign_briefing(rule: AnyRule | None = None, **persona: str) -> Briefing:
    members = [facts(1, 9, "t1", role="Parliamentary researcher"), facts(2, 5, "t2", role="Economist")]
    members.append(facts(3, 1, "t3", role="Economist"))
    p = Persona(
        persona.get("name", "Marta Velenko"),
        persona.get("headline", "Executive headhunter"),
        persona.get("company", "Northgate Talent Union"),
        persona.get("profile_url", "https://www.linkedin.com/in/marta-velenko-talent"),
    )
    summary = summary_of(
        members,
        personas=(p,),
        indicators=(
            Indicator("profile_url", persona.get("profile_url", "https://www.linkedin.com/in/marta-velenko-talent")),
            {"kind": "email", "value": "marta@northgate-talent.example"},
            Indicator("wechat", "northgate_marta"),
        ),
        target_people=(
            Target("Alice Staffer", "Parliamentary researcher"),
            Target("Bob Staffer", "Economist"),
            Target("Carol Staffer", "Economist"),
        ),
    )
    (draft,) = evaluate([rule or campaign_rule()], summary, members[-1], NOW, members=members)
    return render(draft, org_name="Example Institute", contact="security@example.org (ext. 4444)")


def flat(text: str) -> str:
    """The plain-text briefing with its wrapping undone, for looking up phrases."""
    return " ".join(text.split())


def visible_text(html: str) -> str:
    parts: list[str] = []

    class Collect(HTMLParser):
        def handle_data(self, data: str) -> None:
            parts.append(data)

    Collect().feed(html)
    return re.sub(r"\s+", " ", " ".join(parts))


BASELINE_TAGS = campaign_briefing().html.count("<")


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return campaign_briefing()


def test_both_renderings_carry_the_key_facts(briefing: Briefing) -> None:
    shown = visible_text(briefing.html)
    for body in (flat(briefing.text), shown):
        assert "TLP:AMBER+STRICT" in body and "for staff of Example Institute only" in body
        assert "3 members of staff" in body and "since 11 November 2026" in body
        assert "Marta Velenko" in body and "Northgate Talent Union" in body and "Executive headhunter" in body
        assert "hxxps://www[.]linkedin[.]com/in/marta-velenko-talent" in body
        assert "E-mail address: marta[@]northgate-talent[.]example" in body and "WeChat id: northgate_marta" in body
        assert "Parliamentary researcher (1)" in body and "Economist (2)" in body
        assert PAID.title in body and TRIP.title in body
        assert "Do not confront the sender" in body and "Do not engage further" in body
        assert "Check your privacy settings" in body and "Keep the messages" in body
        assert "security@example.org (ext. 4444)" in body
        assert "MI5 espionage alert" in body
        assert "(rule: 3 within 30 days)" in body


def test_targets_appear_by_role_never_by_name(briefing: Briefing) -> None:
    for body in (briefing.text, briefing.html, str(briefing.alert)):
        assert "Alice Staffer" not in body and "Bob Staffer" not in body


def test_subject_and_metadata(briefing: Briefing) -> None:
    assert briefing.subject.startswith("[TLP:AMBER+STRICT] HIGH espionage alert: Persona campaign (CP-")
    assert briefing.rule_id == "campaign.targets" and briefing.channels == ("smtp",)
    assert briefing.dedup_key == "campaign.targets:campaign:7:n3-d30-medium"
    assert briefing.alert["campaign_id"] == 7 and briefing.alert["targets"] == 3
    assert {"kind": "wechat", "value": "northgate_marta"} in briefing.alert["indicators"]


def test_hostile_profile_text_is_escaped_flattened_and_defanged() -> None:
    b = campaign_briefing(name=HOSTILE_NAME, headline=HOSTILE_HEADLINE, profile_url=HOSTILE_URL)
    assert "<script" not in b.html and "onerror=" not in b.html.replace("onerror=&#34;", "")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in b.html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in b.html
    assert "<a " not in b.html and "href" not in b.html
    assert "javascript:" not in b.html and "javascript:" not in b.text
    assert "javascript[:]alert(document[.]cookie)//hxxps://evil[.]example[.]net/in/marta" in b.text
    assert all(len(line) <= 78 or " " not in line.strip() for line in b.text.splitlines())  # links stay whole
    assert "\u202e" not in b.text and "\u202e" not in b.html
    for line in b.text.splitlines():
        assert not line.lower().startswith("bcc:"), line
    assert "Name: Marta <script>alert('x')</script> Bcc: victim[@]example[.]org" in flat(b.text)
    assert "\r" not in b.subject and "\n" not in b.subject


def test_report_briefing_names_the_sender_and_finding() -> None:
    report = facts(5, 0, "t1", findings=(WATCH, PAID), role="Defence analyst", profile_url="http://evil.example/p")
    (draft,) = evaluate([WATCH_RULE], None, report, NOW)
    b = render(draft, org_name="Example\r\nInstitute")
    for body in (flat(b.text), visible_text(b.html)):
        assert "A member of staff at Example Institute has reported an approach on 20 November 2026" in body
        assert "Defence analyst (1)" in body and "hxxp://evil[.]example/p" in body
        assert WATCH.title in body and PAID.title in body and "your security team" in body
    assert b.alert["report_id"] == 5 and b.alert["campaign_id"] is None
    assert b.channels == ("smtp", "webhook")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://evil.example.com/a?b=c", "hxxps://evil[.]example[.]com/a?b=c"),
        ("HTTP://Evil.Example", "hxxp://Evil[.]Example"),
        ("visit evil.example now", "visit evil[.]example now"),
        ("javascript:alert(1)", "javascript[:]alert(1)"),
        ("JaVaScRiPt :alert(1)", "JaVaScRiPt[:]alert(1)"),
        ("data:text/html;base64,PHNjcmlwdD4=", "data[:]text/html;base64,PHNjcmlwdD4="),
        ("mailto:a@b.example", "mailto[:]a[@]b[.]example"),
        ("evil\u3002example", "evil[.]example"),
        ("Dr. Marta Velenko, Ph.D", "Dr. Marta Velenko, Ph.D"),
        ("version 2.5 of 10.30", "version 2.5 of 10.30"),
        ("@northgate_marta", "@northgate_marta"),
    ],
)
def test_defang(raw: str, expected: str) -> None:
    assert defang(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nSubject: b", "a Subject: b"),
        ("a\x00b\x1b[31mc", "ab[31mc"),
        ("right\u202eleft\u2066x\u2069", "rightleftx"),
        ("line\u2028sep\u2029para\x85nel", "line sep para nel"),
        ("  spaced\t\tout  ", "spaced out"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_one_line(raw: str, expected: str) -> None:
    assert one_line(raw) == expected


def test_long_values_are_cut() -> None:
    assert len(one_line("x" * 1000)) == 200 and one_line("x" * 1000).endswith("…")
    assert len(subject_line("s" * 1000)) == 160
    assert subject_line("Alert\r\nBcc: x@example.org\x00") == "Alert Bcc: x@example.org"
    assert safe("a.example " * 100).count("[.]") <= 20


def test_the_campaigns_package_summary_fits_the_rules_and_the_briefing() -> None:
    """Contract test: campaigns.summary.CampaignSummary, as the service passes it, through evaluate and render."""
    summary = pytest.importorskip("counterpitch.campaigns.summary")
    linking = pytest.importorskip("counterpitch.campaigns.linking")
    campaign = summary.CampaignSummary(
        id=12,
        report_ids=(1, 2, 3),
        reports=3,
        targets=3,
        first_seen=NOW - timedelta(days=6),
        last_seen=NOW.replace(tzinfo=None),
        indicators=(linking.Indicator("wechat", "northgate_marta"), linking.Indicator("company", "Northgate")),
        personas=(summary.Persona("Marta Velenko", "Headhunter", "Northgate", "linkedin.com/in/mv-t"),),
        target_people=(summary.TargetPerson("Alice Staffer", "Economist"),),
        bands={"high": 2, "medium": 1},
    )
    (draft,) = evaluate(load_rules(), campaign, None, NOW)
    b = render(draft, org_name="Example Institute")
    assert draft.dedup_key == "campaign.targets:campaign:12:n3-d30-medium"
    text = flat(b.text)
    assert "WeChat id: northgate_marta" in text and "Economist (1)" in text and "Alice" not in text
    assert "since 14 November 2026" in text and "linkedin[.]com/in/mv-t" in visible_text(b.html)


HOSTILE_TEXT = st.text(
    alphabet=st.sampled_from(list("<>&\"'=:/.@ \r\n\t\x00\x1b\u2028\u202e\u200bjavascripthtxwevilcom")), max_size=60
)


@settings(max_examples=60, deadline=None)
@given(name=HOSTILE_TEXT, url=HOSTILE_TEXT)
def test_whatever_the_profile_says_the_html_has_the_same_markup(name: str, url: str) -> None:
    """Property: the number of tags does not depend on the profile's text, and no value can open a line."""
    assume(one_line(url))  # an empty indicator is left out, one list item fewer
    b = campaign_briefing(name=name, profile_url=url)
    assert b.html.count("<") == BASELINE_TAGS
    assert not re.search(r"(?i)\b(javascript|https?|data)\s*:", b.text.split("INDICATORS")[0].split("PERSONAS")[1])
    for line in b.text.splitlines():
        assert not line.startswith(("\t", "From:", "To:", "Bcc:", "Subject:"))


@given(raw=st.text(max_size=300))
def test_one_line_never_leaves_a_break_or_control_character(raw: str) -> None:
    out = safe(raw)
    assert len(out) <= 200
    assert all(c == " " or c.isprintable() for c in out)
    assert not re.search(r"(?i)\b(javascript|vbscript|https?|data|file)\s*:", out)
