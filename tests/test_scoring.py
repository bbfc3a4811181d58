"""The scorer: monotone weights, corroboration before "high", points per finding, advice per band."""

from __future__ import annotations

import pytest

from counterpitch.model import Evidence, Finding
from counterpitch.scoring import Scorer, load_default_scorer
from counterpitch.scoring.fit import choose_bands, fit_weights

SCORER = Scorer(
    intercept=-4.0,
    weights={
        "lure.secrecy": 3.0,
        "lure.nonpublic_request": 3.0,
        "lure.flattery": 0.3,
        "safeguard.public_only": -2.0,
        "watchlist.profile_url": 9.0,
    },
    medium=40.0,
    high=80.0,
)


def finding(detector: str, severity: str = "high", strength: float = 1.0) -> Finding:
    return Finding(
        detector=detector,
        title=detector,
        severity=severity,  # type: ignore[arg-type]
        evidence=(Evidence(field="text"),),
        explanation="x",
        strength=strength,
    )


def test_when_nothing_is_found_then_low_with_low_advice() -> None:
    score, band, found, advice, _ = SCORER.score([])
    assert band == "low" and score < 40 and found == [] and "Nothing here calls for action" in advice


def test_when_one_strong_indicator_alone_then_never_high() -> None:
    heavy = Scorer(-1.0, {"lure.secrecy": 10.0}, 40.0, 80.0)
    score, band, _, _, trail = heavy.score([finding("lure.secrecy")])
    assert band == "medium" and score < 80 and "one indicator alone" in trail.band_rule


def test_when_two_indicators_corroborate_then_high_with_points_per_finding() -> None:
    score, band, found, advice, _ = SCORER.score([finding("lure.secrecy"), finding("lure.nonpublic_request")])
    assert band == "high" and score >= 80
    assert all((f.weight or 0) > 0 for f in found)
    assert "Report this approach" in advice


def test_when_watchlist_hit_then_high_on_its_own() -> None:
    _, band, _, _, _ = SCORER.score([finding("watchlist.profile_url")])
    assert band == "high"


def test_when_only_a_medium_watchlist_hit_then_not_decisive() -> None:
    scorer = Scorer(-1.0, {"watchlist.company": 9.0}, 40.0, 80.0)
    _, band, _, _, _ = scorer.score([finding("watchlist.company", "medium")])
    assert band == "medium"


def test_when_safeguard_present_then_it_takes_points_away() -> None:
    # A medium-severity indicator: a high-severity one would hold the band at medium through its decisive floor.
    with_guard = SCORER.score([finding("lure.secrecy", "medium"), finding("safeguard.public_only", "info")])
    without = SCORER.score([finding("lure.secrecy", "medium")])
    assert with_guard[0] < without[0]
    guard = next(f for f in with_guard[2] if f.detector == "safeguard.public_only")
    assert guard.weight is not None and guard.weight < 0


def test_when_only_info_findings_then_cannot_be_high() -> None:
    info = Scorer(5.0, {"lure.flattery": 1.0}, 40.0, 80.0)
    _, band, _, _, _ = info.score([finding("lure.flattery", "info")])
    assert band == "medium"


def test_when_weights_have_wrong_sign_then_loading_fails() -> None:
    with pytest.raises(ValueError, match="wrong sign"):
        Scorer.from_json(
            {"intercept": 0, "weights": {"safeguard.public_only": 1.0}, "bands": {"medium": 40, "high": 80}}
        )
    with pytest.raises(ValueError, match="bands"):
        Scorer.from_json({"intercept": 0, "weights": {}, "bands": {"medium": 90, "high": 80}})


def test_when_fitting_then_signs_follow_the_family() -> None:
    rows = [{"lure.a": 1.0}, {"lure.a": 1.0, "safeguard.b": 1.0}, {"safeguard.b": 1.0}, {}] * 10
    labels = [1, 0, 0, 0] * 10
    _, weights = fit_weights(rows, labels, ["lure.a", "safeguard.b"])
    assert weights["lure.a"] > 0 and weights.get("safeguard.b", 0.0) <= 0


