"""Findings on what an e-mail carries besides its words: attachments and links (family `mail`).

These detectors are deliberately not in the registry. Registered detectors read an `Approach`, whose schema
(approach.schema.json) is fixed and has no attachments or link addresses; these read a `MailMessage`. They use
`DetectorMeta` and a `Detector` subclass so their metadata is validated like every other detector's and their
findings look the same in reports, and `assess_mail` adds them to what the engine's own detectors saw.

Their weights are fixed, documented numbers (data/mail_weights.json) until there is e-mail to fit them on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

from counterpitch.detectors.base import Detector, DetectorMeta, whole
from counterpitch.ingest.mail import MailMessage
from counterpitch.ingest.mail_attachments import EXECUTABLE_EXTENSIONS, Attachment, extension
from counterpitch.language import language_of
from counterpitch.model import Approach, Assessment, Evidence, Finding, Profile
from counterpitch.scoring import Scorer, ScoreTrail

if TYPE_CHECKING:
    from counterpitch.detectors.context import Context
    from counterpitch.engine import Engine

DREAM_JOB = "Operation Dream Job (Lazarus, ATT&CK C0022): 'skills assessment' files, trojanised PDF readers"
TORTOISESHELL_EXCEL = "Tortoiseshell (Iran, 2021 takedown): malicious Excel files"
TORTOISESHELL_PORTALS = "Tortoiseshell (Iran, 2021 takedown): fake job portals, a spoofed US Department of Labor site"
MESSAGE_ATTACHMENT = (
    "tradecraft.md, Message: an attachment, 'skills test', or a PDF reader or interview app to install; "
    "links to job portals off the platform"
)
#: Words that name a file as something to install or run for a job process (Operation Dream Job's "skills
#: assessment" files and PDF readers). Matched in the name's letters only, so "Skills_Test" is "skillstest".
INSTALLER_WORDS = (
    "interview", "assessment", "setup", "install", "client", "reader", "skillstest", "skilltest", "codingtest",
    "codingchallenge",
)  # fmt: skip
#: At most this many items are quoted as evidence for one finding.
MAX_EVIDENCE = 10

Hit = tuple[tuple[Evidence, ...], str]  # evidence of one item, and the value to report (a filename or host)
Check = Callable[[MailMessage], Iterator[Hit]]


@dataclass(frozen=True)
class MailDetector(Detector):
    """A detector over a whole e-mail. Its `detect` sees only the Approach and so finds nothing by design."""

    check: Check

    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        return iter(())

    def detect_mail(self, msg: MailMessage) -> Iterator[Finding]:
        """At most one finding, with the evidence of every offending item (first `MAX_EVIDENCE`)."""
        hits = list(self.check(msg))
        if hits:
            evidence = tuple(e for ev, _ in hits[:MAX_EVIDENCE] for e in ev)
            yield self.finding(evidence, value=hits[0][1])


def _ev(path: str, value: str) -> Evidence:
    return whole(path, value).evidence()


def _file(i: int, a: Attachment) -> Evidence:
    return _ev(f"attachments[{i}].filename", a.filename)


def _executables(msg: MailMessage) -> Iterator[Hit]:
    for i, a in enumerate(msg.attachments):
        if a.kind == "executable":
            yield (_file(i, a),), a.filename
        for j, member in enumerate(a.members):
            if extension(member) in EXECUTABLE_EXTENSIONS:
                yield (_file(i, a), _ev(f"attachments[{i}].members[{j}]", member)), member


def _macro_documents(msg: MailMessage) -> Iterator[Hit]:
    for i, a in enumerate(msg.attachments):
        if a.kind == "macro_document":
            yield (_file(i, a),), a.filename


def _installers(msg: MailMessage) -> Iterator[Hit]:
    def named(name: str) -> bool:
        letters = re.sub(r"[^a-z]", "", name.lower())
        return any(w in letters for w in INSTALLER_WORDS)

    for i, a in enumerate(msg.attachments):
        if a.kind not in {"executable", "archive"}:
            continue
        runnable = [m for m in a.members if extension(m) in EXECUTABLE_EXTENSIONS]
        # An archive's name counts when it holds a program or cannot be looked into (rar, 7z, unreadable):
        # a readable zip of PDFs called "Assessment brief.zip" is a brief, not an installer.
        if named(a.filename) and (a.kind == "executable" or runnable or not a.members):
            yield (_file(i, a),), a.filename
        for j, member in enumerate(a.members):
            if named(member) and extension(member) in EXECUTABLE_EXTENSIONS:
                yield (_file(i, a), _ev(f"attachments[{i}].members[{j}]", member)), member


def _encrypted(msg: MailMessage) -> Iterator[Hit]:
    for i, a in enumerate(msg.attachments):
        if a.encrypted:
            yield (_file(i, a),), a.filename


def _mismatched(msg: MailMessage) -> Iterator[Hit]:
    for i, link in enumerate(msg.links):
        if link.mismatched:
            yield (_ev(f"links[{i}].text", link.text), _ev(f"links[{i}].href", link.href)), link.host or ""


def _raw_or_lookalike(msg: MailMessage) -> Iterator[Hit]:
    for i, link in enumerate(msg.links):
        if link.raw_ip or link.lookalike:
            yield (_ev(f"links[{i}].href", link.href),), link.host or ""


MAIL_DETECTORS: tuple[MailDetector, ...] = (
    MailDetector(
        DetectorMeta(
            id="mail.executable_attachment",
            title="An executable program is attached",
            severity="high",
            explanation=(
                "The e-mail carries a program (by its first bytes or its name), or an archive holding one. "
                "Operation Dream Job's fake recruiters sent 'skills assessment' programs and trojanised PDF "
                "readers; a name like 'CV.pdf.exe' hides the real type."
            ),
            guidance=(
                "Do not open or run it. Genuine employers do not send programs. Forward the e-mail, unopened, "
                "to your IT security team."
            ),
            sources=(DREAM_JOB, MESSAGE_ATTACHMENT),
            attack=("T1566.001", "T1204.002"),
        ),
        _executables,
    ),
    MailDetector(
        DetectorMeta(
            id="mail.macro_document",
            title="An Office document with macros is attached",
            severity="high",
            explanation=(
                "The attachment is a macro-enabled Office file (its name, or a VBA project inside it). "
                "Tortoiseshell delivered malware to defence staff in malicious Excel files."
            ),
            guidance=(
                "Do not open it, and never click 'Enable content'. Ask for the information as plain text or a "
                "PDF through a channel you have verified, and report the e-mail."
            ),
            sources=(TORTOISESHELL_EXCEL, MESSAGE_ATTACHMENT),
            attack=("T1566.001", "T1204.002"),
        ),
        _macro_documents,
    ),
    MailDetector(
        DetectorMeta(
            id="mail.installer_or_interview_app",
            title="An interview app, assessment or installer is attached",
            severity="high",
            explanation=(
                "A program or archive is named as an interview client, skills assessment, setup or reader: "
                "the Operation Dream Job lure of a test or PDF reader to install."
            ),
            guidance=(
                "Genuine interviews use standard video calls and browser-based tests. Do not install anything a "
                "recruiter sends; report it to your security team."
            ),
            sources=(DREAM_JOB, MESSAGE_ATTACHMENT),
            attack=("T1566.001", "T1204.002"),
        ),
        _installers,
    ),
    MailDetector(
        DetectorMeta(
            id="mail.encrypted_archive",
            title="A password-protected archive is attached",
            severity="medium",
            explanation=(
                "The archive's contents are encrypted, so mail filters and antivirus cannot look inside; the "
                "password usually comes in the same message."
            ),
            guidance="Do not open it with the password given. Send it to your IT security team to examine.",
            sources=(DREAM_JOB, MESSAGE_ATTACHMENT),
            attack=("T1566.001",),
        ),
        _encrypted,
    ),
    MailDetector(
        DetectorMeta(
            id="mail.mismatched_link",
            title="A link shows one site and goes to another",
            severity="medium",
            explanation=(
                "The visible text of a link names one site while its address leads elsewhere. Tortoiseshell "
                "used fake job portals and a spoofed US Department of Labor site."
            ),
            guidance=(
                "Do not follow it. Type the address of the organisation's real site yourself, and never sign "
                "in or upload a CV through a link from an unverified recruiter."
            ),
            sources=(TORTOISESHELL_PORTALS, MESSAGE_ATTACHMENT),
            attack=("T1566.002",),
        ),
        _mismatched,
    ),
    MailDetector(
        DetectorMeta(
            id="mail.raw_ip_or_lookalike_link",
            title="A link goes to a raw IP address or a look-alike name",
            severity="medium",
            explanation=(
                "A link's host is a bare IP address or an internationalised name (punycode or non-ASCII "
                "letters) that can imitate a familiar one. Genuine employers link to their own named sites."
            ),
            guidance="Do not follow it; reach the organisation through an address you already know.",
            sources=(TORTOISESHELL_PORTALS, MESSAGE_ATTACHMENT),
            attack=("T1566.002",),
        ),
        _raw_or_lookalike,
    ),
)


def mail_findings(msg: MailMessage) -> list[Finding]:
    """What the mail detectors saw in the message's attachments and links."""
    return [f for d in MAIL_DETECTORS for f in d.detect_mail(msg)]


