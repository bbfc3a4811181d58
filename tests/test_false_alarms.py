"""False alarms on real text nobody here wrote: genuine job adverts (EMSCAD) and ordinary SMS (UCI).

The engine is never trained on these sets; this measures how often it would cry wolf on ordinary text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from counterpitch.engine import Engine
from counterpitch.ingest.public_sets import emscad, sms
from tests.conftest import SHARED

DATA = SHARED / "data"


def rates(engine: Engine, cases: list) -> Counter[str]:
    """Bands as bulk screening gives them (the meaning layer reads only what the fast path was unsure of);
    bench/false_alarms.py measures the stricter one-at-a-time reading."""
    return Counter(a.band for a in engine.assess_many(cases))


def test_genuine_job_adverts_rarely_raise_an_alarm(engine: Engine) -> None:
    path: Path = DATA / "emscad_small" / "fj_small.csv"
    if not path.is_file():
        pytest.skip("EMSCAD sample not present")
    genuine = [a for a in emscad(path) if a.label == "benign"]
    assert len(genuine) > 300
    bands = rates(engine, genuine)
    assert bands["high"] / len(genuine) <= 0.02
    assert (bands["high"] + bands["medium"]) / len(genuine) <= 0.15


def test_ordinary_text_messages_rarely_raise_an_alarm(engine: Engine) -> None:
    path: Path = DATA / "sms_spam" / "SMSSpamCollection"
    if not path.is_file():
        pytest.skip("SMS collection not present")
    ham = [a for a in sms(path) if a.label == "benign"]
    assert len(ham) > 4000
    bands = rates(engine, ham)
    assert bands["high"] / len(ham) <= 0.01
    assert (bands["high"] + bands["medium"]) / len(ham) <= 0.05
