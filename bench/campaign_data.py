"""Invented reports for the campaign benchmark: mostly benign singletons, some campaigns. All of it is invented.

Benign approaches are written from a bank of sentences with slots (names, firms, topics, numbers), 3 to 6
sentences each, from senders at a long tail of invented firms and at a few very large employers. Campaigns are
personas (1 to 4 per campaign, sharing a messenger id and a cover firm) writing to many targets from one
template with small variations: the target's name and employer, a few words swapped, sometimes an extra line.
One mass campaign holds a tenth of all reports, so one handle is shared by 100,000 reports at 1M.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FIRST = (
    "Alex Sam Wei Jo Kim Lee Ana Ole Rui Ines Maya Omar Lena Ivan Nora Tariq Yuki Priya Lars Elif Chidi Sofia Mateo "
    "Hana Jonas Amara Felix Leila Diego Mina Tom Rosa Pavel Aiko Kofi Zara Emil Lucia Ravi Greta"
).split()
LAST_A = "Ab Bar Cor Dal Ell Fen Gar Hol Ing Jar Kel Lor Mar Nor Ost Per Quin Ros Sal Tor Ul Var Wes Yor Zel".split()
LAST_B = "ton mick vass rup ley quist berg dorf ford man sen son stone well wood ard ini ova ez ic".split()
FIRM_A = (
    "North South East West Blue Red Silver Iron Oak Cedar River Harbour Summit Vertex Nova Prime Apex Delta".split()
)
FIRM_B = "Analytics Partners Systems Labs Capital Dynamics Networks Solutions Ventures Advisory Robotics Energy".split()
BIG = ["Google", "Microsoft", "Amazon", "Deloitte", "Accenture", "IBM", "Hays", "Randstad", "Siemens", "BAE Systems"]
TOPICS = (
    "cloud security|supply chain|battery chemistry|satellite imaging|data governance|wind energy|payments|"
    "quantum sensing|hospital logistics|semiconductor packaging|retail analytics|public procurement"
).split("|")
ROLES = "engineer|analyst|product manager|programme lead|researcher|architect|consultant|director".split("|")
SENTENCES = [
    "I came across your profile while looking for people with experience in {topic}.",
    "We are hiring a senior {role} for our {topic} team in a hybrid setup.",
    "Our client, a growing firm in {topic}, is building out its {role} bench.",
    "Would you be open to a quick call on {day} to hear more?",
    "I noticed we both worked with {first} {last} a few years ago.",
    "Congratulations on your recent move, it looks like an exciting role.",
    "We run a meetup on {topic} every month and would love to have you speak.",
    "The salary band is {n}k plus bonus, and the team is about {m} people.",
    "Happy to share the job description if it sounds interesting.",
    "Our conference on {topic} takes place in {month}; early registration closes soon.",
    "I am building a startup in {topic} and looking for advisers with your background.",
    "Could you recommend anyone in your network for a {role} position?",
    "Thanks for accepting my invitation, {first}.",
    "Let me know if {day} or {day2} suits you better.",
    "We recently raised a series {letter} round and are scaling the {topic} group.",
    "Our platform helps teams in {topic} cut costs by {m} percent.",
    "I would value your opinion on a short survey about {topic}, it takes {m} minutes.",
    "Best regards and have a good week.",
    "I lead partnerships at {firm} and we are exploring work in {topic}.",
    "The position reports to the head of {topic} and offers {m} days of remote work.",
]
VOCAB = (
    "team project data model plan budget review quarter growth client market product launch design test build "
    "process result report meeting schedule customer partner service platform system network cloud risk audit "
    "strategy pilot rollout training hiring office remote travel offer contract deadline milestone feedback "
    "roadmap research analysis forecast revenue cost margin pricing sales support quality safety compliance "
    "vendor supplier logistics inventory factory sensor battery grid solar wind chip board robot drone "
    "software hardware security privacy identity access portal dashboard metric goal target benchmark"
).split()
DAYS = "Monday Tuesday Wednesday Thursday Friday".split()
MONTHS = "January February March April May June July August September October November December".split()
LURES = [
    "Dear {first}, I lead a research consultancy that advises clients on {topic} policy.",
    "Hello {first}, I am a headhunter for a well funded client expanding in {topic}.",
    "Hi {first}, our think tank is preparing a closed door roundtable on {topic}.",
    "Your experience at {org} caught my eye and we would value a short paid report on current industry trends.",
    "They want someone with your background at {org} for a senior advisory role, paid per project.",
    "We would like to hear from practitioners such as yourself at {org} before the next session.",
    "The fee is generous and the work is flexible, and everything stays confidential at this stage.",
    "Travel, hotel and an honorarium are covered by our sponsor for the whole visit.",
    "Many of our experts started with one short paper and now write for us every quarter.",
    "Our client prefers to keep its name private until we have met in person.",
    "Could we discuss it by phone next week, before the brief is shared more widely?",
    "Please reach me on WeChat: {handle} so we can arrange a short call first.",
    "Add me on Telegram @{handle} and I will send the details straight away.",
    "My WhatsApp number is easier than this site, or WeChat: {handle} works too.",
]
SWAPS = {"short": "brief", "generous": "attractive", "client": "partner", "senior": "leading", "paid": "remunerated"}


@dataclass(frozen=True)
class Invented:
    report_id: int
    approach_json: str
    reported_at: datetime
    reporter: int
    #: The planted campaign, or None for a benign report.
    campaign: int | None


def _fill(rnd: random.Random, s: str) -> str:
    return s.format(
        topic=rnd.choice(TOPICS),
        role=rnd.choice(ROLES),
        day=rnd.choice(DAYS),
        day2=rnd.choice(DAYS),
        first=rnd.choice(FIRST),
        last=_last(rnd),
        n=rnd.randint(60, 180),
        m=rnd.randint(3, 40),
        month=rnd.choice(MONTHS),
        letter=rnd.choice("ABC"),
        firm=_firm(rnd),
    )


def _last(rnd: random.Random) -> str:
    return rnd.choice(LAST_A) + rnd.choice(("", "a", "el", "in", "or")) + rnd.choice(LAST_B)


def _free(rnd: random.Random) -> str:
    """A sentence of its own: words drawn at random, so no two benign messages are copies of each other."""
    words = [rnd.choice(VOCAB) for _ in range(rnd.randint(8, 14))]
    return " ".join(words).capitalize() + "."


def _firm(rnd: random.Random) -> str:
    return f"{rnd.choice(FIRM_A)} {rnd.choice(FIRM_B)} {rnd.randint(1, 100_000)}"


def benign(rnd: random.Random, i: int) -> dict[str, object]:
    sentences = rnd.sample(SENTENCES, rnd.randint(2, 4))
    first, last = rnd.choice(FIRST), _last(rnd)
    firm = rnd.choice(BIG) if rnd.random() < 0.2 else _firm(rnd)
    sender: dict[str, object] = {
        "name": f"{first} {last}",
        "company": firm,
        "headline": f"{rnd.choice(ROLES)} at {firm}",
    }
    if rnd.random() < 0.5:
        sender["profile_url"] = f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i}"
    if rnd.random() < 0.1:
        sender["email"] = f"{first.lower()}.{last.lower()}{i}@{firm.lower().replace(' ', '-')}.example"
    return {
        "id": f"b{i}",
        "channel": "linkedin_message",
        "sender": sender,
        "text": " ".join([_fill(rnd, s) for s in sentences] + [_free(rnd) for _ in range(rnd.randint(1, 3))]),
    }


def template(rnd: random.Random) -> str:
    """A campaign's own message: an opening, three body lines and a contact line drawn from the lures."""
    return " ".join([rnd.choice(LURES[:3]), *rnd.sample(LURES[3:11], 3), rnd.choice(LURES[11:])])


