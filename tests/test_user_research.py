"""A whole message's setting vetoes a rule (`none_in_message`): a usability study's thank-you voucher buys no report.

Payment rules read one sentence (or a window): the voucher is often paragraphs away from the study it thanks. The
messages below were written for this test (invented senders, firms and products); the hostile ones check that the
setting rules out only the payment families, never a request for non-public material, secrecy or an installer.
"""

from __future__ import annotations

import pickle

import pytest

from counterpitch.detectors.phrases import PhraseDetector
from counterpitch.engine import Engine
from counterpitch.model import Approach

PAYMENT = {"lure.paid_reports", "lure.cash_crypto_gifts", "meaning.paid_reports", "meaning.cash_crypto_gifts"}


def approach(text: str, subject: str | None = None, account: str | None = None) -> Approach:
    return Approach.model_validate(
        {"id": "ur", "channel": "email", "subject": subject, "text": text, "account": account}
    )


def detectors(engine: Engine, a: Approach) -> set[str]:
    return {f.detector for f in engine.assess(a).findings}


RESEARCH = [
    approach(
        "We're redesigning the rota screens of our scheduling app and want to watch people try a prototype.\n\n"
        "It takes 30 minutes on a video call. Nothing to prepare.\n\nEveryone who joins gets a £25 voucher as "
        "a thank you for their time.",
        subject="Could you spare half an hour for a usability session?",
    ),
    approach(
        "Hi Tomasz, I'm a design researcher at Pellucid. We'd like to hear how your team closes the month. "
        "We pay $60 in gift cards for a 45-minute call, and we're testing the product, not you."
    ),
    approach(
        "Dear customer, please take our ten-minute satisfaction survey about the new export feature. "
        "Respondents can choose a 15 EUR gift card or a donation to a charity."
    ),
    approach(
        "We are recruiting research participants among school business managers. "
        "You would complete a few tasks on our new budgeting tool while thinking aloud. "
        "Participants receive a 40 GBP Amazon voucher."
    ),
]


@pytest.mark.parametrize("a", RESEARCH, ids=[f"research-{i}" for i in range(len(RESEARCH))])
def test_a_user_research_invitation_is_no_payment_lure(engine: Engine, a: Approach) -> None:
    found = detectors(engine, a)
    assert not found & PAYMENT, found
    assert engine.assess(a).band == "low"


def test_the_same_thank_you_without_the_setting_still_fires(engine: Engine) -> None:
    # The money sentence alone, as a stranger's offer for "a few notes on your team's plans": the rule stands.
    a = approach(
        "Hi Tomasz, I'd value a few short notes from you on how your department is planning next year. "
        "We pay $600 in gift cards for each note, and nobody needs to know."
    )
    assert {"lure.paid_reports", "lure.cash_crypto_gifts"} & detectors(engine, a)


def test_the_setting_rules_out_only_the_payment_families(engine: Engine) -> None:
    a = approach(
        "We are running a usability study of our new policy dashboard and offer a $50 voucher. "
        "Before the session, please send me the draft committee report that has not been published yet, "
        "and keep this between us; do not tell your line manager."
    )
    found = detectors(engine, a)
    assert not found & PAYMENT
    assert "lure.nonpublic_request" in found
    assert "lure.secrecy" in found
    assert engine.assess(a).band in ("medium", "high")


def test_the_setting_is_read_anywhere_in_the_message() -> None:
    rule = next(d for d in Engine.default(meaning=False).registry if d.meta.id == "lure.paid_reports")
    assert isinstance(rule, PhraseDetector) and rule.none_in_message
    assert rule.in_setting(approach("A gift card thanks you.", subject="User testing of our app"))
    assert rule.in_setting(approach("Hello.", account="They asked me to join a usability study of their app."))
    assert not rule.in_setting(approach("We pay for your views on the prototype your lab is building."))
    # The veto survives pickling (the Dask runner ships detectors to workers as pattern strings).
    again = pickle.loads(pickle.dumps(rule))
    assert again.in_setting(approach("A voucher for you.", subject="Customer interviews next week"))


def test_a_bad_setting_pattern_names_the_rule() -> None:
    from counterpitch.detectors.phrases import from_spec

    spec = {
        "id": "lure.example",
        "title": "t",
        "severity": "low",
        "explanation": "e",
        "guidance": "g",
        "sources": ["s"],
        "match": {"all_of": [["pay"]], "none_in_message": ["(unclosed"]},
    }
    with pytest.raises(ValueError, match=r"lure\.example: none_in_message"):
        from_spec(spec, "test.yaml")


# The same in the six languages the rules read: (the study, the same thank-you in a "confidential talk").
IN_LANGUAGES = {
    "de": (
        "Wir laden Sie zu einer Nutzerstudie unserer neuen App ein. Als Dankeschön erhalten Sie einen Gutschein über "
        "30 Euro für Ihre Einschätzung.",
        "Wir laden Sie zu einem vertraulichen Gespräch ein. Als Dankeschön erhalten Sie einen Gutschein über 300 Euro "
        "für Ihre Einschätzung.",
    ),
    "fr": (
        "Nous vous invitons à un test utilisateur de notre nouvelle application. En remerciement, vous recevrez une "
        "carte cadeau de 30 euros pour votre avis.",
        "Nous vous invitons à un échange confidentiel. En remerciement, vous recevrez une carte cadeau de 300 euros "
        "pour votre avis.",
    ),
    "es": (
        "Le invitamos a una prueba de usabilidad de nuestra nueva aplicación. Como agradecimiento recibirá una "
        "tarjeta regalo de 30 euros por su opinión.",
        "Le invitamos a una conversación confidencial. Como agradecimiento recibirá una tarjeta regalo de 300 euros "
        "por su opinión.",
    ),
    "it": (
        "La invitiamo a un test di usabilità della nostra nuova app. Come ringraziamento riceverà un buono regalo da "
        "30 euro per la sua opinione.",
        "La invitiamo a un colloquio riservato. Come ringraziamento riceverà un buono regalo da 300 euro per la sua "
        "opinione.",
    ),
    "nl": (
        "We nodigen u uit voor een gebruikersonderzoek van onze nieuwe app. Als dank ontvangt u een cadeaubon van "
        "30 euro voor uw mening.",
        "We nodigen u uit voor een vertrouwelijk gesprek. Als dank ontvangt u een cadeaubon van 300 euro voor uw "
        "mening.",
    ),
    "pl": (
        "Zapraszamy na badanie użyteczności naszej nowej aplikacji. W podziękowaniu otrzyma Pan kartę podarunkową "
        "o wartości 120 zł za opinię.",
        "Zapraszamy na poufną rozmowę. W podziękowaniu otrzyma Pan kartę podarunkową o wartości 1200 zł za opinię.",
    ),
}


@pytest.mark.parametrize("code", sorted(IN_LANGUAGES))
def test_the_setting_holds_in_each_language(engine: Engine, code: str) -> None:
    study, talk = IN_LANGUAGES[code]
    read = engine.assess(approach(study), meaning="never")
    assert read.language is not None and read.language.code == code
    assert not {f.detector for f in read.findings} & PAYMENT
    assert {f.detector for f in engine.assess(approach(talk), meaning="never").findings} & PAYMENT
