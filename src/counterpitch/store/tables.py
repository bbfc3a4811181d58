"""The service's tables, SQLAlchemy 2 declarative. Alembic migrations (store/migrations) create and evolve them.

Approaches and assessments are kept as the JSON of ../shared/schemas, exactly as the API returns them; the few
columns the queue filters and sorts on (band, score, status, dates, campaign) are copied out beside them.
Times are stored in UTC with their zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("reporter", "analyst", "admin")
STATUSES = ("new", "triaged", "confirmed_hostile", "benign", "closed")


def utcnow() -> datetime:
    return datetime.now(UTC)


#: Named constraints, so later migrations (and SQLite's batch mode) can find and change them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _name_key(context: Any) -> str:
    """Every account row gets its name's key, however it is inserted."""
    from counterpitch.store.names import key

    return key(str(context.get_current_parameters()["name"]))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_one_of("role", ROLES), name="role"),
        Index("ix_users_name_key", "name_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: The name as sign-in looks it up (store/names.key: NFKC, case-folded), one account per key.
    name_key: Mapped[str] = mapped_column(String(480), default=lambda ctx: _name_key(ctx), server_default="")
    role: Mapped[str] = mapped_column(String(16))
    #: argon2id hash; None for accounts that sign in only through OpenID Connect.
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True, default=None)
    email: Mapped[str | None] = mapped_column(String(255), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The person's own role, team and organisation (accounts.StaffDetails): a report they file is assessed as
    #: sent to someone in that role, so the targeting and exposure detectors see who was approached.
    title: Mapped[str | None] = mapped_column(String(200), default=None)
    team: Mapped[str | None] = mapped_column(String(200), default=None)
    organisation: Mapped[str | None] = mapped_column(String(200), default=None)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token (hex). Tokens are 256-bit random, so a fast hash is enough; the token itself is
    #: shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(120), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Moved on at most once a minute (accounts.TOKEN_TOUCH_EVERY): `tokens list` shows it.
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    #: When this token's use last went into the audit log (`token.used`, at most once an hour).
    use_audited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSession(Base):
    """A signed-in browser (store/sessions.py). The cookie carries a random token; only its SHA-256 is kept here,
    so a copy of the database signs no one in. Deleting the row ends the session wherever the cookie is."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: Moved on at most once a minute (store/sessions.TOUCH_EVERY), so a page costs no write.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The browser it signed in from, summarised (web/user_agents.py), and the address, shown on /account.
    user_agent: Mapped[str | None] = mapped_column(String(120), default=None)
    address: Mapped[str | None] = mapped_column(String(64), default=None)


class LoginAttempt(Base):
    """Sign-in attempts, for rate limiting across processes (store/signin_limits.py): one row per key an attempt
    counts against (the name from this address, the name, the address), written before the password is checked
    and deleted again when it was right."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class KnownAddress(Base):
    """An address an account signed in from with its password: the limits that count every name from an address,
    or every address for a name, do not apply to it there (store/signin_limits.py)."""

    __tablename__ = "known_addresses"
    __table_args__ = (UniqueConstraint("user_id", "address"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(64))
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UploadSlot(Base):
    """One upload of a file to read (a profile PDF, an e-mail), for the per-user limits (store/upload_limits.py):
    written before the file is read, `finished_at` set when the reading is over."""

    __tablename__ = "upload_slots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class Campaign(Base):
    """Reports linked by a shared sender identity, contact, firm or near-identical text (campaigns/)."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: How many reports belong to it (0 once merged into another or dissolved by a relink); merges fold the
    #: smaller campaign into the larger.
    reports: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The campaign this one was merged into. The row stays, so alerts that name it still resolve.
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), default=None)


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_status_reported_at", "status", "reported_at"),
        Index("ix_reports_band_reported_at", "band", "reported_at"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approach_id: Mapped[str] = mapped_column(String(255))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: The Approach and Assessment as their JSON Schemas define them.
    approach_json: Mapped[str] = mapped_column(Text)
    assessment_json: Mapped[str] = mapped_column(Text)
    band: Mapped[str] = mapped_column(String(8))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(24), default="new")
    sender_name: Mapped[str | None] = mapped_column(String(255), default=None)
    sender_company: Mapped[str | None] = mapped_column(String(255), default=None)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True, default=None)
    #: MinHash signature of the message text (campaigns/), for near-duplicate checks on candidates.
    signature: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    #: What the readers of the uploaded files could not read (a JSON list of sentences), shown with the verdict.
    warnings_json: Mapped[str | None] = mapped_column(Text, default=None)


class ReportPhoto(Base):
    """The sender's photo of a report, kept minimally (photo/keep.py): a re-encoded thumbnail and a perceptual hash
    for "one face, many names" (campaigns/photos.py); the upload itself is never stored. Goes with its report."""

    __tablename__ = "report_photos"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    #: imagehash's 64-bit pHash of the whole image, as a signed integer.
    phash: Mapped[int] = mapped_column(BigInteger)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    #: Faces the photo check found: only a photo with a face links reports (a logo or a blank avatar must not).
    faces: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LinkKey(Base):
    """One blocking key of a report (an indicator or an LSH band): reports sharing a key are link candidates."""

    __tablename__ = "link_keys"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, index=True)
    #: What the key is as an analyst reads it (profile_url, wechat, company, text, ...) and its value as shown.
    kind: Mapped[str] = mapped_column(String(24), default="", server_default="")
    label: Mapped[str | None] = mapped_column(String(255), default=None)


class LinkKeyStat(Base):
    """The distinct senders seen with a firm, mail domain or text key, until it turns hot (campaigns/linking.py).

    Made when a second report holds the key: a key held by one report has no row."""

    __tablename__ = "link_key_stats"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    #: JSON list of short digests of the senders, at most HOT_SENDERS + 1 long.
    senders: Mapped[str] = mapped_column(Text, default="[]")
    hot: Mapped[bool] = mapped_column(Boolean, default=False)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class WatchlistRow(Base):
    """A watchlist entry added in the service (the same fields as watchlist.py's YAML), with provenance."""

    __tablename__ = "watchlist_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(120), unique=True)
    #: The entry as watchlist.py reads it from YAML (a JSON object).
    entry_json: Mapped[str] = mapped_column(Text)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    from_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEvent(Base):
    """Append-only: the application never updates or deletes a row, and database triggers refuse it."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    detail_json: Mapped[str] = mapped_column(Text, default="{}")


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_reporter_id_created_at", "reporter_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(120))
    #: One alert per rule and subject: a campaign that keeps growing does not alert again for the same rule.
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), default=None, index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    #: Delivery outcome per channel, JSON: {"smtp": "sent" | "error: ...", "webhook": ...}.
    delivery_json: Mapped[str] = mapped_column(Text, default="{}")
    #: The alert's facts as the webhook sends them (its "alert" object), JSON; kept for deliveries retried later.
    facts_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    #: Whose report raised it (the per-reporter hourly limit counts these; web/alerting.py). Not a foreign key:
    #: users are deactivated, never deleted, and the column was added in place on SQLite.
    reporter_id: Mapped[int | None] = mapped_column(Integer, default=None)
    #: A campaign alert is updated in place as reports join its campaign: how many times, and when last.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    #: When the alert or its last update was handed to delivery; updates go out at most once per interval.
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    #: An update is stored that has not been delivered yet (held back by the interval).
    update_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


DEVICE_STATUSES = ("found", "scheduled", "removed", "exempted")


class DeviceSite(Base):
    """A site of the device audit: its removal deadline, and who set it when (store/devices.py)."""

    __tablename__ = "device_sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    deadline_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: How many audits have been imported for this site: the first is the baseline, which raises no "new device"
    #: alert (web/alerting.py, decision 0065).
    imports: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Device(Base):
    """One device of an imported audit (devices/ Verdict), matched across imports by its site and MAC, else IP,
    else asset tag; its removal status and who set it. Every change is in `device_status_changes` and the audit
    log."""

    __tablename__ = "devices"
    __table_args__ = (
        CheckConstraint(_one_of("status", DEVICE_STATUSES), name="status"),
        Index("ix_devices_site_id_mac", "site_id", "mac"),
        Index("ix_devices_site_id_ip", "site_id", "ip"),
        Index("ix_devices_site_id_asset", "site_id", "asset"),
        Index("ix_devices_site_id_status", "site_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("device_sites.id"))
    asset: Mapped[str] = mapped_column(String(255), default="", server_default="")
    ip: Mapped[str] = mapped_column(String(64), default="", server_default="")
    mac: Mapped[str] = mapped_column(String(32), default="", server_default="")
    vendor: Mapped[str] = mapped_column(String(255), default="", server_default="")
    brand: Mapped[str] = mapped_column(String(255), default="", server_default="")
    covered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    #: The lists that cover it, ";"-joined (`us_covered_list;uk_prc_nil`), "" when none.
    basis: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: The verdict's clues as devices.model.Verdict.to_json gives them, with its conflict and note (JSON object).
    evidence_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(16), default="found", server_default="found")
    status_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    status_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status_reason: Mapped[str | None] = mapped_column(Text, default=None)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeviceStatusChange(Base):
    """A device's status history: from what to what, who (None: an import), when, why. Append-only, like the
    audit log: database triggers refuse UPDATE and DELETE (migration 0011)."""

    __tablename__ = "device_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    old_status: Mapped[str | None] = mapped_column(String(16), default=None)
    new_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class TaxiiObject(Base):
    """A STIX object as one version in one TAXII collection (store/taxii.py). `version` is the object's
    `modified` (else `created`, else when it was added) at microsecond precision, so it sorts as text; each row's
    `date_added` is later than every row before it in its collection, so `added_after` never skips one."""

    __tablename__ = "taxii_objects"
    __table_args__ = (
        UniqueConstraint("collection", "stix_id", "version", name="uq_taxii_objects_collection_stix_id_version"),
        Index("ix_taxii_objects_collection_date_added", "collection", "date_added"),
        Index("ix_taxii_objects_collection_stix_id", "collection", "stix_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection: Mapped[str] = mapped_column(String(64))
    stix_id: Mapped[str] = mapped_column(String(120))
    stix_type: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    spec_version: Mapped[str] = mapped_column(String(8), default="2.1")
    date_added: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    object_json: Mapped[str] = mapped_column(Text)


class TaxiiStatus(Base):
    """What became of one TAXII `add objects` request: counts and, per object, success or why it failed."""

    __tablename__ = "taxii_statuses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    collection: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    total: Mapped[int] = mapped_column(Integer)
    successes: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    #: {"successes": [{"id", "version"}], "failures": [{"id", "version", "message"}]}
    detail_json: Mapped[str] = mapped_column(Text, default="{}")
