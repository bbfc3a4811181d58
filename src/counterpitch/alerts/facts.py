"""What the alert rules read: a campaign summary (a Protocol, so alerts need not import campaigns/) and the
facts of one stored report.

The campaign summary is owned by counterpitch.campaigns; only the fields below are read, and each is typed as
widely as the producer may reasonably give it (a persona or indicator as an object or a mapping, a time as a
datetime or an ISO string), so the two packages can evolve apart. Times without a zone are taken as UTC: SQLite
hands back naive datetimes even for zone-aware columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from counterpitch.model import Approach, Assessment, Finding
from counterpitch.watchlist import normalise_email, normalise_person, normalise_profile_url

BAND_RANK = {"low": 0, "medium": 1, "high": 2}
SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}


class IndicatorLike(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def value(self) -> str: ...


class PersonaLike(Protocol):
    @property
    def name(self) -> str | None: ...

    @property
    def headline(self) -> str | None: ...

    @property
    def company(self) -> str | None: ...

    @property
    def profile_url(self) -> str | None: ...


class TargetLike(Protocol):
    @property
    def name(self) -> str | None: ...

    @property
    def headline(self) -> str | None: ...


class CampaignLike(Protocol):
    """The fields of campaigns.persist.CampaignSummary that the alert rules and the briefing read."""

    @property
    def id(self) -> int: ...

    @property
    def report_ids(self) -> Sequence[int]: ...

    @property
    def reports(self) -> int: ...

    @property
    def targets(self) -> int: ...

    @property
    def first_seen(self) -> datetime | str: ...

    @property
    def last_seen(self) -> datetime | str: ...

    @property
    def indicators(self) -> Sequence[IndicatorLike | Mapping[str, Any]]: ...

    @property
    def personas(self) -> Sequence[PersonaLike | Mapping[str, Any]]: ...

    @property
    def target_people(self) -> Sequence[TargetLike | Mapping[str, Any]]: ...

    @property
    def bands(self) -> Mapping[str, int]: ...


def text_field(item: object, name: str) -> str | None:
    """A text field of a persona, target or indicator given as an object or a mapping; None when absent."""
    value = item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
    return None if value is None else str(value)


def as_utc(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class FindingFact:
    detector: str
    title: str
    severity: str


@dataclass(frozen=True)
class ReportFacts:
    """One stored report as the rules see it. ``target`` says which member of staff was approached: two reports
    with the same target count once towards "N distinct targets". ``findings`` are strongest first."""

    report_id: int
    approach_id: str
    band: str
    score: float
    reported_at: datetime
    findings: tuple[FindingFact, ...] = ()
    sender_name: str | None = None
    sender_headline: str | None = None
    sender_company: str | None = None
    sender_profile_url: str | None = None
    target: str = ""
    #: The recipient's headline: the briefing says who is targeted by role, not by name.
    target_role: str | None = None

    @property
    def detectors(self) -> tuple[str, ...]:
        return tuple(f.detector for f in self.findings)

    @classmethod
    def from_records(
        cls, report_id: int, approach: Approach, assessment: Assessment, reported_at: datetime, reporter_id: int
    ) -> ReportFacts:
        """Facts of a stored report, from its Approach and Assessment records and its reporter."""
        sender, recipient = approach.sender, approach.recipient
        return cls(
            report_id=report_id,
            approach_id=approach.id,
            band=assessment.band,
            score=assessment.score,
            reported_at=as_utc(reported_at),
            findings=tuple(
                FindingFact(f.detector, f.title, f.severity) for f in sorted(assessment.findings, key=_strength)
            ),
            sender_name=sender.name if sender else None,
            sender_headline=sender.headline if sender else None,
            sender_company=sender.company if sender else None,
            sender_profile_url=sender.profile_url if sender else None,
            target=target_key(approach, reporter_id),
            target_role=recipient.headline if recipient else None,
        )


def _strength(f: Finding) -> tuple[int, float]:
    return (-SEVERITY_RANK.get(f.severity, 0), -(f.weight or 0.0))


def target_key(approach: Approach, reporter_id: int) -> str:
    """The approached person's identity: their profile URL, e-mail or name, else the member of staff who
    reported it (staff mostly report what was sent to them)."""
    r = approach.recipient
    if r is not None:
        for prefix, key in (
            ("url", normalise_profile_url(r.profile_url or "")),
            ("email", normalise_email(r.email or "")),
            ("name", normalise_person(r.name or "")),
        ):
            if key:
                return f"{prefix}:{key}"
    return f"reporter:{reporter_id}"
