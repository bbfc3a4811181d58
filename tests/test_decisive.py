"""Decisive band rules (data/verdict.yaml): a finding the verdict shows must move it, whatever the fitted weights.

Truth tables through the engine for each rule, then the scorer alone with every weight at its least, and the
loading checks. The persona texts are invented and bland on purpose: the band must come from the rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from counterpitch.engine import Engine
from counterpitch.model import Approach, Evidence, Finding
from counterpitch.scoring import Scorer
from counterpitch.scoring.rules import parse, verdict_rules
from counterpitch.watchlist import load_watchlist

BLAND = [
    "Hello, I came across your profile and would be glad to connect.",
    "Thank you for your talk last week; I found your points on trade very clear.",
    "Dear colleague, we only use published material and never ask for anything confidential.",
]


def approach(text: str, **sender: Any) -> Approach:
    return Approach.model_validate({"id": "t", "channel": "linkedin_message", "sender": sender or None, "text": text})


def personas() -> list[tuple[str, str]]:
    return [(e.name, e.company) for e in load_watchlist([], include_seed=True) if e.kind == "persona" and e.company]


@pytest.mark.parametrize(("name", "company"), personas())
@pytest.mark.parametrize("text", BLAND)
def test_when_sender_is_a_published_persona_then_high_whatever_the_text(
    engine: Engine, name: str, company: str, text: str
) -> None:
    result, trail = engine.assess_with_trail(approach(text, name=name, company=company))
    assert result.band == "high"
    assert result.score >= engine.scorer.high
    assert "published_persona" in trail.band_rule
    assert result.advice is not None and result.advice.startswith("This sender is a published persona.")
    assert name in result.advice  # the persona is named in the words that lead the advice
    persona = next(f for f in result.findings if f.detector == "watchlist.name_company")
    assert (persona.weight or 0) > 0  # the finding carries the points the rule added


@pytest.fixture
def own_watchlist(tmp_path: Path) -> Engine:
    path = tmp_path / "ours.yaml"
    path.write_text(
        """
