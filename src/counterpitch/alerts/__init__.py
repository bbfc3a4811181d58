"""Alerts: rules over reports and campaigns, an espionage-alert briefing, delivery by SMTP and webhook.

Data flows rules -> evaluate -> render -> deliver, one module each::

    rules = load_rules(settings.alert_rules_path)            # once, at start-up; RuleError names the field
    facts = ReportFacts.from_records(report_id, approach, assessment, reported_at, reporter_id)
    for draft in evaluate(rules, summary, facts, now, members=member_facts):
        if already_stored(draft.dedup_key):                  # alerts.dedup_key is unique: one alert per key
            continue
        briefing = render(draft, org_name=settings.org_name, contact=settings.alert_contact)
        store(briefing)                                      # subject, text, html, rule_id, dedup_key
        outcome = deliver(briefing, DeliverySettings(smtp=..., webhook=...))   # never raises; blocks
        store_outcome(outcome)                               # {"smtp": "sent", "webhook": "error: HTTP 500 ..."}

- ``summary`` is a campaigns.persist.CampaignSummary (any object with the fields of facts.CampaignLike), or
  None when the report links to no campaign; ``members`` are the campaign's reports as ReportFacts: with them
  "N distinct targets within D days" is exact over a sliding window, without them it falls back to the
  summary's target count and first/last dates.
- evaluate() and render() are pure; deliver() does network I/O with timeouts and bounded retries.
- Every value from a profile is untrusted: render() makes it one line, defangs links and escapes HTML.
"""

from __future__ import annotations

from counterpitch.alerts.deliver import DeliverySettings, SmtpSettings, WebhookSettings, deliver
from counterpitch.alerts.evaluate import AlertDraft, evaluate
from counterpitch.alerts.facts import CampaignLike, FindingFact, ReportFacts
from counterpitch.alerts.render import Briefing, render
from counterpitch.alerts.rules import AnyRule, RuleError, Trigger, load_rules, parse_rules

__all__ = [
    "AlertDraft",
    "AnyRule",
    "Briefing",
    "CampaignLike",
    "DeliverySettings",
    "FindingFact",
    "ReportFacts",
    "RuleError",
    "SmtpSettings",
    "Trigger",
    "WebhookSettings",
    "deliver",
    "evaluate",
    "load_rules",
    "parse_rules",
    "render",
]
