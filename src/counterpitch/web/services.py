"""The service layer: every read and change the API and the pages make goes through here.

Each method is one transaction. Who may do what is decided in store/ (visibility) and here (roles), never in a
route, so the JSON API and the pages cannot drift apart. Every change writes the audit log in the same
transaction. Methods are synchronous: routes call them from the thread pool, off the event loop.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy.orm import Session

from counterpitch.alerts import Briefing
from counterpitch.devices.imported import DeviceRecord
from counterpitch.ingest import isolated
from counterpitch.ingest.mail import MailMessage
from counterpitch.ingest.mail_findings import assess_mail
from counterpitch.model import Approach, Assessment
from counterpitch.store import accounts, audit, casework, devices, reports, sessions, upload_limits, watchlist_rows
from counterpitch.store.accounts import Actor, StaffDetails
from counterpitch.store.db import Store
from counterpitch.store.reports import TRIAGE_ROLES, ReportFilter
from counterpitch.store.sessions import Lifetime
from counterpitch.store.tables import Report, User, utcnow
from counterpitch.watchlist import WatchlistEntry
from counterpitch.web.alerting import Alerter, import_devices
from counterpitch.web.engines import EngineHolder
from counterpitch.web.photos import TakenPhoto, take_photo
from counterpitch.web.tokens import TokenCache

Linker = Callable[[Session, int], "int | None"]


class Forbidden(Exception):
    """The actor's role may not do this (403); distinct from 'not found', which hides existence."""