def campaign_text(rnd: random.Random, template: str, handle: str) -> str:
    text = template.format(first=rnd.choice(FIRST), org=_firm(rnd), topic=rnd.choice(TOPICS), handle=handle)
    for word in rnd.sample(sorted(SWAPS), rnd.randint(0, 2)):
        text = text.replace(word, SWAPS[word], 1)
    return text + (" Looking forward to hearing from you." if rnd.random() < 0.3 else "")


@dataclass(frozen=True)
class Persona:
    name: str
    firm: str
    url: str


def campaign(
    rnd: random.Random, c: int, i: int, personas: list[Persona], handle: str, template: str
) -> dict[str, object]:
    p = rnd.choice(personas)
    sender = {"name": p.name, "company": p.firm, "headline": f"Senior partner at {p.firm}", "profile_url": p.url}
    return {
        "id": f"c{c}-{i}",
        "channel": "linkedin_inmail",
        "sender": sender,
        "text": campaign_text(rnd, template, handle),
    }


def reports(n: int, seed: int = 1, campaign_share: float = 0.02, mass_share: float = 0.1) -> Iterator[Invented]:
    """`n` reports in order of id: benign, campaign members (2% in campaigns of 5-60) and one mass campaign."""
    rnd = random.Random(seed)
    planted: list[tuple[list[Persona], str, str]] = []
    for c in range(max(1, int(n * campaign_share / 30)) + 1):
        firm = f"{rnd.choice(FIRM_A)} {rnd.choice(FIRM_B)} Institute {c}"
        personas = [
            Persona(f"{rnd.choice(FIRST)} {_last(rnd)}", firm, f"linkedin.com/in/persona-{c}-{k}")
            for k in range(rnd.randint(1, 4))
        ]
        planted.append((personas, f"desk_{c}_{rnd.randint(100, 999)}", template(rnd)))
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        roll = rnd.random()
        if roll < mass_share:
            c = 0
        elif roll < mass_share + campaign_share:
            c = rnd.randint(1, len(planted) - 1)
        else:
            c = -1
        doc = benign(rnd, i) if c < 0 else campaign(rnd, c, i, *planted[c])
        at = t0 + timedelta(seconds=i * 30)
        yield Invented(i, json.dumps(doc), at, rnd.randint(1, 5000), None if c < 0 else c)