def test_when_choosing_bands_then_false_alarm_budget_holds() -> None:
    scores = list(range(100))
    labels = [0] * 100
    medium, high = choose_bands(scores, labels, max_fp_medium=0.10, max_fp_high=0.02)
    assert sum(s >= medium for s in scores) <= 10 and sum(s >= high for s in scores) <= 2


def test_shipped_weights_load_and_are_monotone() -> None:
    s = load_default_scorer()
    assert 0 < s.medium < s.high < 100
    assert all(w <= 0 for k, w in s.weights.items() if k.startswith("safeguard."))
    assert all(w >= 0 for k, w in s.weights.items() if not k.startswith("safeguard."))


def test_when_score_saturates_then_points_still_share_the_rise_by_weight() -> None:
    found = [finding("lure.secrecy"), finding("lure.nonpublic_request"), finding("watchlist.profile_url")]
    score, _, weighted, _, _ = SCORER.score(found)
    points = {f.detector: f.weight or 0.0 for f in weighted}
    base = SCORER.raw({})
    assert sum(points.values()) == pytest.approx(score - base, abs=0.1)
    assert points["watchlist.profile_url"] > points["lure.secrecy"] > 0


def test_when_batches_are_assessed_then_results_match_one_by_one_and_gc_is_left_on() -> None:
    import gc

    from counterpitch.engine import Engine
    from counterpitch.model import Approach

    engine = Engine.default()
    cases = [
        Approach(id=f"a{i}", text=t)
        for i, t in enumerate(
            [
                "We pay GBP 900 for short notes on what officials say privately. Keep it between us.",
                "Congratulations on the new role! Coffee next week?",
                "Download the assessment, extract the zip and run the installer on your work laptop.",
            ]
            * 3
        )
    ]
    batched = engine.assess_many(cases, batch=4)
    first = next(batched)
    assert gc.isenabled()
    rest = list(batched)
    assert [a.to_json_dict() for a in [first, *rest]] == [
        engine.assess(a, meaning="unsure").to_json_dict() for a in cases
    ]


def test_when_two_medium_lures_in_another_language_then_medium_whatever_their_fitted_weights() -> None:
    """Paid travel and a fee for a written piece, read by the French rules: the fitted weights (0.75, 0.91 beside
    the English wording model) give 22; where the wording model cannot read, each lure weighs its prior."""
    fitted = load_default_scorer()
    found = [finding("lure.paid_travel", "medium"), finding("lure.paid_reports", "medium")]
    assert fitted.score(found)[1] == "low"  # English: the wording model would carry the rest
    score, band, _, _, _ = fitted.score(found, wording=False)
    assert band == "medium" and score >= fitted.medium
    assert fitted.score([finding("lure.paid_travel", "medium")], wording=False)[1] == "low"  # one alone stays low


def test_when_only_the_wording_model_speaks_in_another_language_then_low() -> None:
    """The English n-gram model on a foreign text (brand names, cognates) never lifts it on its own."""
    fitted = load_default_scorer()
    found = [finding("semantic.wording", "medium", 0.7)]
    assert fitted.score(found)[1] == "medium"
    assert fitted.score(found, wording=False)[1] == "low"
    assert fitted.score([*found, finding("lure.secrecy")], wording=False)[1] != "low"


def test_when_one_weak_sign_leaves_the_band_low_then_the_advice_names_it() -> None:
    """A finding shown as adding points under a low verdict is named by the advice, never "nothing calls for action"."""
    scorer = Scorer(-4.0, {"lure.paid_reports": 0.8}, 40.0, 80.0)
    weak = finding("lure.paid_reports", severity="medium").model_copy(
        update={"title": "Payment offered for reports", "guidance": "Do not accept payment for reports."}
    )
    _, band, found, advice, _ = scorer.score([weak])
    assert band == "low" and (found[0].weight or 0) > 0
    assert "Nothing here calls for action" not in advice
    assert "Payment offered for reports" in advice and "Do not accept payment for reports." in advice


def test_when_only_an_info_cue_is_shown_at_low_then_the_low_advice_stands() -> None:
    scorer = Scorer(-4.0, {"lure.flattery": 0.3}, 40.0, 80.0)
    _, band, _, advice, _ = scorer.score([finding("lure.flattery", severity="info")])
    assert band == "low" and "Nothing here calls for action" in advice
