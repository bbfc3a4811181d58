"""Alert rules as data, validated on load.

A rules file is YAML: ``version: 1`` and a ``rules`` list. Every rule has

============  ============================================================================================
id            stable lower-case id (``campaign.targets``); part of every alert's dedup key
kind          ``campaign_targets``, ``report_finding``, ``report_band`` or ``device_covered`` (below)
title         what the briefing is headed with, one line
severity      ``info``, ``low``, ``medium`` or ``high``
channels      ``smtp`` and/or ``webhook``
recipients    e-mail addresses for this rule; empty means the service's SMTP ``to`` list
============  ============================================================================================

and the fields of its kind:

- ``campaign_targets``: ``targets`` (N, at least 2) distinct members of staff approached within ``within_days``
  (D) days by one campaign; ``min_band`` (default ``low``): only reports rated at least this count.
- ``report_finding``: a report with a finding whose detector id starts with ``detector_prefix``
  (``watchlist.`` for any watchlist hit).
- ``report_band``: a report rated ``min_band`` or higher.
- ``device_covered``: an imported device audit (store/devices.py) shows a covered device: ``event: returned``
  when it had been marked removed, ``event: new`` when it is new to a site imported before (a site's first
  import is its baseline). One alert per device and rule.

Unknown fields are errors, so a misspelt threshold fails at start-up instead of silently using a default.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from counterpitch.alerts.facts import BAND_RANK, CampaignLike, ReportFacts, as_utc
from counterpitch.model import Band, Severity

ChannelName = Literal["smtp", "webhook"]
MAX_RULES_BYTES = 1_000_000
_ADDRESS = re.compile(r"^[^\s@<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class RuleError(ValueError):
    """A rules file that cannot be used; the message names the file, the rule and the field."""


@dataclass(frozen=True)
class Trigger:
    """Why a rule fired: a sentence for the briefing and, for campaign rules, the window that met it."""

    reason: str
    since: datetime | None = None
    until: datetime | None = None
    targets: int | None = None


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    scope: ClassVar[Literal["campaign", "report", "device"]]

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")
    title: str = Field(min_length=1, max_length=160)
    severity: Severity
    channels: tuple[ChannelName, ...] = Field(min_length=1)
    recipients: tuple[str, ...] = ()

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if _CONTROL.search(value):
            raise ValueError("must be one line without control characters")
        return value

    @field_validator("channels")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("lists a channel twice")
        return value

    @field_validator("recipients")
    @classmethod
    def _addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            if not _ADDRESS.match(address):
                raise ValueError(f"not a plain e-mail address: {address[:80]!r}")
        return value

    def params(self) -> str:
        """The thresholds, in the dedup key: changing a rule's threshold makes a new alert possible."""
        return ""

    def dedup_key(self, subject_id: int) -> str:
        return f"{self.id}:{self.scope}:{subject_id}:{self.params()}".rstrip(":")

    def check_campaign(self, summary: CampaignLike, members: Sequence[ReportFacts], now: datetime) -> Trigger | None:
        return None

    def check_report(self, report: ReportFacts) -> Trigger | None:
        return None


class CampaignTargetsRule(_Rule):
    scope: ClassVar[Literal["campaign", "report", "device"]] = "campaign"
    kind: Literal["campaign_targets"]
    targets: int = Field(ge=2, le=100_000)
    within_days: int = Field(ge=1, le=3650)
    min_band: Band = "low"

    def params(self) -> str:
        return f"n{self.targets}-d{self.within_days}-{self.min_band}"

    def check_campaign(self, summary: CampaignLike, members: Sequence[ReportFacts], now: datetime) -> Trigger | None:
        """Exact over the members' times and targets when given; else from the summary's counts and span."""
        if members:
            return self._window(members, now)
        first, last = as_utc(summary.first_seen), as_utc(summary.last_seen)
        rated = sum(n for band, n in summary.bands.items() if BAND_RANK.get(band, 0) >= BAND_RANK[self.min_band])
        if summary.targets >= self.targets and rated >= self.targets and last - first <= self._span:
            return self._trigger(summary.targets, first, last)
        return None

    @property
    def _span(self) -> timedelta:
        return timedelta(days=self.within_days)

    def _window(self, members: Sequence[ReportFacts], now: datetime) -> Trigger | None:
        """The window of D days with the most distinct targets, the latest of equals, when it holds N (two
        pointers over the reports by time): an alert updated as its campaign grows tells how far it has grown."""
        floor = BAND_RANK[self.min_band]
        seen = sorted(
            (as_utc(m.reported_at), m.target)
            for m in members
            if BAND_RANK.get(m.band, 0) >= floor and as_utc(m.reported_at) <= now
        )
        in_window: Counter[str] = Counter()
        start = 0
        best: tuple[int, datetime, datetime] | None = None
        for moment, target in seen:
            in_window[target] += 1
            while moment - seen[start][0] > self._span:
                gone = seen[start][1]
                in_window[gone] -= 1
                if not in_window[gone]:
                    del in_window[gone]
                start += 1
            if len(in_window) >= self.targets and (best is None or len(in_window) >= best[0]):
                best = (len(in_window), seen[start][0], moment)
        return None if best is None else self._trigger(*best)

    def _trigger(self, count: int, since: datetime, until: datetime) -> Trigger:
        reason = (
            f"{count} distinct members of staff approached between {since:%d %B %Y} and {until:%d %B %Y} "
            f"(rule: {self.targets} within {self.within_days} days)"
        )
        return Trigger(reason, since, until, count)