def utc(moment: datetime) -> datetime:
    """SQLite hands times back without their zone; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ReportSummary:
    id: int
    approach_id: str
    reported_at: datetime
    band: str
    score: float
    status: str
    campaign_id: int | None
    reporter_id: int
    sender_name: str | None
    sender_company: str | None

    def to_api(self) -> dict[str, object]:
        return {
            "id": self.id,
            "approach_id": self.approach_id,
            "reported_at": self.reported_at.isoformat(),
            "band": self.band,
            "score": self.score,
            "status": self.status,
        }


@dataclass(frozen=True)
class ReportView:
    summary: ReportSummary
    approach: Approach
    assessment: Assessment
    reporter_name: str
    #: (created_at, author name, text), oldest first; empty for reporters.
    notes: tuple[tuple[datetime, str, str], ...]
    #: What the readers of the uploaded files could not read, in sentences (store/reports.warnings_of).
    warnings: tuple[str, ...] = ()
    #: The stored photo's thumbnail (width, height), served by web/photos.py; None without a photo.
    photo: tuple[int, int] | None = None

    def to_api(self) -> dict[str, object]:
        return {
            "id": self.summary.id,
            "approach": self.approach.to_json_dict(),
            "assessment": self.assessment.to_json_dict(),
            "status": self.summary.status,
            "campaign_id": self.summary.campaign_id,
        }


def summary_of(row: Report) -> ReportSummary:
    return ReportSummary(
        row.id,
        row.approach_id,
        utc(row.reported_at),
        row.band,
        row.score,
        row.status,
        row.campaign_id,
        row.reporter_id,
        row.sender_name,
        row.sender_company,
    )


def campaigns_module() -> Any | None:
    """counterpitch.campaigns.persist, when that package is installed (it joins reports into campaigns)."""
    try:
        return importlib.import_module("counterpitch.campaigns.persist")
    except ImportError:
        return None


def find_linker() -> Linker | None:
    module = campaigns_module()
    return cast(Linker, module.link_report) if module is not None else None


def file_report(
    session: Session,
    reporter: Actor,
    approach: Approach,
    assessment: Assessment,
    linker: Linker | None,
    alerter: Alerter | None,
    warnings: tuple[str, ...] = (),
    photo: TakenPhoto | None = None,
) -> tuple[int, list[tuple[int, Briefing]]]:
    """Store a reported approach (and what is kept of its photo), link it to a campaign and run the alert rules,
    in the caller's transaction: the report's id and the alerts it raised, for the caller to deliver once the
    transaction is committed."""
    row = reports.insert(session, reporter, approach, assessment, warnings)
    if photo is not None:
        size = (photo.width, photo.height)
        reports.insert_photo(session, row.id, photo.phash, photo.thumbnail, photo.media_type, size, photo.faces)
    campaign_id = linker(session, row.id) if linker is not None else None
    return row.id, alerter.record(session, row.id, campaign_id) if alerter is not None else []


class Service:
    #: Runs the alert rules after each report is linked (web/alerting.py); set by create_app.
    alerter: Alerter | None = None
    #: The limits of the child that reads a sender's photo (the upload limits); set by create_app.
    reader_limits: isolated.Limits = isolated.Limits()

    def __init__(
        self, store: Store, engines: EngineHolder, *, campaigns: bool = True, lifetime: Lifetime | None = None
    ) -> None:
        self.store = store
        self.lifetime = lifetime or Lifetime(idle=timedelta(hours=1), absolute=timedelta(hours=8))
        self.engines = engines
        self.tokens = TokenCache()
        self.persist = campaigns_module() if campaigns else None
        self.linker: Linker | None = cast(Linker, self.persist.link_report) if self.persist is not None else None

    # --- screening ------------------------------------------------------------------------------------
    def assess(self, approach: Approach) -> Assessment:
        """A verdict, nothing stored. The sender's photo is read in a child first (web/photos.py): a path, a URL
        or a bad image raises PhotoRefused."""
        return self._assess(take_photo(approach, limits=self.reader_limits).assessed)

    def _assess(self, approach: Approach) -> Assessment:
        self._refresh_engine()
        return self.engines.engine.assess(approach)

    @staticmethod
    def as_received_by(actor: Actor, approach: Approach) -> Approach:
        """The approach as sent to the caller: their title, team and organisation as its recipient, unless it
        names a recipient itself (`"recipient": null` included: the caller says whom, or no one)."""
        if "recipient" in approach.model_fields_set:
            return approach
        recipient = actor.details.recipient()
        return approach if recipient is None else approach.model_copy(update={"recipient": recipient})

    def submit_report(
        self,
        reporter: Actor,
        approach: Approach,
        *,
        mail: MailMessage | None = None,
        warnings: tuple[str, ...] = (),
        photo_name: str | None = None,
    ) -> tuple[int, Assessment]:
        """Assess, store, audit and link to a campaign, all in one transaction: a 201 means all of it is on disk.

        `mail` is the uploaded e-mail the approach came from: its attachments and links are assessed too. The
        approach is assessed and stored as sent to the reporter's role (`as_received_by`), so a later look at
        it (relinking, an audit, a re-assessment) sees the recipient the verdict was given for.

        The sender's photo (a data: URI) is read first: a bad one raises `PhotoRefused` (naming it as
        `photo_name`, the uploaded file's name, when given) and nothing is assessed or stored. The photo is
        assessed with the approach; what is stored is its thumbnail and hash, not the upload (web/photos.py).
        """
        approach = self.as_received_by(reporter, approach)
        taken = take_photo(approach, photo_name, self.reader_limits)
        if mail is None:
            assessment = self._assess(taken.assessed)
        else:
            self._refresh_engine()
            assessment = assess_mail(self.engines.engine, replace(mail, approach=taken.assessed))
        with self.store.write() as session:
            report_id, raised = file_report(
                session, reporter, taken.stored, assessment, self.linker, self.alerter, warnings, taken.photo
            )
        if self.alerter is not None:
            self.alerter.dispatch(self.store, raised)  # delivery after the commit, off the request
        return report_id, assessment

    def _refresh_engine(self) -> None:
        if not self.engines.due():
            return
        with self.store.read() as session:
            self.engines.refresh_if_stale(session)

    # --- uploads ------------------------------------------------------------------------------------
    def begin_upload(self, actor: Actor, limits: upload_limits.Limits) -> upload_limits.Slot:
        """A slot for reading this person's uploaded files, or the limit that refuses one (Retry-After)."""
        with self.store.write() as session:
            return upload_limits.begin(session, actor.id, limits)

    def finish_upload(self, slot: upload_limits.Slot) -> None:
        with self.store.write() as session:
            upload_limits.finish(session, slot)

    # --- reports --------------------------------------------------------------------------------------
    def list_reports(self, viewer: Actor, f: ReportFilter | None = None) -> list[ReportSummary]:
        f = f or ReportFilter()
        with self.store.read() as session:
            return [summary_of(r) for r in reports.listing(session, viewer, f)]

    def get_report(self, viewer: Actor, report_id: int) -> ReportView | None:
        """The report with its approach, verdict and notes; None when it does not exist or is not theirs."""
        with self.store.read() as session:
            row = reports.get(session, viewer, report_id)
            if row is None:
                return None
            reporter = session.get(User, row.reporter_id)
            notes = tuple((utc(n.created_at), name, n.text) for n, name in reports.notes(session, viewer, report_id))
            return ReportView(
                summary_of(row),
                reports.approach_of(row),
                reports.assessment_of(row),
                reporter.name if reporter is not None else "?",
                notes,
                reports.warnings_of(row),
                reports.photo_size(session, report_id),
            )

    def report_photo(self, viewer: Actor, report_id: int) -> tuple[bytes, str] | None:
        """The thumbnail of a report's photo and its media type, when the viewer may see the report."""
        with self.store.read() as session:
            if reports.get(session, viewer, report_id) is None:
                return None
            return reports.photo_of(session, report_id)

    def set_status(self, viewer: Actor, report_id: int, status: str) -> bool:
        """False when the report is not there for this viewer; Forbidden for reporters."""
        self._need(viewer, TRIAGE_ROLES)
        with self.store.write() as session:
            return reports.set_status(session, viewer, report_id, status) is not None

    def add_note(self, viewer: Actor, report_id: int, text: str) -> bool:
        self._need(viewer, TRIAGE_ROLES)
        with self.store.write() as session:
            return reports.add_note(session, viewer, report_id, text) is not None

    def add_watchlist_from_report(self, viewer: Actor, report_id: int) -> str | None:
        """List the case's sender; the new entry screens every later approach at once. Returns its id."""
        self._need(viewer, TRIAGE_ROLES)
        with self.store.write() as session:
            row = watchlist_rows.add_from_report(session, viewer, report_id)
            entry_id = row.entry_id if row is not None else None
        with self.store.read() as session:
            self.engines.load(session)
        return entry_id

    def watchlist(self, viewer: Actor) -> list[dict[str, Any]]:
        """The service's own entries (newest first) with provenance, for analysts and admins."""
        self._need(viewer, TRIAGE_ROLES)
        with self.store.read() as session:
            return [
                {
                    "entry": json.loads(r.entry_json),
                    "added_by": name,
                    "added_at": utc(r.added_at),
                    "from_report_id": r.from_report_id,
                    "active": r.active,
                }
                for r, name in watchlist_rows.listing(session)
            ]

    # --- campaigns ------------------------------------------------------------------------------------
    def campaigns(self, viewer: Actor) -> list[Any]:
        """campaigns.persist.campaign_summaries (an empty list until that package exists)."""
        self._need(viewer, TRIAGE_ROLES)
        if self.persist is None:
            return []
        with self.store.read() as session:
            return list(self.persist.campaign_summaries(session))

    # --- casework pages: watchlist by hand, one campaign, alerts (W2) ----------------------------------
    def add_watchlist_entry(self, viewer: Actor, raw: dict[str, Any]) -> str:
        """An entry typed in by an analyst; ValueError names the field a watchlist file would be refused for."""
        self._need(viewer, TRIAGE_ROLES)
        with self.store.write() as session:
            row = casework.add_entry(session, viewer, raw)
            entry_id = row.entry_id if row is not None else ""
        with self.store.read() as session:
            self.engines.load(session)
        return entry_id

    def set_watchlist_active(self, viewer: Actor, entry_id: str, active: bool) -> bool:
        """False when no service entry has that id; the engine stops (or starts) matching it at once."""
        self._need(viewer, TRIAGE_ROLES)
        with self.store.write() as session:
            found = casework.set_active(session, viewer, entry_id, active) is not None
        with self.store.read() as session:
            self.engines.load(session)
        return found

    def seed_watchlist(self, viewer: Actor) -> list[WatchlistEntry]:
        """The entries the engine was built with (the packaged seed list and any file), not the service's own."""
        self._need(viewer, TRIAGE_ROLES)
        return [e for e in self.engines.engine.context.watchlist or () if e.origin != "service watchlist"]

    def campaign(self, viewer: Actor, campaign_id: int) -> Any | None:
        """A campaign's summary (of the one it was merged into, if so); None when there is none to show."""
        self._need(viewer, TRIAGE_ROLES)
        if self.persist is None:
            return None
        with self.store.read() as session:
            live = casework.surviving_campaign(session, campaign_id)
            found = self.persist.campaign_summaries(session, ids=[live]) if live is not None else []
        return found[0] if found else None

    def alerts(self, viewer: Actor, *, limit: int = 50, offset: int = 0) -> list[casework.AlertRow]:
        self._need(viewer, TRIAGE_ROLES)
        with self.store.read() as session:
            return casework.alerts(session, limit=limit, offset=offset)

    def alert(self, viewer: Actor, alert_id: int) -> tuple[casework.AlertRow, str] | None:
        """One alert with its HTML briefing (as rendered by alerts/, shown only in a sandboxed frame)."""
        self._need(viewer, TRIAGE_ROLES)
        with self.store.read() as session:
            return casework.alert(session, alert_id)

    # --- devices: removal tracking (decision 0065) -------------------------------------------------------
    def device_sites(self, viewer: Actor) -> list[devices.SiteRow]:
        self._need(viewer, TRIAGE_ROLES)
        with self.store.read() as session:
            return devices.sites(session)

    def list_devices(self, viewer: Actor, f: devices.DeviceFilter) -> tuple[list[devices.DeviceRow], int]:
        self._need(viewer, TRIAGE_ROLES)
        with self.store.read() as session:
            return devices.listing(session, f)

    def import_devices(self, viewer: Actor, records: Sequence[DeviceRecord], source: str) -> devices.ImportResult:
        """Add or update the devices, raising the device alerts in the same transaction; delivered after it."""
        self._need(viewer, TRIAGE_ROLES)
        return import_devices(self.store, self.alerter, records, actor_id=viewer.id, source=source)

    def set_device_status(self, viewer: Actor, device_id: int, status: str, reason: str) -> bool:
        """False when there is no such device; DeviceError for an unknown status or an exemption without reason."""
        self._need(viewer, TRIAGE_ROLES)
        with self.store.write() as session:
            return devices.set_status(session, viewer.id, device_id, status, reason) is not None

    def set_site_deadline(self, viewer: Actor, site_id: int, deadline: date | None) -> bool:
        self._need(viewer, TRIAGE_ROLES)
        with self.store.write() as session:
            return devices.set_deadline(session, viewer.id, site_id, deadline) is not None

    # --- users and audit (admin) ----------------------------------------------------------------------
    def users(self, viewer: Actor) -> list[User]:
        self._need(viewer, {"admin"})
        with self.store.read() as session:
            return accounts.list_users(session)

    def add_user(
        self,
        viewer: Actor,
        name: str,
        role: str,
        password: str | None,
        details: Mapping[str, str | None] | None = None,
    ) -> int:
        self._need(viewer, {"admin"})
        with self.store.write() as session:
            return accounts.add_user(session, name, role, password=password, details=details, by=viewer.id).id

    def details(self, viewer: Actor, user_id: int) -> StaffDetails | None:
        """An account's title, team and organisation: one's own, or anyone's for an admin (else Forbidden)."""
        if user_id != viewer.id:
            self._need(viewer, {"admin"})
        with self.store.read() as session:
            user = session.get(User, user_id)
            return accounts.details_of(user) if user is not None else None

    def set_details(self, viewer: Actor, user_id: int, changes: Mapping[str, str | None]) -> bool:
        """Change one's own details, or anyone's as an admin; False when there is no such account.
        ValueError names a field that will not do."""
        if user_id != viewer.id:
            self._need(viewer, {"admin"})
        with self.store.write() as session:
            found = accounts.set_details(session, user_id, changes, by=viewer.id) is not None
        self.tokens.clear()  # API calls in this process assess for the new role at once
        return found

    def set_user_active(self, viewer: Actor, user_id: int, active: bool) -> bool:
        self._need(viewer, {"admin"})
        if user_id == viewer.id and not active:
            raise ValueError("user: you cannot deactivate your own account")
        with self.store.write() as session:
            found = accounts.set_active(session, user_id, active, by=viewer.id) is not None
        self.tokens.clear()  # a deactivated user's tokens stop working here at once
        return found

    def set_user_role(self, viewer: Actor, user_id: int, role: str) -> bool:
        """Another role for an account; its page sessions end. False when there is no such account."""
        self._need(viewer, {"admin"})
        if user_id == viewer.id:
            raise ValueError("role: you cannot change your own role")
        with self.store.write() as session:
            found = accounts.set_role(session, user_id, role, by=viewer.id) is not None
        self.tokens.clear()  # API calls in this process act with the new role at once
        return found

    def record_refusal(self, actor: Actor, method: str, route: str, path: str) -> None:
        """A 403 for the actor's role, in the audit log (what they sent is not kept)."""
        detail = {"method": method, "path": path[:200], "role": actor.role}
        with self.store.write() as session:
            audit.record(
                session,
                actor_id=actor.id,
                action="access.refused",
                object_type="route",
                object_id=route[:64],
                detail=detail,
            )

    def audit_log(self, viewer: Actor, *, limit: int = 200, before_id: int | None = None) -> list[audit.AuditRow]:
        self._need(viewer, {"admin"})
        with self.store.read() as session:
            return audit.recent(session, limit=limit, before_id=before_id)

    # --- who is asking --------------------------------------------------------------------------------
    def actor_by_id(self, user_id: int) -> Actor | None:
        """The active user with this id (re-read, never remembered)."""
        with self.store.read() as session:
            user = session.get(User, user_id)
            return accounts.actor(user) if user is not None and user.active else None

    def start_session(
        self,
        user_id: int,
        *,
        replacing: str | None = None,
        user_agent: str | None = None,
        address: str | None = None,
    ) -> str:
        """A new page session (the token for the cookie), ending the one it replaces; sessions past their time
        are cleared on the way. The browser (summarised) and address are shown to the person on /account."""
        with self.store.write() as session:
            sessions.purge(session, self.lifetime)
            if replacing is not None:
                sessions.end(session, replacing)
            return sessions.start(session, user_id, user_agent=user_agent, address=address)

    def my_sessions(self, viewer: Actor, current: str | None) -> list[sessions.SessionRow]:
        """The viewer's own live sessions; `current` (this browser's token) marks which one is this browser."""
        with self.store.read() as session:
            return sessions.listing(session, viewer.id, self.lifetime, current, utcnow())

    def end_my_session(self, viewer: Actor, session_id: int) -> bool:
        """End one of the viewer's own sessions at once (its cookie is refused on its next request); False when
        there is no such session of theirs, someone else's included."""
        with self.store.write() as session:
            if not sessions.end_one(session, viewer.id, session_id):
                return False
            _audit_own(session, viewer, "session.end", {"session": session_id})
            return True

    def end_my_other_sessions(self, viewer: Actor, current: str) -> int:
        """ "Sign out everywhere else": every session of the viewer's but this browser's; how many ended."""
        with self.store.write() as session:
            ended = sessions.end_others(session, viewer.id, current)
            _audit_own(session, viewer, "session.end_others", {"sessions": ended})
            return ended

    def actor_by_session(self, token: str) -> Actor | None:
        """The active user behind a page session's token, checked on every request: None once the session was
        ended (sign-out, deactivation, a new role or password) or has outlived `lifetime`."""
        now = utcnow()
        with self.store.read() as session:
            found = sessions.find(session, token)
        if found is None:
            return None
        user, row = found
        if self.lifetime.expired(row, now):
            self.end_session(token)
            return None
        if sessions.due_for_touch(row, now):
            with self.store.write() as session:
                sessions.touch(session, row.id, now)
        return accounts.actor(user)

    def end_session(self, token: str) -> None:
        with self.store.write() as session:
            sessions.end(session, token)

    def actor_by_token(self, token: str) -> Actor | None:
        """The active user a token belongs to (remembered briefly: web/tokens.py)."""
        actor = self.tokens.get(token)
        if actor is not None:
            return actor
        now = utcnow()
        with self.store.read() as session:
            found = accounts.token_and_user(session, token)
            if found is None:
                return None
            user, row = found
            actor, token_id, due = accounts.actor(user), row.id, accounts.token_use_due(row, now)
        if due:  # at most a write a minute per token; the cache below keeps most calls from getting here
            with self.store.write() as session:
                accounts.note_token_use(session, token_id, actor.id, now)
        self.tokens.put(token, actor)
        return actor

    @staticmethod
    def _need(viewer: Actor, roles: set[str] | frozenset[str]) -> None:
        if viewer.role not in roles:
            raise Forbidden(f"role: {viewer.role} may not do this")


def _audit_own(session: Session, viewer: Actor, action: str, detail: dict[str, int]) -> None:
    """Record in the audit log what the viewer did to their own account (its sessions)."""
    audit.record(session, actor_id=viewer.id, action=action, object_type="user", object_id=viewer.id, detail=detail)
