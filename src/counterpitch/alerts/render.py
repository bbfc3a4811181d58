"""An alert draft as a briefing in the manner of a security service's espionage alert.

The shape follows the public alerts it imitates (MI5 to Parliament, November 2025; BfV, 2017): a handling
marking, who is being targeted and since when, the personas by the names and firms they use, the indicators
to look out for, what the approaches ask for, what staff should do (NPSA "Think Before You Link") and whom to
tell. docs/decisions/0022-alert-briefing.md gives the reasons.

Targets appear by role only (their headlines), never by name: the briefing goes to many people, and the
people approached are the ones it protects. Every value from a profile is made one line and defanged
(sanitise.py) before either template sees it; the HTML template autoescapes on top of that.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from counterpitch.alerts.evaluate import AlertDraft
from counterpitch.alerts.facts import ReportFacts, as_utc
from counterpitch.alerts.facts import text_field as get
from counterpitch.alerts.sanitise import one_line, safe, subject_line

MARKING = "TLP:AMBER+STRICT"
MAX_LISTED = 12
MAX_ASKS = 6
WRAP = 78

#: What staff should do, after NPSA/CPNI "Think Before You Link" (tradecraft.md, "Guidance the tool's advice can
#: follow") and the MI5 alert's advice to its recipients. {contact} and {org} are filled in, already made safe.
GUIDANCE = (
    "Do not engage further with these profiles and do not accept new invitations from them.",
    "Do not confront the sender or let them know you suspect them.",
    "Report any contact from these personas, or any approach like it, to {contact}.",
    "Keep the messages, the profile and any attachments as they are; do not delete them, do not forward them "
    "outside {org}, and do not open their links or attachments.",
    "Check your privacy settings: keep profile detail to a minimum and do not advertise a clearance, a "
    "sensitive role or project.",
    "A shared contact does not make a profile genuine, and offers that seem too good to be true are suspect.",
    "If you have already shared anything, been paid or travelled at their expense, tell {contact}: it is what "
    "they need to protect you.",
)

_ENV = Environment(
    loader=PackageLoader("counterpitch.alerts", "templates"),
    # Plain-text templates are not HTML-escaped (their values are made safe by sanitise.py); all else is.
    autoescape=select_autoescape(enabled_extensions=("html.j2",), disabled_extensions=("txt.j2",), default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _fill(text: str, first: str = "", rest: str = "") -> str:
    """Plain text wrapped for mail readers. Untrusted values sit in indented items, so a wrapped line of theirs
    starts with spaces and never looks like a header; links are never broken (long words stay whole)."""
    return textwrap.fill(
        " ".join(str(text).split()),
        WRAP,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


_ENV.filters["fill"] = _fill
#: The briefing templates' environment, for the other briefings in this package (alerts/devices.py).
TEMPLATES = _ENV


@dataclass(frozen=True)
class Briefing:
    """A rendered alert: what deliver() sends and what the service stores in the alerts table."""

    subject: str
    text: str
    html: str
    rule_id: str
    dedup_key: str
    severity: str
    channels: tuple[str, ...]
    recipients: tuple[str, ...]
    #: The alert's facts as JSON-ready values (one-line, not defanged): the webhook's "alert" object.
    alert: Mapping[str, Any] = field(default_factory=dict)
    #: 0 when first raised; n for its n-th update (a campaign alert is updated as reports join the campaign).
    revision: int = 0

    @property
    def delivery_id(self) -> str:
        """What a receiver deduplicates on: the same on every retry of one send, new for each update."""
        return self.dedup_key if not self.revision else f"{self.dedup_key}#update-{self.revision}"


def render(draft: AlertDraft, *, org_name: str, contact: str = "your security team", revision: int = 0) -> Briefing:
    """The briefing for a draft, in plain text and HTML, for staff of ``org_name``; ``contact`` is whom to tell;
    ``revision`` n > 0 marks it as the n-th update of an alert already sent."""
    view = _view(draft, one_line(org_name, 120) or "your organisation", one_line(contact, 200))
    rule = draft.rule
    kind = f"espionage alert (update {revision})" if revision else "espionage alert"
    return Briefing(
        subject=subject_line(f"[{MARKING}] {rule.severity.upper()} {kind}: {rule.title} ({view['ref']})"),
        text=_ENV.get_template("briefing.txt.j2").render(v=view),
        html=_ENV.get_template("briefing.html.j2").render(v=view),
        rule_id=rule.id,
        dedup_key=draft.dedup_key,
        severity=rule.severity,
        channels=tuple(rule.channels),
        recipients=tuple(rule.recipients),
        alert={**_alert_json(draft, view), "revision": revision},
        revision=revision,
    )


def _view(draft: AlertDraft, org: str, contact: str) -> dict[str, Any]:
    """Everything the templates show, each untrusted value already one line and defanged."""
    personas = _personas(draft)
    roles = _roles(draft)
    since = as_utc(draft.campaign.first_seen) if draft.rule.scope == "campaign" and draft.campaign else None
    since = since or (draft.report.reported_at if draft.report else None)
    return {
        "ref": "CP-" + hashlib.sha256(draft.dedup_key.encode()).hexdigest()[:10].upper(),
        "marking": MARKING,
        "org": org,
        "contact": contact,
        "title": one_line(draft.rule.title),
        "severity": draft.rule.severity,
        "issued": f"{draft.created_at:%d %B %Y, %H:%M} UTC",
        "scope": draft.rule.scope,
        "reason": one_line(draft.trigger.reason),
        "targets": draft.trigger.targets or _target_count(draft),
        "since": f"{since:%d %B %Y}" if since else None,
        "roles": [(safe(role), n) for role, n in roles],
        "personas": [{k: safe(v) if v else "" for k, v in p.items()} for p in personas],
        "indicators": [(safe(_label(kind), 40), safe(value)) for kind, value in _indicators(draft)],
        "asks": [safe(title) for title in _asks(draft)],
        "steps": [step.format(contact=contact, org=org) for step in GUIDANCE],
    }


def _report_id(draft: AlertDraft) -> int | None:
    return draft.report.report_id if draft.report else None


def _target_count(draft: AlertDraft) -> int:
    if draft.campaign is not None:
        return draft.campaign.targets
    return 1 if draft.report else 0


def _personas(draft: AlertDraft) -> list[dict[str, str | None]]:
    fields = ("name", "headline", "company", "profile_url")
    if draft.campaign is not None and draft.campaign.personas:
        found = [{f: get(p, f) for f in fields} for p in draft.campaign.personas]
    else:
        reports = [draft.report] if draft.report else list(draft.members)
        found = [_sender(r) for r in reports]
    unique = {tuple(p.values()): p for p in found if any(p.values())}
    return list(unique.values())[:MAX_LISTED]


def _sender(r: ReportFacts) -> dict[str, str | None]:
    return {
        "name": r.sender_name,
        "headline": r.sender_headline,
        "company": r.sender_company,
        "profile_url": r.sender_profile_url,
    }


def _roles(draft: AlertDraft) -> list[tuple[str, int]]:
    """Who is targeted, by the role their profile states; people without one count as 'role not stated'."""
    if draft.campaign is not None and draft.campaign.target_people:
        heads = [get(t, "headline") for t in draft.campaign.target_people]
    elif draft.members:
        heads = list({m.target: m.target_role for m in draft.members}.values())
    else:
        heads = [draft.report.target_role] if draft.report else []
    counts = Counter(one_line(h) if h and one_line(h) else "role not stated" for h in heads)
    return counts.most_common(MAX_LISTED)


def _indicators(draft: AlertDraft) -> list[tuple[str, str]]:
    if draft.campaign is not None:
        pairs = [(get(i, "kind") or "indicator", get(i, "value") or "") for i in draft.campaign.indicators]
    else:
        r = draft.report
        pairs = [("profile_url", r.sender_profile_url or ""), ("company", r.sender_company or "")] if r else []
    return [(k, v) for k, v in dict.fromkeys(pairs) if v.strip()][:MAX_LISTED]


#: How the campaign indicator kinds (campaigns/indicators.py) read in a briefing; others are shown as named.
KIND_LABELS = {
    "profile_url": "Profile URL",
    "email": "E-mail address",
    "email_domain": "Mail domain",
    "phone": "Phone number",
    "company": "Firm",
    "name": "Persona and firm",
    "text": "Message text",
    "wechat": "WeChat id",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "signal": "Signal",
}


def _label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _asks(draft: AlertDraft) -> list[str]:
    """The strongest findings' titles across the reports: what the personas ask for or offer."""
    reports = list(draft.members) or ([draft.report] if draft.report else [])
    ranked = sorted(
        ((i, f.title) for r in reports for i, f in enumerate(r.findings) if f.severity in ("medium", "high")),
        key=lambda pair: pair[0],
    )
    return list(dict.fromkeys(title for _, title in ranked))[:MAX_ASKS]


def _alert_json(draft: AlertDraft, view: Mapping[str, Any]) -> dict[str, Any]:
    trig = draft.trigger
    return {
        "ref": view["ref"],
        "rule_id": draft.rule.id,
        "title": view["title"],
        "severity": draft.rule.severity,
        "dedup_key": draft.dedup_key,
        "created_at": draft.created_at.isoformat(),
        "campaign_id": draft.campaign.id if draft.campaign else None,
        "report_id": _report_id(draft),
        "reason": view["reason"],
        "targets": view["targets"],
        "since": trig.since.isoformat() if trig.since else None,
        "until": trig.until.isoformat() if trig.until else None,
        "roles": [{"role": role, "count": n} for role, n in _roles(draft)],
        "personas": [{k: one_line(v) if v else None for k, v in p.items()} for p in _personas(draft)],
        "indicators": [{"kind": one_line(k, 40), "value": one_line(v)} for k, v in _indicators(draft)],
        "asks": [one_line(t) for t in _asks(draft)],
    }
