"""Truth tables for the clue extractors other than MAC blocks and model numbers (test_oui.py, test_models.py):
banners (HTTP Server headers, titles and paths, RTSP), SNMP enterprise numbers, favicons, CPEs, private ports and
names; and a check that every extractor has a table here or in its own file."""

from __future__ import annotations

import pytest

from counterpitch.devices.clues import MODULES, banners, cpe, favicon, names, ports, snmp
from counterpitch.devices.model import Observation, Service


def _reg(**fields: str) -> Observation:
    return Observation("r.csv", "line 2", fields=tuple(fields.items()))


def _scan(*services: Service) -> Observation:
    return Observation("s.xml", "host 1", kind="scan", ip="10.0.0.5", services=services)


@pytest.mark.parametrize(
    ("obs", "expected"),
    [
        (_reg(server="App-webs/"), [("http_server", "hikvision")]),
        (_reg(server="Hikvision-Webs"), [("http_server", "hikvision")]),
        (_reg(server="DNVRS-Webs"), [("http_server", "hikvision")]),
        (_reg(server="DVRDVS-Webs"), [("http_server", "hikvision")]),
        (_reg(server="uc-httpd 1.0.0"), [("http_server", "xiongmai")]),
        (_reg(server="Webs"), []),
        (_reg(server="GoAhead-Webs"), []),
        (_reg(server="nginx/1.24.0"), []),
        (
            _reg(title="Did not follow redirect to http://10.0.0.5/doc/page/login.asp?_1700000000"),
            [("http_text", "hikvision")],
        ),
        (_reg(title="/cgi-bin/snapshot.cgi"), [("http_text", "dahua")]),
        (_reg(title="Login"), []),
        (
            _reg(rtsp='RTSP/1.0 401 Unauthorized WWW-Authenticate: Digest realm="Hikvision", nonce="ab"'),
            [("rtsp", "hikvision")],
        ),
        (_reg(rtsp="Server: Dahua Rtsp Server"), [("rtsp", "dahua")]),
        (_reg(rtsp='WWW-Authenticate: Digest realm="IP Camera"'), []),
        (_scan(Service("tcp", 554, "rtsp", "Hikvision DVR rtspd")), [("rtsp", "hikvision")]),
        (_scan(Service("tcp", 554, "rtsp", "Dahua IP camera rtspd")), [("rtsp", "dahua")]),
        (
            _scan(Service("tcp", 80, "http", scripts=(("http-server-header", "App-webs/"),))),
            [("http_server", "hikvision")],
        ),
        (
            _scan(
                Service(
                    "tcp",
                    80,
                    "http",
                    scripts=(("http-title", "Did not follow redirect to http://x/doc/page/login.asp"),),
                )
            ),
            [("http_text", "hikvision")],
        ),
        (_scan(Service("tcp", 554, "rtsp", "GStreamer rtspd")), []),
    ],
)
def test_when_a_device_shows_a_banner_then_the_maker_it_belongs_to_is_named(tables, obs, expected):
    assert [(c.kind, c.entity) for c in banners.clues(obs, tables)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.3.6.1.4.1.39165.1.1", ["hikvision"]),
        (".1.3.6.1.4.1.50001.1", ["hikvision"]),
        ("1.3.6.1.4.1.1004849.2.1", ["dahua"]),
        ("1.3.6.1.4.1.2011.2.23.1", ["huawei"]),
        ("1.3.6.1.4.1.3902.1015", ["zte"]),
        ("1.3.6.1.4.1.9.1.1208", []),  # Cisco
        ("1.3.6.1.4.1.201100.1", []),  # not 2011
        ("11.3.6.1.4.1.2011.1", []),
    ],
)
def test_when_an_snmp_oid_is_under_a_makers_enterprise_number_then_that_maker_is_named(tables, text, expected):
    assert [c.entity for c in snmp.clues(_reg(snmp_oid=text), tables)] == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("999357577", ["hikvision"]), ("2019488876", ["dahua"]), ("116323821", []), ("x", [])]
)
def test_when_a_favicon_hash_is_a_makers_then_that_maker_is_named(tables, value, expected):
    assert [c.entity for c in favicon.clues(_reg(favicon=value), tables)] == expected


@pytest.mark.parametrize(
    ("cpes", "expected"),
    [
        (("cpe:/h:hikvision:ds-2cd2032-i",), ["hikvision"]),
        (("cpe:2.3:h:dahua:ipc-hfw1230s:-:*:*:*:*:*:*:*",), ["dahua"]),
        (("cpe:/o:huawei:vrp",), ["huawei"]),
        (("cpe:/a:xiongmai_technologies:uc-httpd:1.0.0",), ["xiongmai"]),
        (("cpe:/a:apache:http_server:2.4.57",), []),
        (("cpe:/h:axis:p3245-lve",), ["axis"]),
    ],
)
def test_when_nmap_gives_a_cpe_then_its_vendor_is_mapped(tables, cpes, expected):
    obs = _scan(Service("tcp", 80, "http", cpes=cpes))
    assert [c.entity for c in cpe.clues(obs, tables)] == expected


@pytest.mark.parametrize(
    ("obs", "expected"),
    [
        (_scan(Service("tcp", 37777)), [("dahua", 0.55)]),
        (_scan(Service("udp", 37810)), [("dahua", 0.55)]),
        (_scan(Service("udp", 37020)), [("hikvision", 0.55)]),
        (_scan(Service("tcp", 8000)), [("hikvision", 0.2)]),
        (_scan(Service("tcp", 37020)), []),
        (_scan(Service("tcp", 443)), []),
        (_reg(ports="80/tcp, 37777"), [("dahua", 0.55)]),
    ],
)
def test_when_a_makers_private_port_is_open_then_it_is_a_weak_clue(tables, obs, expected):
    assert [(c.entity, c.weight) for c in ports.clues(obs, tables)] == expected


@pytest.mark.parametrize(
    ("obs", "expected"),
    [
        (_reg(manufacturer="HIKVISION"), [("hikvision", True)]),
        (_reg(manufacturer="Zhejiang Dahua Technology Co., Ltd."), [("dahua", True)]),
        (_reg(manufacturer="Hik-Vision"), [("hikvision", True)]),
        (_reg(brand="HiLook"), [("hilook", True)]),
        (_reg(manufacturer="LTS"), [("lts", True)]),
        (_reg(manufacturer="Acme Security"), [("org:Acme Security", True)]),
        (_reg(manufacturer="Generic"), []),
        (_reg(manufacturer="n/a"), []),
        (_reg(description="Hikvision 4MP dome, car park"), [("hikvision", True)]),
        (_reg(description="3-axis gimbal"), []),  # "axis" alone in free text is not the maker
        (_reg(description="Honor roll display"), []),
        (_scan(Service("tcp", 80, "http", "Hikvision IP camera httpd")), [("hikvision", False)]),
    ],
)
def test_when_a_maker_or_brand_is_named_then_the_claim_is_kept_as_written(tables, obs, expected):
    assert [(c.entity, c.claim) for c in names.clues(obs, tables)] == expected


def test_every_clue_extractor_has_a_truth_table():
    tested = {"mac", "models", "banners", "snmp", "favicon", "cpe", "ports", "names"}
    assert {m.__name__.rsplit(".", 1)[1] for m in MODULES} == tested
