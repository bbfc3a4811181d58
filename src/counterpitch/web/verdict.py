"""What the verdict page (reporter) and the case page (analyst) show of one report: the message and the sender's
profile with the findings' evidence marked, and the findings themselves.

Every text here comes from the person under suspicion. It reaches the template either as plain strings (which
Jinja2 escapes) or as the Markup `highlight.marked` builds (escaped piece by piece); nothing else is Markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from counterpitch.model import Approach, Finding, PersonProfile
from counterpitch.text import ACCOUNT
from counterpitch.web.highlight import marked
from counterpitch.web.photos import photo_url
from counterpitch.web.services import ReportView

STATUS_LABELS = {
    "new": "New",
    "triaged": "Triaged",
    "confirmed_hostile": "Confirmed hostile",
    "benign": "Benign",
    "closed": "Closed",
}


@dataclass(frozen=True)
class Field:
    label: str
    html: Markup


@dataclass(frozen=True)
class Turn:
    who: str
    when: str | None
    html: Markup


def _profile(profile: PersonProfile | None, findings: tuple[Finding, ...], prefix: str) -> list[Field]:
    """The profile's fields in reading order, each with its evidence marked; empty fields left out."""
    if profile is None:
        return []
    out = []
    for name, label in (
        ("name", "Name"),
        ("headline", "Headline"),
        ("company", "Company"),
        ("organisation", "Organisation"),
        ("location", "Location"),
        ("profile_url", "Profile URL"),
        ("email", "E-mail"),
        ("account_created", "Account created"),
        ("about", "About"),
    ):
        value = getattr(profile, name)
        if value:
            out.append(Field(label, marked(str(value), findings, f"{prefix}.{name}")))
    if profile.connections is not None:
        out.append(Field("Connections", marked(str(profile.connections), findings, f"{prefix}.connections")))
    for i, job in enumerate(profile.experience or ()):
        for name in ("title", "company", "description"):
            value = getattr(job, name)
            if value:
                out.append(
                    Field(f"Experience {i + 1}: {name}", marked(value, findings, f"{prefix}.experience[{i}].{name}"))
                )
    return out


def _thread(approach: Approach, findings: tuple[Finding, ...]) -> list[Turn]:
    return [
        Turn("Sender" if t.from_ == "sender" else "Recipient", t.sent_at, marked(t.text, findings, f"thread[{i}].text"))
        for i, t in enumerate(approach.thread)
    ]


def finding_rows(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    """Findings strongest first, with their evidence as the quotes a reader can find in the message."""
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}
    ranked = sorted(findings, key=lambda f: (order.get(f.severity, 4), -(f.weight or 0.0)))
    return [
        {
            "finding": f,
            # The photo is shown as itself beside the profile: the start of its data: URI says nothing to a reader.
            "quotes": [(e.field, e.quote) for e in f.evidence if e.quote and e.field != "sender.photo"],
        }
        for f in ranked
    ]


def assessed_for(approach: Approach) -> str | None:
    """The recipient's role the verdict was given for (their headline and organisation as stored with the
    report, so it stays what was assessed when the reporter later changes their details); None without one."""
    r = approach.recipient
    role = [v for v in (r.headline, r.organisation) if v] if r is not None else []
    return " · ".join(role) or None


PHOTO_DETECTOR = "persona.generated_photo"


@dataclass(frozen=True)
class Photo:
    """The sender's photo as the pages show it: the thumbnail's own URL (never inlined) and the photo check's
    finding, when it found a generated face."""

    url: str
    width: int
    height: int
    finding: Finding | None


def _photo(view: ReportView) -> Photo | None:
    if view.photo is None:
        return None
    finding = next((f for f in view.assessment.findings if f.detector == PHOTO_DETECTOR), None)
    return Photo(photo_url(view.summary.id), view.photo[0], view.photo[1], finding)


def verdict_context(view: ReportView) -> dict[str, Any]:
    approach, assessment = view.approach, view.assessment
    findings = assessment.findings
    return {
        "view": view,
        "summary": view.summary,
        "approach": approach,
        "assessment": assessment,
        "status_label": STATUS_LABELS.get(view.summary.status, view.summary.status),
        "subject_html": marked(approach.subject, findings, "subject"),
        "text_html": marked(approach.text, findings, "text"),
        "account_html": marked(approach.account, findings, ACCOUNT),
        "thread": _thread(approach, findings),
        "sender_fields": _profile(approach.sender, findings, "sender"),
        "recipient_fields": _profile(approach.recipient, findings, "recipient"),
        "assessed_for": assessed_for(approach),
        "findings": finding_rows(findings),
        "warnings": view.warnings,
        "photo": _photo(view),
    }
