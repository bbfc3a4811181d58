"""A device alert's briefing: a covered device is back after it was marked removed, or new to a site.

Every value came from an asset register or a scan, which anyone on the network can make say anything (a host
name, a banner): each is made one line and defanged (sanitise.safe) before either template sees it, and the
HTML template autoescapes on top of that, as for the espionage briefings (render.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from counterpitch.alerts.render import MARKING, TEMPLATES, Briefing
from counterpitch.alerts.rules import DeviceCoveredRule
from counterpitch.alerts.sanitise import one_line, safe, subject_line

BASIS_LABELS = {
    "us_covered_list": "US FCC Covered List / NDAA FY2019 s.889",
    "uk_prc_nil": "UK: maker subject to the PRC National Intelligence Law",
}


def render_device(
    rule: DeviceCoveredRule, facts: Mapping[str, Any], *, org_name: str, now: datetime, reason: str
) -> Briefing:
    """The briefing for one device (store/devices.device_facts) and the rule it fired."""
    key = rule.dedup_key(int(facts["device_id"]))
    maker = safe(facts.get("vendor") or "unknown maker")
    if facts.get("brand"):
        maker += f" (sold as {safe(facts['brand'])})"
    view = {
        "ref": "CP-" + hashlib.sha256(key.encode()).hexdigest()[:10].upper(),
        "marking": MARKING,
        "org": one_line(org_name, 120) or "your organisation",
        "title": one_line(rule.title),
        "severity": rule.severity,
        "issued": f"{now:%d %B %Y, %H:%M} UTC",
        "reason": one_line(reason),
        "event": rule.event,
        "device_id": int(facts["device_id"]),
        "site": safe(facts.get("site") or "(no site)"),
        "asset": safe(facts.get("asset") or ""),
        "address": safe(" ".join(x for x in (facts.get("ip"), facts.get("mac")) if x)),
        "maker": maker,
        "basis": [BASIS_LABELS.get(b, safe(b)) for b in facts.get("basis", [])],
        "confidence": f"{float(facts.get('confidence', 0)):.2f}",
        "evidence": [safe(e) for e in facts.get("evidence", [])],
    }
    alert = {
        "ref": view["ref"],
        "rule_id": rule.id,
        "title": view["title"],
        "severity": rule.severity,
        "dedup_key": key,
        "created_at": now.isoformat(),
        "event": rule.event,
        "reason": view["reason"],
        "device": {k: (one_line(v) if isinstance(v, str) else v) for k, v in facts.items() if k != "evidence"},
        "evidence": [one_line(e) for e in facts.get("evidence", [])],
        "revision": 0,
    }
    return Briefing(
        subject=subject_line(
            f"[{MARKING}] {rule.severity.upper()} device alert: {rule.title} at {one_line(view['site'], 60)} "
            f"({view['ref']})"
        ),
        text=TEMPLATES.get_template("device.txt.j2").render(v=view),
        html=TEMPLATES.get_template("device.html.j2").render(v=view),
        rule_id=rule.id,
        dedup_key=key,
        severity=rule.severity,
        channels=tuple(rule.channels),
        recipients=tuple(rule.recipients),
        alert=alert,
    )
