"""Alert rules: loading and validation, and the truth tables of evaluate(). All people, firms and handles here
are invented; the persona names echo the published MI5 ones only where a test needs a watchlist-like finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from counterpitch.alerts import FindingFact, ReportFacts, RuleError, evaluate, load_rules, parse_rules
from counterpitch.alerts.rules import CampaignTargetsRule, DeviceCoveredRule, ReportBandRule, ReportFindingRule
from counterpitch.model import Approach, Assessment, Band

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PAID = FindingFact("lure.paid_reports", "Offers payment for reports or insights", "high")
TRIP = FindingFact("lure.paid_travel", "Offers an all-expenses-paid trip abroad", "medium")
WATCH = FindingFact("watchlist.name_company", "Sender matches a persona named by a security service", "high")


@dataclass(frozen=True)
class Indicator:
    kind: str
    value: str


@dataclass(frozen=True)
class Persona:
    name: str | None
    headline: str | None
    company: str | None
    profile_url: str | None


@dataclass(frozen=True)
class Target:
    name: str | None
    headline: str | None


@dataclass(frozen=True)
class Summary:
    """Stands in for campaigns.persist.CampaignSummary: the fields alerts.facts.CampaignLike reads."""

    id: int
    report_ids: tuple[int, ...]
    reports: int
    targets: int
    first_seen: datetime
    last_seen: datetime
    indicators: tuple[Any, ...] = ()
    personas: tuple[Any, ...] = ()
    target_people: tuple[Any, ...] = ()
    bands: dict[str, int] = field(default_factory=dict)


def facts(
    report_id: int,
    days_ago: float,
    target: str,
    band: str = "high",
    findings: tuple[FindingFact, ...] = (PAID, TRIP),
    **sender: Any,
) -> ReportFacts:
    return ReportFacts(
        report_id=report_id,
        approach_id=f"a-{report_id}",
        band=band,
        score={"low": 10.0, "medium": 50.0, "high": 85.0}[band],
        reported_at=NOW - timedelta(days=days_ago),
        findings=findings,
        sender_name=sender.get("name", "Marta Velenko"),
        sender_headline=sender.get("headline", "Executive headhunter"),
        sender_company=sender.get("company", "Northgate Talent Union"),
        sender_profile_url=sender.get("profile_url", "https://www.linkedin.com/in/marta-velenko-talent"),
        target=target,
        target_role=sender.get("role", f"Policy adviser {target[-1]}"),
    )


def summary_of(members: list[ReportFacts], campaign_id: int = 7, **over: Any) -> Summary:
    base: dict[str, Any] = {
        "id": campaign_id,
        "report_ids": tuple(m.report_id for m in members),
        "reports": len(members),
        "targets": len({m.target for m in members}),
        "first_seen": min(m.reported_at for m in members),
        "last_seen": max(m.reported_at for m in members),
        "indicators": (
            Indicator("profile_url", "https://www.linkedin.com/in/marta-velenko-talent"),
            Indicator("wechat", "northgate_marta"),
            Indicator("company", "Northgate Talent Union"),
        ),
        "personas": (
            Persona("Marta Velenko", "Executive headhunter", "Northgate Talent Union", "linkedin.com/in/mv-t"),
        ),
        "target_people": tuple(Target(f"Staff Person {i}", m.target_role) for i, m in enumerate(members)),
        "bands": {b: sum(1 for m in members if m.band == b) for b in ("low", "medium", "high")},
    }
    base.update(over)
    return Summary(**base)


def campaign_rule(n: int = 3, days: int = 30, min_band: Band = "medium") -> CampaignTargetsRule:
    return CampaignTargetsRule(
        id="campaign.targets",
        kind="campaign_targets",
        title="Persona campaign",
        severity="high",
        channels=("smtp",),
        targets=n,
        within_days=days,
        min_band=min_band,
    )


WATCH_RULE = ReportFindingRule(
    id="report.watchlist",
    kind="report_finding",
    title="Watchlist hit",
    severity="high",
    channels=("smtp", "webhook"),
    detector_prefix="watchlist.",
)
HIGH_RULE = ReportBandRule(
    id="report.high", kind="report_band", title="High", severity="medium", channels=("webhook",), min_band="high"
)


# --- loading -------------------------------------------------------------------------------------------------


def test_when_no_path_then_the_shipped_defaults_load() -> None:
    rules = load_rules()
    assert [r.id for r in rules] == [
        "campaign.targets",
        "report.watchlist",
        "report.band_high",
        "device.returned",
        "device.new",
    ]
    campaign = rules[0]
    assert isinstance(campaign, CampaignTargetsRule)
    assert (campaign.targets, campaign.within_days, campaign.min_band) == (3, 30, "medium")
    assert isinstance(rules[1], ReportFindingRule) and rules[1].detector_prefix == "watchlist."
    assert [(r.kind, r.event) for r in rules[3:] if isinstance(r, DeviceCoveredRule)] == [
        ("device_covered", "returned"),
        ("device_covered", "new"),
    ]


def test_when_a_file_is_given_then_its_rules_load(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "version: 1\nrules:\n  - {id: c.five, kind: campaign_targets, title: Five, severity: medium,\n"
        "     channels: [webhook], targets: 5, within_days: 7, recipients: [soc@example.org]}\n"
    )
    (rule,) = load_rules(path)
    assert isinstance(rule, CampaignTargetsRule)
    assert (rule.targets, rule.within_days, rule.min_band, rule.recipients) == (5, 7, "low", ("soc@example.org",))


RULE = "{id: r1, kind: campaign_targets, title: T, severity: high, channels: [smtp], targets: 3, within_days: 30"
BAD_TITLE = 'title: "A\\r\\nBcc: x@example.org"'
BAD_RECIPIENT = "recipients: ['a@example.org\\r\\nBcc: b@example.org']"


def one(rule: str, *swap: str) -> str:
    """A rules file holding RULE, with (old, new) pairs swapped into it."""
    for old, new in zip(swap[::2], swap[1::2], strict=True):
        rule = rule.replace(old, new)
    return "version: 1\nrules: [" + rule + "}]"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("rules: []", "'version: 1'"),
        ("version: 1\nrules: {}", "'rules' list"),
        ("version: 1\nrules: [", "not valid YAML"),
        (one(RULE + ", target: 4"), "field 'target'"),
        (one(RULE, "targets: 3", "targets: 1"), "field 'targets'"),
        (one(RULE, "within_days: 30", "within_days: 0"), "field 'within_days'"),
        (one(RULE, "campaign_targets", "campaign_size"), "field 'kind'"),
        (one(RULE, "[smtp]", "[pager]"), "field 'channels.0'"),
        (one(RULE, "[smtp]", "[smtp, smtp]"), "field 'channels'"),
        (one(RULE, "[smtp]", "[]"), "field 'channels'"),
        (one(RULE, "high", "urgent"), "field 'severity'"),
        (one(RULE, "r1", "R 1"), "field 'id'"),
        (one(RULE, "title: T", BAD_TITLE), "field 'title'"),
        (one(RULE + ", " + BAD_RECIPIENT), "field 'recipients'"),
        ("version: 1\nrules: [" + RULE + "}, " + RULE + "}]", "more than once: r1"),
        ("version: 1\nrules: [{id: r2, kind: report_band, title: T, severity: low, channels: [smtp]}]", "min_band"),
    ],
)
def test_when_a_rules_file_is_wrong_then_the_error_names_the_field(doc: str, message: str) -> None:
    with pytest.raises(RuleError) as err:
        parse_rules(doc, "my-rules.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("my-rules.yaml: ")


def test_when_the_rule_id_is_known_then_the_error_names_it() -> None:
    with pytest.raises(RuleError, match=r"rule 0 \('r1'\): field 'targets'"):
        parse_rules(one(RULE, "targets: 3", "targets: x"))


def test_when_the_file_is_missing_or_huge_then_a_rule_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="cannot read"):
        load_rules(tmp_path / "absent.yaml")
    with pytest.raises(RuleError, match="cannot read"):
        load_rules(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 1_000_001)
    with pytest.raises(RuleError, match="larger than"):
        load_rules(big)


# --- campaign rule: N distinct targets within D days -----------------------------------------------------------


def test_when_one_target_short_then_no_alert() -> None:
    members = [facts(1, 5, "t1"), facts(2, 4, "t2")]
    assert evaluate([campaign_rule()], summary_of(members), members[-1], NOW, members=members) == []


def test_when_n_targets_within_d_days_then_one_alert_with_the_window() -> None:
    members = [facts(1, 20, "t1"), facts(2, 10, "t2"), facts(3, 1, "t3")]
    (draft,) = evaluate([campaign_rule()], summary_of(members), members[-1], NOW, members=members)
    assert draft.dedup_key == "campaign.targets:campaign:7:n3-d30-medium"
    assert draft.trigger.targets == 3
    assert draft.trigger.since == members[0].reported_at and draft.trigger.until == members[2].reported_at
    assert draft.campaign is not None and draft.campaign.id == 7
    assert [m.report_id for m in draft.members] == [1, 2, 3]


def test_when_n_targets_are_spread_over_more_than_d_days_then_no_alert() -> None:
    members = [facts(1, 70, "t1"), facts(2, 40, "t2"), facts(3, 1, "t3")]
    assert evaluate([campaign_rule()], summary_of(members), None, NOW, members=members) == []


def test_when_a_burst_comes_late_in_a_long_campaign_then_the_window_finds_it() -> None:
    members = [facts(1, 200, "t1"), facts(2, 12, "t2"), facts(3, 9, "t3"), facts(4, 2, "t4")]
    (draft,) = evaluate([campaign_rule()], summary_of(members), None, NOW, members=members)
    assert draft.trigger.since == members[1].reported_at and draft.trigger.targets == 3


def test_when_one_person_reports_three_times_then_it_is_one_target() -> None:
    members = [facts(1, 3, "t1"), facts(2, 2, "t1"), facts(3, 1, "t2")]
    assert evaluate([campaign_rule()], summary_of(members), None, NOW, members=members) == []


def test_when_reports_are_below_the_minimum_band_then_they_do_not_count() -> None:
    members = [facts(1, 3, "t1"), facts(2, 2, "t2"), facts(3, 1, "t3", band="low")]
    assert evaluate([campaign_rule()], summary_of(members), None, NOW, members=members) == []
    assert len(evaluate([campaign_rule(min_band="low")], summary_of(members), None, NOW, members=members)) == 1


def test_when_a_report_is_after_now_then_it_does_not_count() -> None:
    members = [facts(1, 3, "t1"), facts(2, 2, "t2"), facts(3, -1, "t3")]
    assert evaluate([campaign_rule()], summary_of(members), None, NOW, members=members) == []


def test_when_members_leave_out_the_new_report_then_it_is_added() -> None:
    members = [facts(1, 3, "t1"), facts(2, 2, "t2"), facts(3, 1, "t3")]
    assert len(evaluate([campaign_rule()], summary_of(members), members[2], NOW, members=members[:2])) == 1


def test_when_a_stray_report_is_among_the_members_then_it_is_ignored() -> None:
    members = [facts(1, 3, "t1"), facts(2, 2, "t2")]
    stray = facts(99, 1, "t9")
    assert evaluate([campaign_rule()], summary_of(members), stray, NOW, members=[*members, stray]) == []


@pytest.mark.parametrize(
    ("targets", "span_days", "bands", "fires"),
    [
        (3, 10, {"high": 3}, True),
        (2, 10, {"high": 3}, False),
        (3, 31, {"high": 3}, False),
        (3, 10, {"high": 2, "low": 1}, False),
        (4, 30, {"medium": 4}, True),
    ],
)
def test_when_no_members_are_given_then_the_summary_decides(
    targets: int, span_days: int, bands: dict[str, int], fires: bool
) -> None:
    members = [facts(1, span_days, "t1"), facts(2, 0, "t2")]
    summary = summary_of(members, targets=targets, bands=bands)
    assert bool(evaluate([campaign_rule()], summary, None, NOW)) is fires


def test_when_the_campaign_grows_then_the_dedup_key_stays() -> None:
    three = [facts(1, 3, "t1"), facts(2, 2, "t2"), facts(3, 1, "t3")]
    four = [*three, facts(4, 0, "t4")]
    (a,) = evaluate([campaign_rule()], summary_of(three), None, NOW, members=three)
    (b,) = evaluate([campaign_rule()], summary_of(four), None, NOW + timedelta(hours=1), members=four)
    assert a.dedup_key == b.dedup_key
    (c,) = evaluate([campaign_rule(n=4)], summary_of(four), None, NOW, members=four)
    assert c.dedup_key != a.dedup_key


def test_when_times_are_naive_then_they_are_taken_as_utc() -> None:
    members = [facts(1, 3, "t1"), facts(2, 2, "t2"), facts(3, 1, "t3")]
    naive = [ReportFacts(**{**m.__dict__, "reported_at": m.reported_at.replace(tzinfo=None)}) for m in members]
    assert len(evaluate([campaign_rule()], summary_of(members), None, NOW.replace(tzinfo=None), members=naive)) == 1


# --- report rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("band", "findings", "expected"),
    [
        ("high", (WATCH, PAID), ["report.watchlist", "report.high"]),
        ("medium", (PAID, WATCH), ["report.watchlist"]),
        ("low", (WATCH,), ["report.watchlist"]),
        ("high", (PAID, TRIP), ["report.high"]),
        ("medium", (PAID,), []),
        ("low", (), []),
        ("high", (FindingFact("persona.watchlisted_style", "Not a watchlist detector", "high"),), ["report.high"]),
    ],
)
def test_report_rules_truth_table(band: str, findings: tuple[FindingFact, ...], expected: list[str]) -> None:
    report = facts(5, 0, "t1", band=band, findings=findings)
    drafts = evaluate([WATCH_RULE, HIGH_RULE], None, report, NOW)
    assert [d.rule.id for d in drafts] == expected
    for d in drafts:
        assert d.dedup_key.startswith(f"{d.rule.id}:report:5:")
        assert d.report is report and d.campaign is None


def test_when_report_and_campaign_both_fire_then_each_rule_has_its_own_subject() -> None:
    members = [facts(1, 3, "t1"), facts(2, 2, "t2"), facts(3, 1, "t3", findings=(WATCH,))]
    drafts = evaluate([campaign_rule(), WATCH_RULE], summary_of(members), members[2], NOW, members=members)
    assert [d.dedup_key for d in drafts] == [
        "campaign.targets:campaign:7:n3-d30-medium",
        "report.watchlist:report:3:watchlist.",
    ]
    assert drafts[0].campaign is not None and drafts[0].report is members[2]
    assert drafts[1].campaign is None and drafts[1].members == ()
    again = evaluate([campaign_rule(), WATCH_RULE], summary_of(members), members[2], NOW, members=members)
    assert [d.dedup_key for d in again] == [d.dedup_key for d in drafts]


def test_when_nothing_is_given_then_no_rule_runs() -> None:
    assert evaluate(load_rules(), None, None, NOW) == []


# --- facts from stored records ---------------------------------------------------------------------------------


def test_facts_from_records_rank_findings_and_key_the_target() -> None:
    approach = Approach.model_validate(
        {
            "id": "a1",
            "text": "Invented message.",
            "sender": {"name": "Marta Velenko", "company": "Northgate Talent Union"},
            "recipient": {"name": "Pat Example", "headline": "Clerk", "profile_url": "linkedin.com/in/Pat-Ex/"},
        }
    )
    finding = {"evidence": [{"field": "text"}], "explanation": "x"}
    assessment = Assessment.model_validate(
        {
            "id": "a1",
            "score": 91,
            "band": "high",
            "findings": [
                {**finding, "detector": "persona.new_account", "title": "New", "severity": "low"},
                {**finding, "detector": "lure.paid_reports", "title": "Paid", "severity": "high", "weight": 1.0},
                {**finding, "detector": "watchlist.company", "title": "Firm", "severity": "high", "weight": 2.0},
            ],
        }
    )
    f = ReportFacts.from_records(11, approach, assessment, NOW.replace(tzinfo=None), reporter_id=4)
    assert f.detectors == ("watchlist.company", "lure.paid_reports", "persona.new_account")
    assert f.target == "url:linkedin.com/in/pat-ex" and f.target_role == "Clerk"
    assert f.reported_at.tzinfo is not None and f.sender_company == "Northgate Talent Union"
    anonymous = Approach.model_validate({"id": "a2", "text": "x"})
    assert ReportFacts.from_records(12, anonymous, assessment, NOW, reporter_id=4).target == "reporter:4"
