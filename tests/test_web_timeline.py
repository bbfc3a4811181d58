"""The campaign timeline: bars per day (per week past MAX_DAYS), stacked by band, inside the drawing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counterpitch.web.campaign_pages import AXIS, HEIGHT, MAX_DAYS, WIDTH, timeline

DAY0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_when_there_are_no_reports_then_nothing_is_drawn() -> None:
    assert timeline([]).bars == ()


def test_reports_of_one_day_stack_by_band_and_the_peak_fills_the_height() -> None:
    t = timeline(
        [(DAY0, "high"), (DAY0 + timedelta(hours=2), "high"), (DAY0, "medium"), (DAY0 + timedelta(days=2), "low")]
    )
    assert t.unit == "day" and t.peak == 3
    first_day = [b for b in t.bars if b.label.startswith("2026-03-02")]
    assert [b.band for b in first_day] == ["high", "medium"]
    assert abs(sum(b.height for b in first_day) - (HEIGHT - AXIS)) < 1e-6
    assert [label for _, label in t.ticks] == ["2026-03-02", "2026-03-04"]
    assert all(b.x >= 0 and b.x + b.width <= WIDTH and b.y >= -1e-9 for b in t.bars)


def test_when_a_campaign_is_long_then_bars_are_weeks() -> None:
    t = timeline([(DAY0, "high"), (DAY0 + timedelta(days=MAX_DAYS + 10), "medium")])
    assert t.unit == "week" and len(t.bars) == 2
    assert t.ticks[0][1] == "week of 2026-03-02"