class ReportFindingRule(_Rule):
    scope: ClassVar[Literal["campaign", "report", "device"]] = "report"
    kind: Literal["report_finding"]
    detector_prefix: str = Field(min_length=1, max_length=120, pattern=r"^[a-z0-9_.]+$")

    def params(self) -> str:
        return self.detector_prefix

    def check_report(self, report: ReportFacts) -> Trigger | None:
        hits = [f for f in report.findings if f.detector.startswith(self.detector_prefix)]
        if not hits:
            return None
        return Trigger(f"finding {hits[0].detector}: {hits[0].title}")


class ReportBandRule(_Rule):
    scope: ClassVar[Literal["campaign", "report", "device"]] = "report"
    kind: Literal["report_band"]
    min_band: Band

    def params(self) -> str:
        return self.min_band

    def check_report(self, report: ReportFacts) -> Trigger | None:
        if BAND_RANK.get(report.band, 0) < BAND_RANK[self.min_band]:
            return None
        return Trigger(f"rated {report.band} risk (score {report.score:.0f} of 100)")


class DeviceCoveredRule(_Rule):
    """A covered device in an imported device audit: back after it was marked removed, or new to its site."""

    scope: ClassVar[Literal["campaign", "report", "device"]] = "device"
    kind: Literal["device_covered"]
    event: Literal["returned", "new"]

    def params(self) -> str:
        return self.event

    def check_device(self, event: str) -> Trigger | None:
        if event != self.event:
            return None
        if event == "returned":
            return Trigger("a covered device marked removed was seen again in an imported audit")
        return Trigger("a covered device not seen before at this site appeared in an imported audit")


AnyRule = CampaignTargetsRule | ReportFindingRule | ReportBandRule | DeviceCoveredRule
AlertRule = Annotated[AnyRule, Field(discriminator="kind")]
_ADAPTER: TypeAdapter[AnyRule] = TypeAdapter(AlertRule)


def load_rules(path: Path | None = None) -> tuple[AnyRule, ...]:
    """The rules of a YAML file, or the shipped defaults (data/alert_rules.yaml) when path is None."""
    if path is None:
        source = resources.files("counterpitch.data").joinpath("alert_rules.yaml")
        name, raw = "alert_rules.yaml (built-in)", source.read_bytes()
    else:
        name = str(path)
        try:
            if path.stat().st_size > MAX_RULES_BYTES:
                raise RuleError(f"{name}: larger than {MAX_RULES_BYTES} bytes")
            raw = path.read_bytes()
        except OSError as exc:
            raise RuleError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    return parse_rules(raw, name)


def parse_rules(raw: bytes | str, name: str = "<rules>") -> tuple[AnyRule, ...]:
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise RuleError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("version") != 1 or not isinstance(doc.get("rules"), list):
        raise RuleError(f"{name}: expected a mapping with 'version: 1' and a 'rules' list")
    rules = tuple(_parse_rule(item, i, name) for i, item in enumerate(doc["rules"]))
    dupes = sorted(rid for rid, n in Counter(r.id for r in rules).items() if n > 1)
    if dupes:
        raise RuleError(f"{name}: rule id used more than once: {', '.join(dupes)}")
    return rules


def _parse_rule(item: Any, index: int, name: str) -> AnyRule:
    label = f"rule {index}"
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        label += f" ({item['id'][:64]!r})"
    try:
        return _ADAPTER.validate_python(item)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(part) for part in err["loc"]]
        if isinstance(item, dict) and loc and loc[0] == item.get("kind"):
            loc = loc[1:]
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = ["kind"]
        where = f"field '{'.'.join(loc)}'" if loc else "the rule"
        raise RuleError(f"{name}: {label}: {where}: {err['msg']}") from exc
