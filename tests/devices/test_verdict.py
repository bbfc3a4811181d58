"""Weighing the clues: the maker, the brand on the box, OEM rebrands, conflicts, weak evidence, traps."""

from __future__ import annotations

from counterpitch.devices.model import Observation, Service
from counterpitch.devices.verdict import THRESHOLD, judge


def _row(mac: str = "", **fields: str) -> Observation:
    return Observation("r.csv", "line 2", asset="A-1", site="HQ", mac=mac, fields=tuple(fields.items()))


def test_when_a_register_and_the_mac_disagree_then_the_device_is_flagged_with_the_conflict(tables):
    v = judge([_row("44:19:B6:00:00:01", manufacturer="Axis")], tables)
    assert (v.vendor, v.brand, v.covered) == ("Hikvision", "", True)  # Axis is not a brand of Hikvision's
    assert v.conflict == "Hikvision (oui); but Axis Communications (register name)"


def test_when_an_oem_brand_is_named_alone_then_it_is_not_flagged_but_marked_to_check(tables):
    v = judge([_row(manufacturer="Amcrest")], tables)
    assert (v.vendor, v.covered, v.check) == ("Amcrest", False, True)
    assert "judge per model" in v.note


def test_when_a_listed_maker_loses_a_conflict_then_the_device_is_marked_to_check(tables):
    v = judge([_row("00:40:8C:00:00:01", manufacturer="Hikvision")], tables)  # an Axis MAC block
    assert (v.vendor, v.covered, v.check) == ("Axis Communications", False, True)
    assert "Hikvision (register name)" in v.conflict and "clues also point to Hikvision" in v.note


def test_when_no_listed_maker_is_among_the_clues_then_there_is_nothing_to_check(tables):
    v = judge([_row("00:40:8C:00:00:01", manufacturer="Axis")], tables)
    assert (v.covered, v.check, v.conflict) == (False, False, "")


def test_when_an_oem_brand_shows_its_makers_own_clues_then_the_maker_is_flagged_and_the_brand_shown(tables):
    v = judge([_row(manufacturer="Amcrest", ports="37777/tcp", rtsp="Server: Dahua Rtsp Server")], tables)
    assert (v.vendor, v.brand, v.covered, v.conflict) == ("Dahua", "Amcrest", True, "")


def test_when_a_sub_brand_is_named_then_the_parent_is_the_maker(tables):
    v = judge([_row(manufacturer="HiWatch")], tables)
    assert (v.vendor, v.brand, v.covered) == ("Hikvision", "HiWatch", True)


def test_when_the_only_clue_is_weak_then_the_maker_is_named_but_not_flagged(tables):
    v = judge([_row(ports="37777")], tables)
    assert (v.vendor, v.covered, v.check) == ("Dahua", False, True)
    assert v.confidence < THRESHOLD and "confirm before acting" in v.note


def test_when_a_mac_is_honors_then_it_is_for_review_not_flagged(tables):
    v = judge([_row("00:A3:07:00:00:01")], tables)
    assert (v.vendor, v.covered, v.basis, v.check) == ("Honor", False, (), False)
    assert "do not flag" in v.note


def test_when_nothing_is_known_then_the_verdict_says_so(tables):
    v = judge([_row(description="Door controller")], tables)
    assert (v.vendor, v.covered, v.confidence, v.evidence) == ("", False, 0.0, ())


def test_when_independent_clues_agree_then_confidence_grows_and_one_kind_counts_once(tables):
    scan = Observation(
        "s.xml",
        "host 1",
        kind="scan",
        ip="10.0.0.5",
        services=(
            Service("tcp", 554, "rtsp", "Hikvision DVR rtspd"),
            Service("tcp", 8554, "rtsp", "Hikvision DVR rtspd"),
        ),
    )
    alone = judge([scan], tables).confidence
    both = judge([_row("44:19:B6:00:00:01"), scan], tables).confidence
    assert both > alone > 0.8
    assert both == round(1 - (1 - 0.9) * (1 - 0.8) * (1 - 0.75), 3)  # oui, rtsp (once), scan_name


def test_when_a_covered_maker_is_found_then_the_basis_is_the_tables(tables):
    assert judge([_row(manufacturer="Uniview")], tables).basis == ("uk_prc_nil",)
    assert judge([_row(manufacturer="Kaspersky")], tables).basis == ("us_covered_list",)
    assert judge([_row(manufacturer="Huawei")], tables).basis == ("us_covered_list", "uk_prc_nil")