entries:
  - id: test-persona
    kind: persona
    name: Invented Persona
    company: Invented Search Partners
    profile_urls: [https://www.linkedin.com/in/invented-persona-123]
    emails: [invented.persona@invented-search.example]
    handles: {wechat: invented_persona_88}
    source: an invented test entry
    date: 2026-01
""",
        encoding="utf-8",
    )
    return Engine.default(watchlists=[path])


@pytest.mark.parametrize(
    ("sender", "text"),
    [
        ({"name": "Someone Else", "profile_url": "https://www.linkedin.com/in/invented-persona-123/"}, BLAND[0]),
        ({"name": "Someone Else", "email": "invented.persona@invented-search.example"}, BLAND[1]),
        ({"name": "Someone Else"}, "Nice to meet you. My WeChat is invented_persona_88 if easier."),
    ],
    ids=["profile-url", "e-mail", "handle"],
)
def test_when_a_listed_identifier_is_used_then_high(own_watchlist: Engine, sender: dict[str, str], text: str) -> None:
    assert own_watchlist.assess(approach(text, **sender)).band == "high"


@pytest.mark.parametrize(
    ("text", "band"),
    [
        # payment for non-public information: high
        (
            "We pay GBP 1,500 a month for short notes for our clients on what the committee discusses in private.",
            "high",
        ),
        # run or install: at least medium alone, high with any other sign
        ("Please download the assessment file from the link below and run it on your laptop.", "medium"),
        ("Please download the assessment file from the link below and run it. Keep this between us.", "high"),
        ("Kindly open the attached workbook and enable macros so the salary table shows; reply on WhatsApp.", "high"),
    ],
)
def test_when_a_decisive_pattern_is_present_then_the_band_is_at_least_its_floor(
    engine: Engine, text: str, band: str
) -> None:
    result, trail = engine.assess_with_trail(approach(text, name="Invented Sender", headline="Talent Partner"))
    order = ["low", "medium", "high"]
    assert order.index(result.band) >= order.index(band), (result.band, trail.lines())


def finding(detector: str, severity: str = "high") -> Finding:
    return Finding(
        detector=detector,
        title=detector,
        severity=severity,  # type: ignore[arg-type]
        evidence=(Evidence(field="text"),),
        explanation=f"{detector} was seen.",
    )


#: The weakest scorer a fit could make: every indicator at a token weight, the intercept very low.
WEAK = Scorer(intercept=-9.0, weights={}, medium=40.0, high=80.0)


@pytest.mark.parametrize(
    ("found", "band"),
    [
        ([finding("watchlist.name_company")], "high"),
        ([finding("watchlist.profile_url")], "high"),
        ([finding("watchlist.contact_handle")], "high"),
        ([finding("watchlist.name_company", "medium")], "medium"),  # name alone, no firm to compare
        ([finding("watchlist.company", "medium")], "medium"),
        ([finding("lure.paid_reports", "medium"), finding("lure.nonpublic_request")], "high"),
        ([finding("lure.install_software")], "medium"),
        ([finding("lure.install_software"), finding("persona.thin_profile", "low")], "high"),
        ([finding("lure.install_software"), finding("lure.urgency", "info")], "medium"),  # info does not corroborate
        ([finding("mail.macro_document")], "medium"),
        ([finding("lure.secrecy")], "medium"),  # any high-severity indicator
        ([finding("lure.paid_travel", "medium")], "low"),  # no rule: the score decides
        ([finding("exposure.clearance")], "low"),  # context, not an indicator
        ([finding("watchlist.name_company"), finding("safeguard.public_only", "info")], "high"),
    ],
)
def test_when_weights_are_at_their_least_then_rules_still_set_the_band(found: list[Finding], band: str) -> None:
    _, got, weighted, _, trail = WEAK.score(found)
    assert got == band, trail.lines()
    if band != "low":
        assert any((f.weight or 0) > 0 for f in weighted)


def test_when_a_weights_file_silences_an_indicator_then_loading_fails() -> None:
    doc = {"intercept": -3.0, "weights": {"watchlist.name_company": 0.0}, "bands": {"medium": 40, "high": 80}}
    with pytest.raises(ValueError, match="more than zero"):
        Scorer.from_json(doc)


def test_when_the_shipped_weights_load_then_every_indicator_is_within_its_bounds(engine: Engine) -> None:
    rules = verdict_rules()
    for d in engine.registry:
        w = engine.scorer.weights[d.meta.id]
        prior = rules.prior(d.meta.id, d.meta.severity)
        assert prior.low - 1e-9 <= w <= prior.high + 1e-9, (d.meta.id, w, prior)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decisive": [{"id": "x", "band": "urgent", "any_of": ["lure.secrecy"], "sources": ["s"]}]}, "band must be"),
        ({"decisive": [{"id": "x", "band": "high", "any_of": ["lure.secrecy"], "sources": []}]}, "cite a source"),
        ({"decisive": [{"id": "x", "band": "high", "sources": ["s"]}]}, "needs any_of"),
        ({"decisive": [{"band": "high", "any_of": ["a.b"], "sources": ["s"]}]}, "missing field 'id'"),
        ({"priors": {"indicator": {"high": 0, "medium": 1, "low": 1, "info": 1}}}, "positive weight"),
        ({"bounds": {"rules": {"low": 0, "high": 2}, "learnt": {"low": 0.5, "high": 1.5}}}, "bounds.rules"),
    ],
)
def test_when_the_rules_file_is_bad_then_the_error_names_the_place(change: dict[str, Any], message: str) -> None:
    import yaml

    from counterpitch.scoring import rules as module

    text = (Path(module.__file__).parent.parent / "data" / "verdict.yaml").read_text("utf-8")
    doc = {**yaml.safe_load(text), **change}
    if "priors" in change:
        doc["priors"] = {**yaml.safe_load(text)["priors"], **change["priors"]}
    with pytest.raises(ValueError, match=message):
        parse(doc)


def test_when_a_staff_member_tells_the_approach_in_their_own_words_then_high(engine: Engine) -> None:
    # The example: the reporter's words, not the sender's (invented).
    told = (
        "A woman from a recruitment firm messaged me on LinkedIn and offered me 2,000 pounds a month to write "
        "reports about what my MP's committee discusses in private. She wanted to move the chat to WeChat and "
        "said to keep it between us."
    )
    result, trail = engine.assess_with_trail(approach(told))
    assert result.band == "high", trail.lines()
    assert {"lure.paid_reports", "lure.nonpublic_request"} <= {f.detector for f in result.findings}
    assert "payment_for_nonpublic" in trail.band_rule
