"""The registry and the catalogue: every detector is declared, sourced, tested and documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from counterpitch.detectors.base import DetectorMeta
from counterpitch.detectors.phrases import PhraseDetector
from counterpitch.detectors.registry import DuplicateDetectorError, Registry, default_registry, load_yaml_detectors
from tests.helpers import approach

TESTS = Path(__file__).parent
ASSESSMENT_IDS = {
    "exposure.clearance",
    "exposure.sensitive_project",
    "exposure.sensitive_role",
    "exposure.personal_contact",
}


def test_when_two_detectors_share_an_id_then_start_up_fails() -> None:
    d = next(iter(default_registry(plugins=False)))
    with pytest.raises(DuplicateDetectorError, match=re.escape(d.meta.id)):
        Registry([d, d])


def test_every_detector_has_a_test_that_names_it() -> None:
    corpus = "\n".join(p.read_text() for p in TESTS.glob("test_*.py") if p.name != Path(__file__).name)
    untested = [d.meta.id for d in default_registry(plugins=False) if f'"{d.meta.id}"' not in corpus]
    assert untested == []


def test_every_detector_is_catalogued_with_sources_and_valid_ids() -> None:
    reg = default_registry(plugins=False)
    assert len(reg) >= 30
    for d in reg:
        m = d.meta
        assert m.title and m.explanation and m.guidance and m.sources, m.id
        assert all(re.fullmatch(r"T\d{4}(\.\d{3})?", a) for a in m.attack), m.id
    assert set(reg.ids()) >= ASSESSMENT_IDS
    families = {d.meta.family for d in reg}
    assert {"watchlist", "persona", "lure", "exposure", "semantic", "safeguard", "targeting"} <= families


def test_when_meta_is_malformed_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="dotted"):
        DetectorMeta("Bad Id", "t", "low", "e", "g", ("s",))
    with pytest.raises(ValueError, match="source"):
        DetectorMeta("lure.x", "t", "low", "e", "g", ())
    with pytest.raises(ValueError, match="ATT&CK"):
        DetectorMeta("lure.x", "t", "low", "e", "g", ("s",), ("X123",))


USER_YAML = """
detectors:
  - id: custom.visa_offer
    title: Offers help with a visa
    severity: low
    explanation: Our own indicator.
    guidance: Tell security.
    sources: ["internal note 2026-03"]
    match:
      all_of:
        - ['\\bvisa\\b']
        - ['\\b(?:help|arrange|sort)\\b']
"""


def test_when_user_declares_a_detector_in_yaml_then_it_registers_and_runs(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER_YAML)
    reg = default_registry(extra_yaml=[path], plugins=False)
    d = reg.get("custom.visa_offer")
    assert isinstance(d, PhraseDetector)
    from counterpitch.detectors.context import Context

    assert list(d.detect(approach("We can arrange the visa for you."), Context()))
    assert not list(d.detect(approach("The visa office is closed."), Context()))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("detectors: [{id: a.b}]", "missing field 'title'"),
        ("- not a mapping", "expected a mapping"),
        ("detectors: [", "not valid YAML"),
        (USER_YAML.replace("'\\bvisa\\b'", "'(unclosed'"), "bad pattern"),
    ],
)
def test_when_user_yaml_is_bad_then_error_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as err:
        load_yaml_detectors(path)
    assert "bad.yaml" in str(err.value)


def test_when_user_yaml_reuses_a_builtin_id_then_start_up_fails(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(USER_YAML.replace("custom.visa_offer", "lure.secrecy"))
    with pytest.raises(DuplicateDetectorError):
        default_registry(extra_yaml=[path], plugins=False)


def test_detectors_survive_pickling() -> None:
    import pickle

    reg = default_registry(plugins=False)
    again = pickle.loads(pickle.dumps(list(reg)))
    assert [d.meta.id for d in again] == list(reg.ids())
