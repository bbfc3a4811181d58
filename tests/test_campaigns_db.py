"""Campaign linking on the database, SQLite and PostgreSQL: incremental linking, merges, summaries, the batch job.

Every person, firm, handle and message here is invented.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from counterpitch.campaigns.batch import link_batch
from counterpitch.campaigns.linking import HOT_SENDERS, Indicator
from counterpitch.campaigns.persist import campaign_summaries, link_report
from counterpitch.campaigns.relink import relink_all
from counterpitch.model import Approach
from counterpitch.store.tables import Campaign, LinkKey, LinkKeyStat, Report, User
from tests.service.databases import migrated_engine

T0 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
PG_URL = os.environ.get("COUNTERPITCH_TEST_PG_URL")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from migrated_engine(str(request.param), tmp_path_factory.mktemp("campaigns"), "cp_campaigns")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as s:
        s.execute(delete(LinkKey))
        s.execute(delete(LinkKeyStat))
        s.execute(delete(Report))
        s.execute(update(Campaign).values(merged_into=None))
        s.execute(delete(Campaign))
        s.execute(delete(User))
        s.add_all(User(id=i, name=f"staff{i}", role="reporter") for i in range(1, 41))
        s.commit()
        yield s
        s.rollback()


def approach(text_: str = "Hello, nice to connect.", **sender: Any) -> Approach:
    doc: dict[str, Any] = {"id": uuid.uuid4().hex, "text": text_}
    if sender:
        doc["sender"] = sender
    return Approach.model_validate(doc)


def store(session: Session, a: Approach, reporter: int, at: datetime, band: str = "low") -> int:
    row = Report(
        approach_id=a.id,
        reporter_id=reporter,
        reported_at=at,
        approach_json=json.dumps(a.to_json_dict()),
        assessment_json="{}",
        band=band,
        score=0.0,
        status="new",
    )
    session.add(row)
    session.flush()
    return row.id


def partition(session: Session) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for rid, cid in session.execute(select(Report.id, Report.campaign_id).where(Report.campaign_id.is_not(None))):
        groups.setdefault(cid, set()).add(rid)
    return {frozenset(g) for g in groups.values()}


def test_links_merges_and_summarises(session: Session) -> None:
    a = approach("Let's talk on WeChat: vantage_hr88", name="Amy Wen", company="Vantage Insight")
    b = approach("Telegram @harbour_desk please", name="Bo Lind", company="Skyway Partners")
    c = approach("Add me, WeChat: vantage_hr88", name="Cara Voss", headline="Director at Meridian")
    d = approach("Telegram @harbour_desk is best", name="Dee Park")
    e = approach("WeChat: vantage_hr88 or Telegram @harbour_desk", name="Eli Stone")
    ids = [store(session, x, reporter=i + 1, at=T0 + timedelta(days=i)) for i, x in enumerate([a, b, c, d, e])]
    got = [link_report(session, rid) for rid in ids[:4]]
    assert got[0] is None and got[1] is None
    assert got[2] is not None and got[3] is not None and got[2] != got[3]
    merged = link_report(session, ids[4])
    assert merged == got[2]  # equal sizes: the older campaign survives
    assert session.get(Campaign, got[3]).merged_into == merged  # type: ignore[union-attr]
    assert partition(session) == {frozenset(ids)}
    [summary] = campaign_summaries(session)
    api = summary.to_api()
    assert set(api) == {"id", "reports", "targets", "first_seen", "last_seen", "indicators", "report_ids"}
    assert (api["id"], api["reports"], api["targets"], api["report_ids"]) == (merged, 5, 5, ids)
    assert datetime.fromisoformat(api["first_seen"]) == T0
    assert datetime.fromisoformat(api["last_seen"]) == T0 + timedelta(days=4)
    assert {"kind": "wechat", "value": "vantage_hr88"} in api["indicators"]
    assert {"kind": "telegram", "value": "harbour_desk"} in api["indicators"]
    assert {p.name for p in summary.personas} == {"Amy Wen", "Bo Lind", "Cara Voss", "Dee Park", "Eli Stone"}
    assert summary.bands == {"low": 5}
    assert campaign_summaries(session, ids=[got[3]]) == []  # merged away


def test_unknown_report_is_an_error(session: Session) -> None:
    with pytest.raises(ValueError, match="report_id"):
        link_report(session, 987654)


def test_hot_firm_stops_linking(session: Session) -> None:
    stems, ends = ("Bar", "Cor", "Dun", "Fel", "Gar", "Hol"), ("ton", "mick", "vass", "rup", "ley", "quist")
    names = [f"Alex {a}{b}" for a in stems for b in ends][: HOT_SENDERS + 5]
    ids = [
        store(session, approach(name=n, company="Brightline Staffing"), reporter=1 + i % 40, at=T0)
        for i, n in enumerate(names)
    ]
    for rid in ids:
        link_report(session, rid)
    assert partition(session) == {frozenset(ids[:HOT_SENDERS])}
    stat = session.get(LinkKeyStat, "company:brightlinestaffing")
    assert stat is not None and stat.hot and len(json.loads(stat.senders)) == HOT_SENDERS + 1


# --- batch equals incremental ----------------------------------------------------------------------------------

FIRMS = ["Vantage Insight", "Harbour Labs", "Google", "Self-employed", "Northgate Advisory", "Meridian Think"] + [
    f"Firm {chr(65 + i)}{chr(75 + i)} Analytics" for i in range(14)
]
FIRST = ["Alex", "Sam", "Wei", "Jo", "Kim", "Lee", "Ana", "Ole", "Rui", "Ines"]
LAST = ["Stone", "Moss", "Park", "Lind", "Voss", "Wen", "Chen", "Smith", "Smyth", "Berg", "Costa", "Haas", "Ito"]
WORDS = "energy policy report market research paid consultancy project team role industry trends fee call".split()
TEMPLATES = [
    "Dear {n}, we are a research consultancy and would value a paid report on industry trends from someone with "
    "your experience; the fee is generous and the work flexible. Could we speak next week by phone?",
    "Hello {n}, I recruit for a client building a new team in energy policy and thought of you at once. The role "
    "is senior, remote and well paid; may I send details to your personal e-mail address?",
]


def invented(rnd: random.Random) -> Approach:
    """One invented approach: persona-like fields and contacts drawn from small pools, so some collide."""
    kind = rnd.random()
    sender: dict[str, Any] = {"name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}", "company": rnd.choice(FIRMS)}
    if rnd.random() < 0.3:
        sender["profile_url"] = f"linkedin.com/in/person-{rnd.randint(1, 60)}"
    if kind < 0.15:
        body = rnd.choice(TEMPLATES).format(n=rnd.choice(FIRST))
    elif kind < 0.3:
        body = f"Add me on WeChat: pool_{rnd.randint(1, 30)}x please"
    elif kind < 0.35:
        body = f"Mail me at desk{rnd.randint(1, 3)}@northgate-advisory.example"
    else:
        body = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 30)))
    return approach(body, **sender)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batch_equals_incremental(session: Session, seed: int) -> None:
    rnd = random.Random(seed)
    data = []
    for i in range(80):
        a, reporter, at = invented(rnd), rnd.randint(1, 40), T0 + timedelta(hours=i)
        data.append((store(session, a, reporter, at), a, at, reporter))
    for rid, *_ in data:
        link_report(session, rid)
    found = link_batch(data)
    assert partition(session) == {frozenset(c.report_ids) for c in found}
    assert len(found) >= 3
    summaries = {s.report_ids: s for s in campaign_summaries(session)}
    for c in found:
        s = summaries[c.report_ids]
        assert (s.targets, s.indicators) == (c.targets, c.indicators)
        assert (s.first_seen, s.last_seen) == (c.first_seen, c.last_seen)


def snapshot(session: Session) -> tuple[Any, ...]:
    keys = {tuple(r) for r in session.execute(select(LinkKey.key, LinkKey.report_id, LinkKey.kind, LinkKey.label))}
    stats = {
        (k, tuple(json.loads(s)), h)
        for k, s, h in session.execute(select(LinkKeyStat.key, LinkKeyStat.senders, LinkKeyStat.hot))
    }
    signatures = {tuple(r) for r in session.execute(select(Report.id, Report.signature))}
    return keys, stats, signatures, partition(session)


def test_relink_rebuilds_what_incremental_built(session: Session) -> None:
    rnd = random.Random(7)
    data = []
    for i in range(80):
        a, reporter, at = invented(rnd), rnd.randint(1, 40), T0 + timedelta(hours=i)
        data.append((store(session, a, reporter, at), a, at, reporter))
    for rid, *_ in data:
        link_report(session, rid)
    before = snapshot(session)
    live = {s.id for s in campaign_summaries(session)}
    done = relink_all(session, workers=2)  # features in forked processes, as a large relink would
    assert done["reports"] == 80 and done["campaigns"] == len(live)
    assert snapshot(session) == before
    assert {s.id for s in campaign_summaries(session)} == live
    # linking carries on from the rebuilt index as it would have from the incremental one
    for i in range(20):
        a, at = invented(rnd), T0 + timedelta(days=10, hours=i)
        data.append((store(session, a, 5, at), a, at, 5))
        link_report(session, data[-1][0])
    assert partition(session) == {frozenset(c.report_ids) for c in link_batch(data)}


def test_summary_indicators_are_shared_only(session: Session) -> None:
    a = approach("WeChat: only_mine_1", name="Ann Lee", company="Vantage Insight")
    b = approach("Telegram @someone_else", name="Ann Lea", company="Vantage Insight")
    for i, x in enumerate([a, b]):
        link_report(session, store(session, x, i + 1, T0))
    [s] = campaign_summaries(session)
    kinds = {i.kind for i in s.indicators}
    assert kinds == {"company", "name"}
    assert Indicator("company", "Vantage Insight") in s.indicators


def test_parallel_linking_sees_the_other_report(engine: Engine, session: Session) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    ids = [
        store(session, approach("WeChat: race_handle_7", name=n), reporter=i + 1, at=T0)
        for i, n in enumerate(["Ann Lee", "Bo Lind"])
    ]
    session.commit()
    ready = threading.Barrier(2)
    errors: list[BaseException] = []

    def link(rid: int) -> None:
        try:
            with Session(engine) as s:
                ready.wait()
                link_report(s, rid)
                time.sleep(0.2)  # hold the transaction open while the other one tries
                s.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=link, args=(rid,)) for rid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    session.expire_all()
    assert partition(session) == {frozenset(ids)}
