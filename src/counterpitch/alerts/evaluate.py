"""Rules against a campaign or a report: pure, so the service decides when to run it and what to store.

The same rule on the same subject always yields the same dedup key; the service keeps one alert per key
(alerts.dedup_key is unique), so a campaign that keeps growing alerts once per rule, not at every report: its
alert is updated instead (web/alerting.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from counterpitch.alerts.facts import CampaignLike, ReportFacts, as_utc
from counterpitch.alerts.rules import AnyRule, Trigger


@dataclass(frozen=True)
class AlertDraft:
    """An alert before rendering: the rule, its subject and why it fired."""

    rule: AnyRule
    dedup_key: str
    created_at: datetime
    trigger: Trigger
    campaign: CampaignLike | None = None
    report: ReportFacts | None = None
    #: The campaign's reports as facts (when the caller gave them): what the personas ask for comes from here.
    members: tuple[ReportFacts, ...] = ()


def evaluate(
    rules: Sequence[AnyRule],
    summary: CampaignLike | None,
    report: ReportFacts | None,
    now: datetime,
    *,
    members: Sequence[ReportFacts] = (),
) -> list[AlertDraft]:
    """Drafts for every rule that fires, in rule order.

    Campaign rules look at ``summary`` (and at ``members``, the campaign's reports, for an exact time window;
    ``report`` is added to them when it belongs to the campaign; without members the summary's counts and
    first/last dates decide, which misses a burst inside a long-running campaign); report rules look at
    ``report``.
    """
    now = as_utc(now)
    members = _members(summary, report, members)
    drafts: list[AlertDraft] = []
    for rule in rules:
        if rule.scope == "campaign" and summary is not None:
            trigger = rule.check_campaign(summary, members, now)
            subject_id = summary.id
        elif rule.scope == "report" and report is not None:
            trigger = rule.check_report(report)
            subject_id = report.report_id
        else:
            continue
        if trigger is None:
            continue
        key = rule.dedup_key(subject_id)
        if rule.scope == "campaign":
            drafts.append(AlertDraft(rule, key, now, trigger, campaign=summary, report=report, members=members))
        else:  # a report's alert speaks of that report alone, even when it belongs to a campaign
            drafts.append(AlertDraft(rule, key, now, trigger, report=report))
    return drafts


def _members(
    summary: CampaignLike | None, report: ReportFacts | None, given: Sequence[ReportFacts]
) -> tuple[ReportFacts, ...]:
    """The campaign's reports, without duplicates or strays, the new report included when it belongs."""
    if summary is None or not given:
        return ()
    ids = set(summary.report_ids)
    chosen = {m.report_id: m for m in given if not ids or m.report_id in ids}
    if report is not None and report.report_id in ids:
        chosen.setdefault(report.report_id, report)
    return tuple(sorted(chosen.values(), key=lambda m: (as_utc(m.reported_at), m.report_id)))
