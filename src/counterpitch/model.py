"""The records of ../shared/schemas as frozen, validated types.

Everything the engine reads or writes passes through these classes, so a malformed input fails here, once,
with the path of the field at fault, and nothing downstream has to re-check types. Unknown fields are ignored
(reports from other tools often carry extras) and never written back out.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

Channel = Literal["linkedin_message", "linkedin_invitation", "linkedin_inmail", "email", "phone", "in_person", "other"]
Band = Literal["low", "medium", "high"]
Severity = Literal["info", "low", "medium", "high"]
Label = Literal["hostile", "benign"]

#: A message larger than this is refused: no genuine approach is this long, and the limit bounds the work an
#: adversary can force on the engine with one record.
MAX_TEXT_CHARS = 200_000


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True, str_max_length=MAX_TEXT_CHARS)

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Position(Record):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    description: str | None = None
    start: str | None = None
    end: str | None = None


class Education(Record):
    school: str | None = None
    degree: str | None = None
    start: str | None = None
    end: str | None = None


class PersonProfile(Record):
    """A sender or recipient as their public profile shows them (approach.schema.json#/$defs/profile).

    The lists are None when not given and () when given empty, and neither says the person has none: a report
    usually carries what someone pasted or typed. Only a profile an ingest read whole (`captured_whole`) can say
    "no work history" (docs/decisions/0037-missing-is-not-evidence.md).
    """

    name: str | None = None
    headline: str | None = None
    company: str | None = None
    location: str | None = None
    profile_url: str | None = None
    email: str | None = None
    connections: int | None = Field(default=None, ge=0)
    followers: int | None = Field(default=None, ge=0)
    account_created: str | None = None
    about: str | None = None
    experience: tuple[Position, ...] | None = None
    education: tuple[Education, ...] | None = None
    skills: tuple[str, ...] | None = None
    photo: str | None = None
    organisation: str | None = None
    #: Set only by an ingest that read the profile as its owner publishes it, every section (a LinkedIn "Save to
    #: PDF"). Never read from input nor written out: the schema has no such field, and a record cannot vouch
    #: for how it was captured.
    _whole: bool = PrivateAttr(default=False)

    @property
    def captured_whole(self) -> bool:
        """Whether an empty list here means "none" rather than "not copied"."""
        return self._whole

    def as_captured_whole(self) -> PersonProfile:
        """A copy marked as read whole, for the ingest that read it so (the original is left as it was)."""
        copy = self.model_copy()
        copy._whole = True
        return copy


class ThreadMessage(Record):
    from_: Literal["sender", "recipient"] = Field(alias="from")
    sent_at: str | None = None
    text: str


class Approach(Record):
    """One approach: the message as received (`text`), the reporter's own account of it (`account`), or both.

    `account` is not in approach.schema.json (which allows extra properties): what happened, told in the
    reporter's words ("she offered me 2,000 pounds a month for reports and said to keep it between us"), or by a
    security officer for a colleague. It is read as evidence of what the sender did, not as a warning
    (detectors/assertion.py, `told`). With an account alone, `text` is the empty string: it may be left out
    when an account is given, and is always written, so every file written stays valid against the schema
    (docs/decisions/0043-told-approaches.md).
    """

    id: str = Field(min_length=1)
    channel: Channel | None = None
    sent_at: str | None = None
    sender: PersonProfile | None = None
    recipient: PersonProfile | None = None
    subject: str | None = None
    text: str
    thread: tuple[ThreadMessage, ...] = ()
    label: Label | None = None
    notes: str | None = None
    account: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _text_may_wait_for_an_account(cls, data: object) -> object:
        """An approach told only in the reporter's words has no message: `text` is then the empty string."""
        if isinstance(data, dict) and "text" not in data and isinstance(data.get("account"), str):
            return {**data, "text": ""}
        return data

    @property
    def told(self) -> bool:
        """Whether the reporter's own account of the approach is given (non-blank)."""
        return bool(self.account and self.account.strip())

    def with_sender_read_whole(self) -> Approach:
        """This approach, its sender marked as read whole (a face that merged a saved profile with typed fields)."""
        if self.sender is None:
            return self
        return self.model_copy(update={"sender": self.sender.as_captured_whole()})


class Project(Record):
    title: str | None = None
    description: str | None = None


class ExpectedDisclosure(Record):
    kind: Literal["clearance", "sensitive_project", "sensitive_role", "access_claim", "personal_contact"]
    value: str | None = None


class Profile(Record):
    """One person's public profile, as an exposure audit reads it (profile.schema.json)."""

    id: str = Field(min_length=1)
    name: str | None = None
    headline: str | None = None
    location: str | None = None
    profile_url: str | None = None
    about: str | None = None
    experience: tuple[Position, ...] = ()
    education: tuple[dict[str, object], ...] = ()
    skills: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    projects: tuple[Project, ...] = ()
    connections: int | None = Field(default=None, ge=0)
    expected: tuple[ExpectedDisclosure, ...] = ()


class Evidence(Record):
    field: str
    start: int | None = None
    end: int | None = None
    quote: str | None = None


class Finding(Record):
    detector: str
    title: str
    severity: Severity
    value: str | None = None
    weight: float | None = None
    evidence: tuple[Evidence, ...]
    explanation: str
    guidance: str | None = None
    attack: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    #: How strongly the detector saw it, 0..1. Internal to scoring: not part of the Assessment schema.
    strength: float = Field(default=1.0, ge=0.0, le=1.0, exclude=True)


class Language(Record):
    """The language the phrase rules read an approach in (docs/decisions/0041-six-languages.md)."""

    #: ISO 639-1, as py3langid names it.
    code: str
    name: str
    #: Whether phrase rules of this language exist: when false only English rules, the profile and the watchlist
    #: spoke, and the advice says so.
    read: bool


class Assessment(Record):
    id: str
    score: float = Field(ge=0, le=100)
    band: Band
    findings: tuple[Finding, ...]
    advice: str | None = None
    #: Set when the sender wrote in another language than English (absent: read as English). Not in
    #: assessment.schema.json, which allows extra properties: consumers that do not know it pass it by.
    language: Language | None = None
