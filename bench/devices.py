"""Device audit figures: a million-row asset register audited through the command, on one core, and the
constructed site's accuracy.

Run: `.venv/bin/python bench/devices.py` (writes bench/results/devices.json; `--rows N` for another size,
`--quick` for 100,000 rows, printed only). The register is generated (invented asset names, registered MAC blocks
with invented host parts, real model numbers; about one device in eight from a covered maker, as a site with a
CCTV estate might have; three descriptions in ten name a place, so rows repeat themselves less) and written to
a temporary folder; `counterpitch devices audit REGISTER -f csv` then runs as a child process pinned to one CPU
(taskset), its output to a file, timed by `/usr/bin/time -v` (wall clock, CPU seconds, peak RSS). Machine
speed before and after is recorded: the machine may be shared.

The constructed site (tests/devices/constructed.py, 66 register rows and 3 scanned hosts) is audited in process:
covered devices found with the right maker (recall), devices flagged that should not be (false flags), makers
named right over all devices, and conflicts and OEM brands shown where expected.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _results import machine_speed, write_result

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

# (share, manufacturer cell, model, mac prefix, description)
MIX: list[tuple[float, str, str, str, str]] = [
    (0.04, "Generic", "", "44:19:B6", "Dome camera"),
    (0.02, "", "DS-2CD2143G2-I", "", "4MP dome"),
    (0.01, "LTS", "DS-2CD2387G2-LU", "", ""),
    (0.02, "", "IPC-HFW2431S-S-S2", "3C:EF:8C", "Bullet"),
    (0.01, "Amcrest", "IPC-HDW2431T-AS-S2", "", ""),
    (0.01, "Huawei", "S5735-L24T4S-A1", "00:18:82", "Access switch"),
    (0.01, "", "ZXHN F670L", "00:15:EB", "ONT"),
    (0.005, "", "PD785G", "64:69:BC", "Radio"),
    (0.005, "Axis", "", "24:0F:9B", "Dome"),  # a conflict: Hikvision MAC block
    (0.20, "Axis", "P3245-LVE", "00:40:8C", "Dome"),
    (0.15, "Cisco", "C9300-48P", "00:00:0C", "Switch"),
    (0.10, "HP", "LaserJet M404dn", "", "Printer"),
    (0.10, "Bosch", "NDE-3502-AL", "00:01:31", ""),
    (0.10, "", "", "00:11:32", "NAS"),
    (0.07, "Generic", "", "", "Door controller"),
    (0.07, "", "", "00:A3:07", "Phone"),
    (0.07, "Juniper", "EX2300-24P", "00:05:85", ""),
]

#: Share of rows whose description names where the device is ("Dome camera, corridor 212"): real registers
#: repeat themselves less than a generated one, and the audit remembers rows that say the same thing.
UNIQUE_DESCRIPTIONS = 0.3
PLACES = ("corridor", "room", "gate", "stair", "car park bay", "lift lobby", "loading dock", "floor")


def make_register(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    shares = [m[0] for m in MIX]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Asset Tag", "Site", "IP Address", "MAC Address", "Manufacturer", "Model", "Description"])
        kinds = rng.choices(range(len(MIX)), weights=shares, k=rows)
        for i, k in enumerate(kinds):
            _, maker, model, prefix, desc = MIX[k]
            mac = f"{prefix}:{i >> 16 & 255:02X}:{i >> 8 & 255:02X}:{i & 255:02X}" if prefix else ""
            ip = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
            if desc and rng.random() < UNIQUE_DESCRIPTIONS:
                desc = f"{desc}, {rng.choice(PLACES)} {rng.randrange(1, 400)}"
            w.writerow([f"AST-{i:07d}", f"Site {i % 200:03d}", ip, mac, maker, model, desc])


def run_command(register: Path, out: Path) -> dict[str, Any]:
    python = sys.executable
    cmd = [python, "-m", "counterpitch.cli", "devices", "audit", str(register), "-f", "csv"]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}:{ROOT}")
    start = time.perf_counter()
    with out.open("wb") as sink:
        done = subprocess.run([*timer, *cmd], stdout=sink, stderr=subprocess.PIPE, env=env, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the audit failed: {done.stderr.decode()[-2000:]}")
    report = done.stderr.decode()

    def field(name: str) -> float:
        m = re.search(rf"{re.escape(name)}: ([0-9.:]+)", report)
        return float(m.group(1)) if m else float("nan")

    with out.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        devices = covered = 0
        for row in reader:
            devices += 1
            covered += row["covered"] == "true"
    return {
        "command": "python " + " ".join(cmd[cmd.index("-m") :]).replace(str(register), "REGISTER.csv"),
        "pinned_to_one_cpu": cmd[0] == "taskset",
        "wall_s": round(wall, 2),
        "cpu_s": round(field("User time (seconds)") + field("System time (seconds)"), 2),
        "peak_rss_mb": round(field("Maximum resident set size (kbytes)") / 1024, 1),
        "rows_per_s": round(devices / wall),
        "devices": devices,
        "covered": covered,
        "register_mb": round(register.stat().st_size / 2**20, 1),
    }


def constructed_accuracy() -> dict[str, Any]:
    from tests.devices.constructed import MERGED, ROWS, SCAN_HOSTS, register_csv, scan_xml

    from counterpitch.devices.run import audit_devices

    with tempfile.TemporaryDirectory() as tmp:
        reg, scan = Path(tmp) / "register.csv", Path(tmp) / "scan.xml"
        reg.write_text(register_csv(), encoding="utf-8")
        scan.write_text(scan_xml(), encoding="utf-8")
        found = {v.asset or v.ip: v for v in audit_devices([str(reg), str(scan)])}
    truth = {r.asset: r.expect for r in ROWS}
    truth |= {ip: e for ip, _, _, _, e in SCAN_HOSTS if ip not in MERGED}
    covered = [k for k, e in truth.items() if e.covered]
    found_right = sum(found[k].covered and found[k].vendor == truth[k].vendor for k in covered)
    false_flags = sum(found[k].covered for k, e in truth.items() if not e.covered)
    makers_right = sum(found[k].vendor == e.vendor for k, e in truth.items())
    conflicts = [k for k, e in truth.items() if e.conflict]
    brands = [k for k, e in truth.items() if e.brand]
    return {
        "devices": len(truth),
        "covered": len(covered),
        "covered_found_with_right_maker": found_right,
        "recall": round(found_right / len(covered), 3),
        "false_flags": false_flags,
        "makers_named_right": makers_right,
        "conflicts_expected": len(conflicts),
        "conflicts_shown": sum(bool(found[k].conflict) for k in conflicts),
        "conflicts_elsewhere": sum(bool(found[k].conflict) for k, e in truth.items() if not e.conflict),
        "brands_expected": len(brands),
        "brands_shown_right": sum(found[k].brand == truth[k].brand for k in brands),
        "marked_to_check": sorted(k for k, v in found.items() if v.check),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rows = 100_000 if args.quick else args.rows
    speed_before = machine_speed()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        register = Path(tmp) / "register.csv"
        t = time.perf_counter()
        make_register(register, rows)
        made = time.perf_counter() - t
        audit = run_command(register, Path(tmp) / "out.csv")
    result = {
        "what": "counterpitch devices audit over a generated register, one CPU; the constructed site's accuracy",
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": platform.python_version(),
        "machine_speed_s_before": speed_before,
        "machine_speed_s_after": machine_speed(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "register": {"rows": rows, "generated_in_s": round(made, 1), **audit},
        "targets": {"wall_s": 60, "peak_rss_mb": 500},
        "constructed_site": constructed_accuracy(),
    }
    if args.quick:
        print(json.dumps(result, indent=2))
    else:
        write_result(HERE / "results" / "devices.json", result)


if __name__ == "__main__":
    main()
