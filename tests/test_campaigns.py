"""Campaign linking without a database: indicators, MinHash against datasketch, batch linking.

Every person, firm, handle, number and message here is invented.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.campaigns import minhash
from counterpitch.campaigns.batch import link_batch
from counterpitch.campaigns.indicators import extract, skeleton
from counterpitch.campaigns.linking import HOT_SENDERS, TEXT_LABEL, Indicator
from counterpitch.model import Approach

T0 = datetime(2026, 3, 1, tzinfo=UTC)
TEMPLATE = (
    "Dear {name}, I lead a small research consultancy advising clients on energy and technology policy. "
    "Your experience at {org} caught my eye and we would value a short paid report on current industry trends. "
    "The fee is generous and the work is flexible, could we discuss it by phone next week?"
)


def approach(text: str = "Hello, nice to connect.", **sender: Any) -> Approach:
    doc: dict[str, Any] = {"id": "x", "text": text}
    recipient = sender.pop("recipient", None)
    if sender:
        doc["sender"] = sender
    if recipient:
        doc["recipient"] = recipient
    return Approach.model_validate(doc)


def keys(a: Approach) -> dict[str, str]:
    return {k.key: k.kind for k in extract(a).keys}


# --- indicator truth table -------------------------------------------------------------------------------------

URL = "url:linkedin.com/in/jane-doe-42"
ADDR = "jane.doe@northgate-advisory.example"
POSITIVES = [
    (
        approach(profile_url="https://uk.linkedin.com/in/Jane-Doe-42/?trk=x"),
        "url:linkedin.com/in/jane-doe-42",
        "profile_url",
    ),
    (approach(profile_url="linkedin.com/in/jane-doe-42"), URL, "profile_url"),
    (approach("Add me on WeChat: jdoe_8821 to talk"), "handle:jdoe_8821", "wechat"),
    (approach("my WeChat ID: JDoe_8821"), "handle:jdoe_8821", "wechat"),
    (approach("My WeChat ID is JDoe_8821, add me there"), "handle:jdoe_8821", "wechat"),
    (approach("Easier on WeChat jdoe_8821 than here"), "handle:jdoe_8821", "wechat"),
    (approach("Telegram @quiet_fox77 is easier"), "handle:quiet_fox77", "telegram"),
    (approach("write to t.me/quiet_fox77 please"), "handle:quiet_fox77", "telegram"),
    (approach("WhatsApp +44 7700 900123 any time"), "phone:700900123", "whatsapp"),
    (approach("Call me on +44 (0)7700 900123 tomorrow"), "phone:700900123", "phone"),
    (approach("Signal: +49 151 23456789"), "phone:123456789", "signal"),
    (
        approach("Reply to jane.doe@northgate-advisory.example please"),
        "email:jane.doe@northgate-advisory.example",
        "email",
    ),
    (approach("Reply to jane.doe@northgate-advisory.example"), "domain:northgate-advisory.example", "email_domain"),
    (approach(email="Jane.Doe@Northgate-Advisory.example"), f"email:{ADDR}", "email"),
    (approach(email="jd1990@gmail.com"), "email:jd1990@gmail.com", "email"),
    (approach(about="Reach me on WhatsApp: +1 202 555 0143"), "phone:025550143", "whatsapp"),
    (approach(company="Northgate Advisory Ltd"), "company:northgateadvisory", "company"),
    (approach(headline="Partner at Northgate Advisory"), "company:northgateadvisory", "company"),
    (approach(name="Dr. Jane Doe", company="Google"), f"name:google|{skeleton('doe jane')}", "name"),
]


@pytest.mark.parametrize(("a", "key", "kind"), POSITIVES)
def test_indicator_found(a: Approach, key: str, kind: str) -> None:
    assert keys(a).get(key) == kind


def test_profile_url_forms_agree() -> None:
    a = keys(approach(profile_url="https://www.linkedin.com/in/Jane-Doe-42/en"))
    b = keys(approach(profile_url="http://m.linkedin.com/in/jane-doe-42?utm=1"))
    assert "url:linkedin.com/in/jane-doe-42" in a.keys() & b.keys()


NEGATIVES = [
    # location and nationality are never indicators
    (approach(location="Beijing, China", name="Li Wei"), ("location", "country", "china", "beijing")),
    (approach("As a fellow Chinese engineer in Shanghai, I admire your work."), ("china", "shanghai")),
    # public webmail is not a firm
    (approach(email="jd1990@gmail.com"), ("domain:",)),
    # not an employer at all
    (approach(name="Jane Doe", company="Self-employed"), ("company:", "name:")),
    # a big employer alone links nothing
    (approach(company="Google LLC"), ("company:",)),
    (approach(company="Hays Recruitment"), ("company:hays",)),
    # a one-word name does not make a name key
    (approach(name="Jane", company="Northgate"), ("name:",)),
    # messenger mentioned without an id, years and reference numbers are not phones
    (approach("Happy to move to WhatsApp or WeChat if you prefer."), ("handle:", "phone:")),
    (approach("WeChat is fine too, or WhatsApp on 2 May."), ("handle:", "phone:")),
    (approach("I worked there 2015-2019 and 2019 - 2023 on grant ref 2019 1234 5678."), ("phone:",)),
]


@pytest.mark.parametrize(("a", "absent"), NEGATIVES)
def test_indicator_not_found(a: Approach, absent: tuple[str, ...]) -> None:
    found = " ".join(keys(a))
    assert not [x for x in absent if x in found], found


def test_recipient_own_address_is_not_an_indicator() -> None:
    a = approach("I found you at sam.roe@corp.example", name="Jane Doe", recipient={"email": "Sam.Roe@corp.example"})
    assert not [k for k in keys(a) if "corp.example" in k]


def test_skeleton_joins_spelling_variants() -> None:
    assert skeleton("jon smyth") == skeleton("john smith")
    assert skeleton("amanda qiu") == skeleton("amanda qiou")
    assert skeleton("jane doe") != skeleton("jane dunn")


def test_keys_are_bounded() -> None:
    a = approach(profile_url="https://www.linkedin.com/in/" + "a" * 400)
    assert all(len(k.key) <= 160 for k in extract(a).keys)


# --- MinHash: datasketch's numbers, faster ---------------------------------------------------------------------


def test_signature_and_bands_are_datasketchs() -> None:
    words = minhash.words(TEMPLATE.format(name="Sam", org="Acme"))
    shingles = minhash.shingles(words)
    ours = minhash.signature(words)
    theirs = MinHash(num_perm=minhash.NUM_PERM, hashfunc=int)
    theirs.update_batch(shingles.tolist())
    assert ours is not None
    assert np.array_equal(ours, theirs.hashvalues)
    lsh = MinHashLSH(num_perm=minhash.NUM_PERM, params=(minhash.BANDS, minhash.ROWS))
    lsh.insert("a", theirs)
    stored = {bytes(k).hex() for table in lsh.hashtables for k in table}
    assert stored == {k.rsplit(":", 1)[1] for k in minhash.band_keys(ours)}


def test_bulk_signatures_equal_one_at_a_time() -> None:
    texts = [TEMPLATE.format(name=n, org=o) for n, o in [("Sam", "Acme"), ("Kim", "Borealis"), ("Lee", "Cobalt")]]
    sets = [minhash.shingles(minhash.words(t)) for t in texts]
    together = minhash.signatures(sets)
    for row, s in zip(together, sets, strict=True):
        assert np.array_equal(row, minhash.signatures([s])[0])


def test_near_duplicate_passes_and_topic_alike_fails() -> None:
    a = minhash.signature(minhash.words(TEMPLATE.format(name="Sam", org="Acme")))
    b = minhash.signature(
        minhash.words(TEMPLATE.format(name="Kim Lo", org="Borealis Grid").replace("generous", "good"))
    )
    other = (
        "Hi, I run a consultancy on energy and technology policy and saw your profile. We are hiring analysts for "
        "industry trend reports; the pay is competitive and hours flexible. Are you open to a call next week?"
    )
    c = minhash.signature(minhash.words(other))
    assert a is not None and b is not None and c is not None
    assert minhash.similarity(a, b) >= minhash.THRESHOLD
    assert minhash.similarity(a, c) < minhash.THRESHOLD


def test_short_text_has_no_signature() -> None:
    assert minhash.signature(minhash.words("I'd like to add you to my professional network.")) is None


# --- batch linking ---------------------------------------------------------------------------------------------


def items(approaches: list[Approach], reporters: list[int] | None = None) -> list[tuple[int, Approach, datetime, int]]:
    return [
        (i + 1, a, T0 + timedelta(days=i), (reporters or list(range(len(approaches))))[i])
        for i, a in enumerate(approaches)
    ]


def groups(found: list[Any]) -> list[tuple[int, ...]]:
    return [c.report_ids for c in found]


def test_personas_sharing_a_handle_are_one_campaign() -> None:
    found = link_batch(
        items(
            [
                approach("Let's talk on WeChat: northgate_hr1", name="Amy Wen", company="Northgate"),
                approach("Hello there", name="Bo Lind", company="Skyway Partners"),
                approach("Add me, WeChat ID: NorthGate_HR1", name="Cara Voss", company="Meridian Think"),
            ]
        )
    )
    assert groups(found) == [(1, 3)]
    assert Indicator("wechat", "northgate_hr1") in found[0].indicators
    assert found[0].targets == 2


def test_fuzzy_name_at_same_firm_links_and_namesakes_do_not() -> None:
    found = link_batch(
        items(
            [
                approach(name="Jonathan Smith", company="Google"),
                approach(name="Jonathan Smyth", company="Google LLC"),
                approach(name="Jonathan Brown", company="Google"),
                approach(name="Jonathan Smith", company="Amazon"),
            ]
        )
    )
    assert groups(found) == [(1, 2)]


def test_near_identical_text_links_and_similar_topic_does_not() -> None:
    texts = [
        TEMPLATE.format(name="Sam", org="Acme"),
        TEMPLATE.format(name="Kim", org="Borealis").replace("next week", "on Friday"),
        "Dear Lee, we are a consultancy on energy and technology policy hiring analysts to write paid reports on "
        "industry trends. The pay is good and hours flexible. Could we discuss it next week by phone?",
    ]
    found = link_batch(items([approach(t, name=n) for t, n in zip(texts, ["A B", "C D", "E F"], strict=True)]))
    assert groups(found) == [(1, 2)]
    assert found[0].indicators == (Indicator("text", TEXT_LABEL),)


def test_same_reporter_same_sender_is_one_target() -> None:
    a = approach("WhatsApp me: +44 7700 900777", name="Dee Park")
    found = link_batch(items([a, a, a], reporters=[7, 7, 8]))
    assert found[0].report_ids == (1, 2, 3)
    assert found[0].targets == 2


def test_hot_firm_stops_linking_after_many_senders() -> None:
    surnames = [
        a + b
        for a in ("Bar", "Cor", "Dun", "Fel", "Gar", "Hol")
        for b in ("ton", "mick", "vass", "rup", "ley", "quist")
    ]
    people = [approach(name=f"Alex {s}", company="Brightline Staffing") for s in surnames[: HOT_SENDERS + 10]]
    found = link_batch(items(people))
    assert groups(found) == [tuple(range(1, HOT_SENDERS + 1))]


def test_nothing_links_on_location_or_common_first_name() -> None:
    found = link_batch(
        items(
            [
                approach(name="Wei Zhang", location="Shanghai", company="Google"),
                approach(name="Wei Chen", location="Shanghai", company="Google"),
                approach(name="Wei Liu", location="Shanghai", headline="Engineer at Microsoft"),
            ]
        )
    )
    assert found == []


# Invented pool the property tests draw from: a few personas and handles that recur, benign fillers that do not.
POOL = [
    approach("WeChat: pool_handle1", name="Ann Lee", company="Vantage Insight"),
    approach("Telegram @pool_handle2", name="Ann Lea", company="Vantage Insight"),
    approach("Hello", name="Bob Kay", company="Google", profile_url="linkedin.com/in/bob-kay-1"),
    approach("Hi", name="Robert Kay", profile_url="https://www.linkedin.com/in/Bob-Kay-1/"),
    approach(TEMPLATE.format(name="X", org="Y"), name="Cy Dunn"),
    approach(TEMPLATE.format(name="Z", org="Q"), name="Di Ross", email="di@pool-domain.example"),
    approach("Reply to me: x@pool-domain.example or WeChat: pool_handle1"),
    approach("Nice to connect", name="Eve Moss", company="Harbour Labs"),
    approach("Nice to meet you", name="Finn Oak", company="Harbour Labs"),
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(POOL) - 1), min_size=2, max_size=25), st.randoms(use_true_random=False))
def test_batch_result_does_not_depend_on_input_order(picks: list[int], rnd: random.Random) -> None:
    data = items([POOL[p] for p in picks])
    shuffled = data[:]
    rnd.shuffle(shuffled)
    assert link_batch(data) == link_batch(shuffled)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, len(POOL) - 1), min_size=2, max_size=20))
def test_reports_of_one_identity_always_share_a_campaign(picks: list[int]) -> None:
    found = link_batch(items([POOL[p] for p in picks]))
    campaign_of = {r: n for n, c in enumerate(found) for r in c.report_ids}
    first = {}
    for i, p in enumerate(picks, start=1):
        if p in (0, 6) and i in campaign_of:  # both carry WeChat pool_handle1
            first.setdefault("h", campaign_of[i])
            assert campaign_of[i] == first["h"]
    handle_reports = [i for i, p in enumerate(picks, start=1) if p in (0, 6)]
    assert len(handle_reports) < 2 or all(i in campaign_of for i in handle_reports)


# --- the command -----------------------------------------------------------------------------------------------


def test_cli_link_lists_campaigns(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from counterpitch.cli import app

    lines = [
        {"id": "a1", "text": "WeChat: cli_handle_9 please", "sender": {"name": "Ann Lee"}},
        {"id": "a2", "text": "Hello", "sender": {"name": "Bo Lind", "company": "Skyway Partners"}},
        {"id": "a3", "text": "Add me, WeChat: CLI_handle_9", "sender": {"name": "<b>Cy</b> Dunn"}},
    ]
    path = tmp_path / "approaches.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["campaigns", "link", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["approaches"] == 3
    [campaign] = doc["campaigns"]
    assert campaign["approach_ids"] == ["a1", "a3"]
    assert {"kind": "wechat", "value": "cli_handle_9"} in campaign["indicators"]
    table = CliRunner().invoke(app, ["campaigns", "link", str(path)])
    assert table.exit_code == 0 and "cli_handle_9" in table.output
    bad = CliRunner().invoke(app, ["campaigns", "link", str(path), "-f", "xml"])
    assert bad.exit_code == 2


def test_worker_processes_give_the_same_campaigns(monkeypatch: pytest.MonkeyPatch) -> None:
    from counterpitch.campaigns import batch

    monkeypatch.setattr(batch, "WORK_CHUNK", 7)
    rnd = random.Random(5)
    data = items([POOL[rnd.randrange(len(POOL))] for _ in range(60)])
    as_json = [(i, a.model_dump_json(by_alias=True), at, r) for i, a, at, r in data]
    one = link_batch(data)
    assert len(one) >= 2
    assert link_batch(as_json, workers=2) == one