@lru_cache(maxsize=1)
def mail_weights() -> Mapping[str, float]:
    """The fixed log-odds of each mail detector, validated: every detector has one, each with a sign >= 0."""
    where = "counterpitch/data/mail_weights.json"
    doc = json.loads((resources.files("counterpitch") / "data" / "mail_weights.json").read_text("utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("source"), str) or not doc["source"].strip():
        raise ValueError(f"{where}: needs a 'source' note saying where the numbers come from")
    raw = doc.get("weights")
    if not isinstance(raw, dict) or not all(isinstance(v, int | float) and v >= 0 for v in raw.values()):
        raise ValueError(f"{where}: 'weights' must map detector ids to numbers >= 0")
    ids = {d.meta.id for d in MAIL_DETECTORS}
    if set(raw) != ids:
        raise ValueError(f"{where}: weights must cover exactly {sorted(ids)}; got {sorted(raw)}")
    return MappingProxyType({str(k): float(v) for k, v in raw.items()})


def mail_scorer(scorer: Scorer) -> Scorer:
    """`scorer` with the mail weights added. A weight the scorer already has for the same id (fitted) wins."""
    return replace(scorer, weights={**mail_weights(), **scorer.weights})


def assess_mail_with_trail(engine: Engine, msg: MailMessage) -> tuple[Assessment, ScoreTrail]:
    """The engine's assessment of the approach, with the mail findings added before scoring."""
    found = engine.findings(msg.approach) + mail_findings(msg)
    # The wording model reads English only: in another language the lure rules weigh their priors (scoring/model).
    wording = language_of(msg.approach).code == "en"
    score, band, weighted, advice, trail = mail_scorer(engine.scorer).score(found, wording)
    assessment = Assessment(id=msg.approach.id, score=score, band=band, findings=tuple(weighted), advice=advice)
    return assessment, trail


def assess_mail(engine: Engine, msg: MailMessage) -> Assessment:
    return assess_mail_with_trail(engine, msg)[0]
