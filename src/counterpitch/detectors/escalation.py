"""Indicators over a whole conversation (family `lure`): how the asks change from turn to turn.

Cultivation is a sequence: a harmless paid task, then more money, then something not public. One message can
look ordinary; the direction of the thread is what gives it away. Also: a recipient who hesitates or declines
and a sender who pushes on regardless.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import re2

from counterpitch.detectors.base import Detector, DetectorMeta
from counterpitch.detectors.context import Context
from counterpitch.model import Approach, Evidence, Finding, Profile
from counterpitch.text import clean

_DIGIT = re.compile(r"\d")
# Case spelled out rather than re.IGNORECASE: Python's re is several times slower on a case-folded alternation.
_AMOUNT = re.compile(
    r"(?:[£$€¥]|\b(?:[Uu][Ss][Dd]|[Gg][Bb][Pp]|[Ee][Uu][Rr]|[Aa][Uu][Dd]|[Cc][Aa][Dd]|[Nn][Zz][Dd]|[Ss][Gg][Dd]|"
    r"[Hh][Kk][Dd]|[Rr][Mm][Bb]|[Cc][Nn][Yy]|[Cc][Hh][Ff])\s?)(\d[\d,]*(?:\.\d+)?)\s?([kK]\b)?"
)
_PRIVATE = re2.compile(
    r"(?i)\b(?:off the record|privately|internal|non-?public|unpublished|before (?:it is |they are |they.re )?"
    r"(?:published|public|announced|released)|confidential|restricted|between us|delete|nothing links|"
    r"no paperwork|don.t (?:tell|mention)|no need to (?:involve|tell|declare|register))",
)
#: "A confidential call", "in confidence" about the role itself: the discretion of every executive search, not a
#: move to secret matters.
_DISCREET_SEARCH = re.compile(
    r"\s+(?:call|chat|conversation|discussion|basis|search|process|role|opportunity|approach|enquiry|inquiry|"
    r"brief|mandate|appointment|assignment|vacancy|position)\b",
    re.IGNORECASE,
)
_REFUSAL = re2.compile(
    r"(?i)\b(?:can.t|cannot|won.t|unable|not able|shouldn.t|not comfortable|no thanks|decline|have to (?:clear|check|"
    r"declare|register|ask)|need to (?:clear|check|declare|register|ask)|gifts? register|not allowed|not permitted|"
    r"against (?:the )?rules|too generous)\b",
)


def _private(text: str) -> tuple[int, int] | None:
    """Where a turn first moves to non-public or secret matters, if it does."""
    for m in _PRIVATE.finditer(text):
        if m.group(0).lower() == "confidential" and _DISCREET_SEARCH.match(text, m.end()):
            continue
        return m.start(), m.end()
    return None


def _amounts(text: str) -> list[float]:
    if not _DIGIT.search(text):
        return []
    out = []
    for m in _AMOUNT.finditer(text):
        value = float(m.group(1).replace(",", ""))
        out.append(value * 1000 if m.group(2) else value)
    return out


def _sender_turns(a: Approach) -> list[tuple[str, str]]:
    """The sender's messages in order: the thread's sender turns, then the message itself (the latest)."""
    turns = [(f"thread[{i}].text", t.text) for i, t in enumerate(a.thread) if t.from_ == "sender"]
    return [*turns, ("text", a.text)]


@dataclass(frozen=True)
class Escalation(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Approach) or not subject.thread:
            return
        turns = _sender_turns(subject)
        if len(turns) < 2:
            return
        evidence: list[Evidence] = []
        reasons: list[str] = []
        money = [(f, max(v)) for f, t in turns if (v := _amounts(t))]
        if len(money) >= 2 and money[-1][1] > money[0][1] * 1.5:
            reasons.append(f"the money offered grew from {money[0][1]:,.0f} to {money[-1][1]:,.0f}")
            evidence += [Evidence(field=money[0][0]), Evidence(field=money[-1][0])]
        private = [(i, at) for i, (_, t) in enumerate(turns) if (at := _private(clean(t))) is not None]
        if private and private[0][0] > 0:
            i, (start, end) = private[0]
            field, text = turns[i]
            reasons.append("later messages move to non-public or secret matters")
            evidence.append(Evidence(field=field, start=start, end=end, quote=text[start:end]))
        if reasons:
            # One sign of escalation is worth a look; both together (more money and non-public matters) are
            # the pattern of the Mallory case, and only then is the finding of high severity.
            yield self.finding(
                evidence,
                strength=min(1.0, 0.6 + 0.4 * (len(reasons) - 1)),
                explanation="Over the conversation " + " and ".join(reasons) + ". " + self.meta.explanation,
                severity="high" if len(reasons) >= 2 else "medium",
            )


@dataclass(frozen=True)
class PressureAfterRefusal(Detector):
    def detect(self, subject: Approach | Profile, ctx: Context) -> Iterator[Finding]:
        if not isinstance(subject, Approach) or not subject.thread:
            return
        messages = [(f"thread[{i}].text", t.from_, t.text) for i, t in enumerate(subject.thread)]
        messages.append(("text", "sender", subject.text))
        for i, (field, who, text) in enumerate(messages):
            if who != "recipient":
                continue
            m = _REFUSAL.search(clean(text))
            if m and any(w == "sender" for _, w, _ in messages[i + 1 :]):
                ev = Evidence(field=field, start=m.start(), end=m.end(), quote=text[m.start() : m.end()])
                yield self.finding([ev])
                return


_SOURCES = (
    "tradecraft.md, Escalation over a thread: asks move from public analysis to non-public material; payments "
    "grow; secrecy is asked for",
    "Kevin Mallory (US, convicted 2018): paid 'research' escalating to documents",
)

DETECTORS: list[Detector] = [
    Escalation(
        DetectorMeta(
            id="lure.escalation",
            title="The asks escalate over the conversation",
            severity="high",
            explanation="Cultivation starts with harmless, paid, public tasks and moves step by step to larger "
            "payments and non-public material.",
            guidance="Look at where the conversation is heading, not only at the latest message. Report it.",
            sources=_SOURCES,
            attack=("T1566.003",),
        )
    ),
    PressureAfterRefusal(
        DetectorMeta(
            id="lure.pressure_after_refusal",
            title="The sender pressed on after you hesitated or declined",
            severity="medium",
            explanation="You raised a rule, a register or said no, and the sender carried on or waved it away. "
            "Genuine contacts respect that.",
            guidance="Stop the conversation and report it; keep the messages.",
            sources=_SOURCES,
            attack=("T1566.003",),
        )
    ),
]
