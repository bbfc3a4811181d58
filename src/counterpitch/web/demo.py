"""The demo organisation `make run` loads: invented users and invented reports, loaded idempotently.

Everything here is made up for demonstration (names, firms, handles, passwords); nothing is real personal data.
The three `demo-c*` approaches share a persona and a WeChat id, so the campaign linker joins them.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from counterpitch.alerts import Briefing
from counterpitch.engine import Engine
from counterpitch.model import Approach
from counterpitch.store import accounts, devices
from counterpitch.store.tables import Device, Report
from counterpitch.web.alerting import Alerter
from counterpitch.web.services import file_report, find_linker

#: (name, role, password). Demo only: these are printed on the console by `make run`.
DEMO_USERS = (
    ("riley.reporter", "reporter", "demo-reporter-1"),
    ("sam.reporter", "reporter", "demo-reporter-2"),
    ("alex.reporter", "reporter", "demo-reporter-3"),
    ("ana.analyst", "analyst", "demo-analyst-1"),
    ("adam.admin", "admin", "demo-admin-pass"),
)
#: Each demo person's own role (invented), so a report filed in the demo is assessed for it and its verdict
#: says so ("Assessed for: Parliamentary Researcher, House of Commons · Trade Committee").
DEMO_DETAILS: dict[str, dict[str, str]] = {
    "riley.reporter": {"title": "Parliamentary Researcher, House of Commons", "team": "Trade Committee"},
    "sam.reporter": {"title": "Senior Economist", "team": "Trade Policy Unit"},
    "alex.reporter": {"title": "Systems Engineer, naval sonar", "team": "Maritime Programmes"},
    "ana.analyst": {"title": "Protective Security Analyst", "team": "Security Team"},
    "adam.admin": {"title": "IT Service Manager", "team": "Digital Services"},
}
_EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "approaches.jsonl"


def demo_approaches() -> list[Approach]:
    """The project's examples (when run from a checkout) and the packaged campaign demo."""
    lines = (resources.files("counterpitch") / "data" / "demo" / "approaches.jsonl").read_text("utf-8").splitlines()
    if _EXAMPLES.is_file():
        lines = _EXAMPLES.read_text("utf-8").splitlines() + lines
    return [Approach.model_validate(json.loads(line)) for line in lines if line.strip()]


def load_demo(
    session: Session, engine: Engine | None = None, alerter: Alerter | None = None
) -> tuple[int, list[tuple[int, Briefing]]]:
    """Create the demo users and reports that are missing, each linked and run through the alert rules as a
    reported approach is (so a newcomer sees the campaign's alert); returns how many reports were added and
    the alerts raised, which the caller delivers once the session is committed (`Alerter.dispatch`)."""
    users = {}
    for name, role, password in DEMO_USERS:
        details = DEMO_DETAILS.get(name, {})
        user = accounts.by_name(session, name)
        if user is None:
            user = accounts.add_user(session, name, role, password=password, details=details)
        elif not accounts.details_of(user):  # a demo database made before accounts had details
            accounts.set_details(session, user.id, details, by=None)
        users[name] = accounts.actor(user)
    reporters = [users[n] for n, role, _ in DEMO_USERS if role == "reporter"]
    engine = engine or Engine.default()
    linker = find_linker()
    added = 0
    raised: list[tuple[int, Briefing]] = []
    for i, approach in enumerate(demo_approaches()):
        if session.scalar(select(Report.id).where(Report.approach_id == approach.id)) is not None:
            continue
        reporter = reporters[i % len(reporters)]
        _, alerts = file_report(session, reporter, approach, engine.assess(approach), linker, alerter)
        raised += alerts
        added += 1
    _load_demo_devices(session)
    return added, raised


def _load_demo_devices(session: Session) -> None:
    """The demo organisation's invented asset register (data/demo/devices.csv: registered MAC blocks and the
    makers' real model numbers, invented assets), audited and imported once, so the Devices page has something
    to track. Its first import is the sites' baseline: it raises no alert."""
    from counterpitch.devices.imported import read_records

    if session.scalar(select(Device.id).limit(1)) is not None:
        return
    with resources.as_file(resources.files("counterpitch") / "data" / "demo" / "devices.csv") as path:
        records = list(read_records([str(path)]))
    devices.import_records(session, records, actor_id=None, source="the demo asset register")


def sign_in_help(url: str) -> str:
    rows = "\n".join(
        f"  {name:<16} {role:<9} password: {password:<17} {DEMO_DETAILS.get(name, {}).get('title', '')}"
        for name, role, password in DEMO_USERS
    )
    return f"Demo organisation loaded (invented people). Open {url} and sign in as one of:\n{rows}"
