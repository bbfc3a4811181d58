"""Campaign pages: the list of campaigns and one campaign (personas, targets, a timeline, shared indicators,
bands, its cases), from `counterpitch.campaigns.persist.campaign_summaries`; and the alerts raised.

The timeline is an inline SVG drawn here from the campaign's reports (no script, no chart library): one bar per
day, or per week when the campaign spans more than `MAX_DAYS`, stacked by band.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from counterpitch.store.accounts import Actor
from counterpitch.store.reports import ReportFilter
from counterpitch.web.auth import require_page, service
from counterpitch.web.params import PageNo, RowId
from counterpitch.web.services import ReportSummary
from counterpitch.web.templating import render
from counterpitch.web.verdict import STATUS_LABELS

router = APIRouter(include_in_schema=False)
Analyst = Annotated[Actor, Depends(require_page("analyst", "admin"))]
MAX_DAYS = 60
MAX_CASES = 1_000
ALERTS_PAGE = 50
#: Drawing size of the timeline (SVG user units; the SVG scales to the page width).
WIDTH, HEIGHT, AXIS = 720, 160, 24
MAX_BAR = 36.0
BANDS = ("high", "medium", "low")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    band: str
    label: str


@dataclass(frozen=True)
class Timeline:
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str], ...]
    peak: int
    unit: str


def timeline(reported: Sequence[tuple[datetime, str]]) -> Timeline:
    """Bars per day (or week) stacked by band, scaled to WIDTH x HEIGHT; ticks label the first and last bins."""
    if not reported:
        return Timeline((), (), 0, "day")
    first = min(t.date() for t, _ in reported)
    last = max(t.date() for t, _ in reported)
    step = 1 if (last - first).days < MAX_DAYS else 7
    bins = (last - first).days // step + 1
    counts: Counter[tuple[int, str]] = Counter(((t.date() - first).days // step, band) for t, band in reported)
    totals = Counter({i: 0 for i in range(bins)})
    for (i, _), n in counts.items():
        totals[i] += n
    peak = max(totals.values())
    slot = WIDTH / bins
    scale = (HEIGHT - AXIS) / peak
    bars = []
    for i in range(bins):
        base = float(HEIGHT - AXIS)
        day = first + timedelta(days=i * step)
        for band in BANDS:
            n = counts.get((i, band), 0)
            if n:
                base -= n * scale
                label = f"{_day(day, step)}: {n} {band}"
                width = min(max(slot * 0.8, 1.0), MAX_BAR)
                bars.append(Bar(i * slot + (slot - width) / 2, base, width, n * scale, band, label))
    ticks = [(slot / 2 if bins > 1 else WIDTH / 2, _day(first, step))]
    if bins > 1:
        ticks.append((WIDTH - slot / 2, _day(first + timedelta(days=(bins - 1) * step), step)))
    return Timeline(tuple(bars), tuple(ticks), peak, "day" if step == 1 else "week")


def _day(day: date, step: int) -> str:
    return day.isoformat() if step == 1 else f"week of {day.isoformat()}"


@router.get("/campaigns")
def campaigns(request: Request, actor: Analyst) -> Response:
    return render(request, "campaigns.html.j2", {"campaigns": service(request).campaigns(actor)})


@router.get("/campaigns/{campaign_id}")
def campaign(request: Request, campaign_id: RowId, actor: Analyst) -> Response:
    svc = service(request)
    summary = svc.campaign(actor, campaign_id)
    if summary is None:
        raise HTTPException(404, "No such campaign.")
    if summary.id != campaign_id:  # merged into a larger one since the link was made
        return RedirectResponse(f"/campaigns/{summary.id}", status_code=303)
    cases: list[ReportSummary] = svc.list_reports(actor, ReportFilter(campaign_id=summary.id, limit=MAX_CASES))
    context = {
        "c": summary,
        "cases": cases,
        "timeline": timeline([(r.reported_at, r.band) for r in cases]),
        "size": (WIDTH, HEIGHT, AXIS),
        "status_labels": STATUS_LABELS,
        "more_cases": summary.reports > len(cases),
    }
    return render(request, "campaign.html.j2", context)


@router.get("/alerts")
def alerts(request: Request, actor: Analyst, page: PageNo = 1) -> Response:
    page = max(1, min(page, 100_000))
    rows = service(request).alerts(actor, limit=ALERTS_PAGE + 1, offset=(page - 1) * ALERTS_PAGE)
    context = {"rows": rows[:ALERTS_PAGE], "page": page, "more": len(rows) > ALERTS_PAGE}
    return render(request, "alerts.html.j2", context)


@router.get("/alerts/{alert_id}")
def alert(request: Request, alert_id: RowId, actor: Analyst) -> Response:
    """The briefing as text (escaped), and its HTML version in a sandboxed frame with no scripts allowed."""
    found = service(request).alert(actor, alert_id)
    if found is None:
        raise HTTPException(404, "No such alert.")
    row, html = found
    return render(request, "alert.html.j2", {"a": row, "briefing_html": html})
