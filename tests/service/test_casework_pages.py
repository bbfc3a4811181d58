"""The reporter, analyst, watchlist and alert pages in-process, on SQLite and PostgreSQL: uploads, filters,
watchlist changes that take effect at once, audit rows, and one alert per rule and campaign.

Every person, firm, handle and message here is invented (the sample PDF is tests/pdf_builder.py's).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from counterpitch.engine import Engine
from counterpitch.store.tables import Alert, AuditEvent
from counterpitch.web.app import create_app
from tests.service.live import smtp_server
from tests.service.world import World, approach

SAMPLE_PDF = Path(__file__).resolve().parents[1] / "fixtures" / "profiles" / "sample_sender.pdf"


def post(world: World, c: TestClient, path: str, data: dict[str, str] | None = None) -> httpx.Response:
    return c.post(path, data={**(data or {}), "csrf_token": world.csrf(c)})


def audit_actions(world: World) -> list[str]:
    with world.app.state.service.store.read() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_when_a_profile_pdf_is_uploaded_then_the_sender_comes_from_it(world: World) -> None:
    c = world.page("reporter")
    files = {"profile_pdf": ("sender.pdf", SAMPLE_PDF.read_bytes(), "application/pdf")}
    data = {"text": "We pay for short notes on policy; keep it between us.", "sender_company": "Typed Firm Ltd"}
    r = c.post("/report", data={**data, "csrf_token": world.csrf(c)}, files=files)
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert "Marcus Thornfield" in page and "marcus-thornfield-4b2a91" in page
    assert "Typed Firm Ltd" in page  # what the reporter typed wins over the file


def test_when_an_upload_is_not_what_it_claims_then_the_form_names_the_field(world: World) -> None:
    c = world.page("reporter")
    bad = {"profile_pdf": ("x.pdf", b"not a pdf at all", "application/pdf")}
    r = c.post("/report", data={"text": "hello", "csrf_token": world.csrf(c)}, files=bad)
    assert r.status_code == 422 and "profile_pdf: x.pdf: not a PDF" in r.text
    r = c.post("/report", data={"text": "hello", "csrf_token": world.csrf(c)}, files={"eml": ("m.eml", b"\n\n", "x")})
    assert r.status_code == 422 and "eml: m.eml: empty message" in r.text
    r = c.post("/report", data={"text": "x" * 100_001, "csrf_token": world.csrf(c)})
    assert r.status_code == 422 and "text" in r.text
    r = c.post("/report", data={"text": "hello", "sender_email": "a" * 600, "csrf_token": world.csrf(c)})
    assert r.status_code == 422 and "sender_email" in r.text


def test_queue_filters_and_their_errors(world: World) -> None:
    quiet = approach("quiet", text="Thanks for your talk at the conference last week. Best wishes.")
    quiet_id = world.api("other").post("/api/v1/reports", json=quiet).json()["id"]
    c = world.page("analyst")
    high = c.get("/queue?band=high").text
    assert f'href="/cases/{world.report_ids["reporter"]}"' in high and f'href="/cases/{quiet_id}"' not in high
    assert f'href="/cases/{quiet_id}"' in c.get("/queue?band=low").text
    assert 'href="/cases/' not in c.get("/queue?to=2000-01-01").text
    assert f'href="/cases/{quiet_id}"' in c.get("/queue?from=2000-01-01&status=new").text
    for query, field in (("band=severe", "band"), ("status=open", "status"), ("from=yesterday", "from"),
                         ("campaign=x", "campaign")):  # fmt: skip
        r = c.get(f"/queue?{query}")
        assert r.status_code == 422 and f"{field}:" in r.text, query


def test_triage_changes_are_audited_and_a_bad_status_is_refused(world: World) -> None:
    c, rid = world.page("analyst"), world.report_ids["reporter"]
    assert post(world, c, f"/cases/{rid}/status", data={"status": "confirmed_hostile"}).status_code == 303
    assert post(world, c, f"/cases/{rid}/status", data={"status": "evil"}).status_code == 422
    assert post(world, c, f"/cases/{rid}/notes", data={"text": "   "}).status_code == 422
    assert post(world, c, f"/cases/{rid}/notes", data={"text": "Spoke to them."}).status_code == 303
    actions = audit_actions(world)
    assert "report.status" in actions and "note.add" in actions
    assert "Confirmed hostile" in c.get(f"/cases/{rid}").text


def test_a_watchlist_entry_added_by_hand_screens_at_once_and_stops_when_deactivated(world: World) -> None:
    c = world.page("analyst")
    form = {"name": "Dorian Quell", "kind": "persona", "handles": "wechat: dorian_quell_77", "source": "Tip-off"}
    r = post(world, c, "/watchlist", data={**form, "handles": "no colon here"})
    assert r.status_code == 422 and "handles: line 1" in r.text
    assert post(world, c, "/watchlist", data=form).status_code == 303
    r = post(world, c, "/watchlist", data=form)
    assert r.status_code == 422 and "already on the watchlist" in r.text

    text = "Hello, could we talk about your research? Add me on WeChat: dorian_quell_77"
    hit = world.api("reporter").post("/api/v1/assess", json={"id": "w1", "text": text}).json()
    assert any(f["detector"].startswith("watchlist") for f in hit["findings"])

    assert post(world, c, "/watchlist/service-dorian-quell/deactivate").status_code == 303
    miss = world.api("reporter").post("/api/v1/assess", json={"id": "w2", "text": text}).json()
    assert not any(f["detector"].startswith("watchlist") for f in miss["findings"])
    assert "deactivated" in c.get("/watchlist").text
    assert {"watchlist.add", "watchlist.deactivate"} <= set(audit_actions(world))


def test_three_staff_reporting_one_persona_raise_one_campaign_alert(world: World) -> None:
    persona = {"name": "Ilse Marren", "company": "Brightwater Policy Studio",
               "profile_url": "https://www.linkedin.com/in/ilse-marren-bps"}  # fmt: skip
    ids = []
    for n, role in enumerate(("reporter", "other", "analyst", "admin")):
        body = approach(f"camp-{n}", sender=persona, recipient={"name": f"Staff {n}", "headline": "Adviser"})
        r = world.api(role).post("/api/v1/reports", json=body)
        assert r.status_code == 201
        ids.append(r.json()["id"])
    with world.app.state.service.store.read() as session:
        rows = list(session.scalars(select(Alert).where(Alert.rule_id == "campaign.targets")))
    assert len(rows) == 1  # the fourth report grows the campaign; the rule does not alert again
    assert "Ilse Marren" in rows[0].body_text
    c = world.page("analyst")
    page = c.get("/alerts").text
    assert "campaign.targets" in page
    detail = c.get(f"/alerts/{rows[0].id}").text
    assert 'sandbox=""' in detail and "<pre" in detail
    assert json.loads(rows[0].delivery_json or "{}") == {} or "smtp" in json.loads(rows[0].delivery_json)
    campaign = c.get(f"/campaigns/{rows[0].campaign_id}", follow_redirects=True).text
    assert "Ilse Marren" in campaign
    assert all(f'href="/cases/{i}"' in campaign for i in ids)


def test_an_alert_stored_but_never_delivered_is_delivered_once_at_the_next_start(world: World, engine: Engine) -> None:
    with world.app.state.service.store.write() as session:
        row = Alert(
            rule_id="campaign.targets",
            dedup_key="campaign.targets:campaign:424242:n3-d30-medium",
            subject="[TLP:AMBER] HIGH espionage alert: invented test alert",
            body_text="Invented briefing text.",
            body_html="<p>Invented briefing.</p>",
            created_at=datetime.now(UTC) - timedelta(hours=1),
            delivery_json="{}",
        )
        session.add(row)
        session.flush()
        alert_id = row.id
    with smtp_server() as (port, box):
        smtp = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "cp@invented.example"}
        conf = replace(world.settings, smtp_to="team@invented.example", **smtp)  # type: ignore[arg-type]
        for _ in range(2):  # two starts (or two workers): one mail
            app = create_app(conf, engine=engine)
            app.state.service.alerter.close()
        mails = box.wait_for(lambda m: "invented test alert" in str(m["Subject"]), seconds=10)
    assert [m["Subject"] for m in mails] == ["[TLP:AMBER] HIGH espionage alert: invented test alert"]
    with world.app.state.service.store.read() as session:
        delivery = json.loads(session.get(Alert, alert_id).delivery_json)  # type: ignore[union-attr]
    assert delivery["smtp"] == "sent"


def test_when_an_eml_carries_an_installer_then_the_verdict_includes_the_attachment(world: World) -> None:
    mail = EmailMessage()
    mail["From"] = "Talent Desk <desk@invented-talent.example>"
    mail["To"] = "rhea@invented.example"
    mail["Subject"] = "Next step: skills assessment"
    mail.set_content("Thanks for your interest. Please run the attached skills assessment before our call.")
    mail.add_attachment(b"MZ\x90\x00invented", maintype="application", subtype="octet-stream",
                        filename="Skills_Assessment_Setup.exe")  # fmt: skip
    c = world.page("reporter")
    files = {"eml": ("approach.eml", mail.as_bytes(), "message/rfc822")}
    r = c.post("/report", data={"csrf_token": world.csrf(c)}, files=files)
    assert r.status_code == 303, r.text
    report_id = int(r.headers["location"].split("/")[2].split("?")[0])
    case = world.page("analyst").get(f"/cases/{report_id}").text
    assert "mail.executable_attachment" in case and "Skills_Assessment_Setup.exe" in case
    assert "desk@invented-talent.example" in case
