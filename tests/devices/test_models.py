"""Model-number grammars: every example in data/devices/fingerprints.yaml matches its maker's grammar and none of
its `not` lines does; a table of real model numbers across makers, with the hard negatives."""

from __future__ import annotations

import re

import pytest

from counterpitch.devices.clues import models
from counterpitch.devices.model import Observation
from counterpitch.devices.tables import default_tables

_PATTERNS = [
    (kind, i, p)
    for kind in ("models", "http_server", "http_text", "rtsp")
    for i, p in enumerate(getattr(default_tables().fingerprints, kind))
]


@pytest.mark.parametrize(("kind", "index", "pattern"), _PATTERNS, ids=[f"{k}-{i}-{p.maker}" for k, i, p in _PATTERNS])
def test_when_a_listed_example_is_searched_then_its_pattern_finds_it_and_no_counter_example(kind, index, pattern):
    regex = re.compile(pattern.pattern)
    assert pattern.examples, "every pattern needs examples"
    for example in pattern.examples:
        m = regex.search(example)
        assert m is not None, example
        if kind == "models":
            assert m.group(0) == example, (example, m.group(0))
    for counter in pattern.not_:
        assert regex.search(counter) is None, counter


@pytest.mark.parametrize(
    ("text", "maker"),
    [
        ("DS-2CD2143G2-I", "hikvision"),
        ("iDS-2CD7146G0-IZS", "hikvision"),
        ("DS-7608NI-K2", "hikvision"),
        ("IPC-B140H", "hilook"),
        ("CS-C6N-A0-1C2WFR", "ezviz"),
        ("IPC-HFW2431S-S-S2", "dahua"),
        ("DH-IPC-HFW1230S", "dahua"),
        ("SD49225XA-HNR", "dahua"),
        ("NVR4108HS-4KS2", "dahua"),
        ("XVR5108HS-I3", "dahua"),
        ("HAC-HFW1200T", "dahua"),
        ("IPC2122LB-SF28-A", "uniview"),
        ("NVR301-08S3", "uniview"),
        ("S5735-L24T4S-A1", "huawei"),
        ("CloudEngine 16808", "huawei"),
        ("HG8245H", "huawei"),
        ("ZXHN F670L", "zte"),
        ("ZXR10 5960-52TM-H", "zte"),
        ("MF286D", "zte"),
        ("PD785G", "hytera"),
        ("PNC380", "hytera"),
        ("Matrice 300 RTK", "dji"),
        ("EVO II Pro", "autel"),
        ("TC-C32XN", "tiandy"),
        ("TD-9421S3", "tvt"),
        ("4MP dome DS-2CD2143G2-I (car park)", "hikvision"),
    ],
)
def test_when_a_model_number_follows_a_makers_grammar_then_that_maker_is_named(tables, text, maker):
    obs = Observation("r.csv", "line 2", fields=(("model", text),))
    found = list(models.clues(obs, tables))
    assert [c.entity for c in found] == [maker]


@pytest.mark.parametrize(
    "text",
    [
        "DS-C9148S-12PK9",  # Cisco MDS switch
        "DS920+",  # Synology NAS
        "P3245-LVE",  # Axis
        "NDE-3502-AL",  # Bosch
        "XND-6080RV",  # Hanwha
        "C9300-48P",  # Cisco Catalyst
        "EX2300-24P",  # Juniper
        "WV-S2131L",  # Panasonic
        "DP4800e",  # Motorola radio
        "LaserJet M404dn",  # HP printer
        "SNC-VB770",  # Sony
        "UVC-G4-PRO",  # Ubiquiti
        "SD card 64GB",
        "SD-WAN edge",
        "NVR-01",
        "IPC-01 generic",
        "HP 785",
    ],
)
def test_when_a_model_number_is_another_makers_then_no_grammar_claims_it(tables, text):
    obs = Observation("r.csv", "line 2", fields=(("model", text),))
    assert list(models.clues(obs, tables)) == []
