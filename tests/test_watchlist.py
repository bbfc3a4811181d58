"""Watchlist: normalisers, loading and validation, and the `watchlist.*` detectors as truth tables."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.detectors.base import Detector
from counterpitch.detectors.context import Context
from counterpitch.detectors.watchlist import DETECTORS, headline_parts
from counterpitch.model import Approach, Finding, Profile
from counterpitch.watchlist import (
    Watchlist,
    company_similarity,
    emails_in,
    load_watchlist,
    normalise_company,
    normalise_domain,
    normalise_email,
    normalise_handle,
    normalise_person,
    normalise_phone,
    normalise_profile_url,
    read_yaml,
    search_form,
)

SEED = Context(watchlist=load_watchlist())
CASEBOOK = Path("/work/shared/casebook/approaches_dev.jsonl")

# A fictional persona for identifier tests: reserved .example domain, Ofcom drama phone numbers.
USER_YAML = """
version: 1
entries:
  - id: test-2024-dana-vell
    kind: persona
    name: Dana Vell
    company: Northgate Talent Bridge
    profile_urls: ["https://www.linkedin.com/in/dana-vell-ntb"]
    email_domains: [northgate-talent.example]
    emails: [dana.vell@northgate-talent.example, dv.recruits@gmail.com]
    handles:
      wechat: dana_vell_88
      telegram: "@danavell_ntb"
      phone: "+44 7700 900123"
    source: Test fixture, not a real warning
    date: 2024-05-01
"""

USER_CSV = (
    "id,kind,name,company,aliases,profile_urls,email_domains,emails,handles,source,date,company_alone\n"
    "test-2024-corin-hale,persona,Corin Hale,Harbourline Advisory,Corin J. Hale,"
    "https://www.linkedin.com/in/corin-hale-hla/,harbourline.example,"
    "c.hale@harbourline.example;corin.hale@proton.me,wechat:corin_hale_01;phone:+44 20 7946 0991,"
    "Test fixture,2024-06,true\n"
)


def approach(sender: dict[str, Any] | None = None, text: str = "Hello.", **more: Any) -> Approach:
    return Approach.model_validate({"id": "t-1", "text": text, "sender": sender or {}, **more})


def findings(a: Approach | Profile, ctx: Context) -> list[Finding]:
    return [f for d in DETECTORS for f in d.detect(a, ctx)]


def hits(a: Approach, ctx: Context = SEED) -> set[tuple[str, str | None]]:
    return {(f.detector, f.value) for f in findings(a, ctx)}


@pytest.fixture(scope="module")
def user_ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    folder = tmp_path_factory.mktemp("lists")
    (folder / "mine.yaml").write_text(USER_YAML, encoding="utf-8")
    (folder / "mine.csv").write_text(USER_CSV, encoding="utf-8")
    return Context(watchlist=load_watchlist([folder / "mine.yaml", folder / "mine.csv"]))


# --- normalisers --------------------------------------------------------------------------------------------

SLUG = "linkedin.com/in/dana-vell-ntb"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.linkedin.com/in/dana-vell-ntb", SLUG),
        ("http://linkedin.com/in/dana-vell-ntb/", SLUG),
        ("linkedin.com/in/dana-vell-ntb", SLUG),
        ("www.linkedin.com/in/Dana-Vell-NTB", SLUG),
        ("https://uk.linkedin.com/in/dana-vell-ntb?trk=public_profile#about", SLUG),
        ("https://de.linkedin.com/in/dana-vell-ntb/en", SLUG),
        ("https://www.linkedin.com/in/dana-vell-ntb/details/experience/", SLUG),
        ("https://m.linkedin.com/in/dana-vell-ntb", SLUG),
        ("https://www.linkedin.com/mwlite/in/dana-vell-ntb", SLUG),
        ("https://www.linkedin.com/in/dana%2Dvell%2Dntb", SLUG),
        ("  <HTTPS://WWW.LINKEDIN.COM/IN/DANA-VELL-NTB>  ", SLUG),
        ("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa", "linkedin.com/in/josé-garcía"),
        ("https://www.linkedin.com/company/br-yr/about/", "linkedin.com/company/br-yr"),
        ("https://www.linkedin.com/pub/dana-vell/1a/23b/456", "linkedin.com/pub/dana-vell/1a/23b/456"),
    ],
)
def test_when_url_is_a_linkedin_variant_then_it_normalises_to_the_slug(url: str, expected: str) -> None:
    assert normalise_profile_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "https://www.linkedin.com/feed/",
        "https://www.linkedin.com/in/",
        "https://linkedin.com.evil.example/in/dana-vell-ntb",
        "https://evil-linkedin.com/in/dana-vell-ntb",
        "https://lnkd.in/abc123",
        "https://example.org/in/dana-vell-ntb",
        "http://[::1",
    ],
)
def test_when_url_is_not_a_linkedin_profile_then_it_normalises_to_none(url: str) -> None:
    assert normalise_profile_url(url) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BR-YR Executive Search", "br yr executive search"),
        ("BR-YR Executive Search (Beijing) Co., Ltd.", "br yr executive search"),
        ("The Internship Union Limited", "internship union"),
        ("RiseHR GmbH & Co. KG", "risehr"),
        ("Harbourline Advisory Pte. Ltd.", "harbourline advisory"),
        ("ÉCOLE  Société", "ecole societe"),
        ("Company", "company"),
    ],
)
def test_when_company_is_normalised_then_case_punctuation_and_legal_forms_go(name: str, expected: str) -> None:
    assert normalise_company(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Amanda Qiu", "amanda qiu"),
        ("QIU Amanda", "amanda qiu"),
        ("Dr. Amanda  Qiu", "amanda qiu"),
        ("Laëticia Chen", "chen laeticia"),
        ("Ｒａｃｈｅｌ Ｌｉ", "li rachel"),
    ],
)
def test_when_person_is_normalised_then_order_case_accents_and_titles_go(name: str, expected: str) -> None:
    assert normalise_person(name) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("+44 7700 900123", "07700 900123", True),
        ("+44 (0)7700 900123", "0044 7700 900123", True),
        ("+44 7700 900123", "+44 7700 900124", False),
    ],
)
def test_when_phones_are_written_differently_then_they_compare_by_trailing_digits(a: str, b: str, same: bool) -> None:
    na, nb = normalise_phone(a), normalise_phone(b)
    assert na
    assert nb
    assert (na.endswith(nb) or nb.endswith(na)) is same


def test_when_other_identifiers_are_normalised_then_forms_agree() -> None:
    assert normalise_domain("Mail.Example.ORG.") == "mail.example.org"
    assert normalise_domain("no-dot") is None
    assert normalise_email("<Dana.Vell@Northgate-Talent.Example>") == "dana.vell@northgate-talent.example"
    assert normalise_email("not an address") is None
    assert normalise_handle("@DanaVell_NTB") == normalise_handle("https://t.me/danavell_ntb") == "danavell_ntb"
    assert normalise_phone("12345") is None


@pytest.mark.parametrize(
    ("a", "b", "at_least", "below"),
    [
        ("BR-YR Executive Search", "BRYR Executive Search", 100, None),
        ("Internship Union", "InternshipUnion", 100, None),
        ("Internship Union", "Internships Unlimited", None, 85),
        ("RiseHR", "Rise", None, 1),
        ("RiseHR", "RiseUp HR", None, 92),
    ],
)
def test_when_firms_are_compared_then_spacing_counts_nothing_and_short_names_need_exactness(
    a: str, b: str, at_least: float | None, below: float | None
) -> None:
    score = company_similarity(normalise_company(a), normalise_company(b))
    assert at_least is None or score >= at_least
    assert below is None or score < below


def test_when_headline_has_separators_then_each_piece_is_a_candidate_firm() -> None:
    headline = "CEO at BR-YR Executive Search | Talent advisor, Beijing"
    parts = [(headline[s:e], at) for s, e, at in headline_parts(headline)]
    assert parts == [
        ("CEO", False),
        ("BR-YR Executive Search", True),
        ("Talent advisor", False),
        ("Beijing", False),
    ]


# --- detectors against the seed list ------------------------------------------------------------------------

QIU = "mi5-2025-amanda-qiu"
BRYR = "mi5-2025-br-yr-executive-search"
SHEN = "mi5-2025-shirly-shen"
UNION = "mi5-2025-internship-union"


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        # the published persona, as published and as retyped
        (
            {"name": "Amanda Qiu", "company": "BR-YR Executive Search"},
            {("watchlist.name_company", QIU), ("watchlist.company", BRYR)},
        ),
        (
            {"name": "QIU Amanda", "company": "BRYR Executive Search Ltd"},
            {("watchlist.name_company", QIU), ("watchlist.company", BRYR)},
        ),
        (
            {"name": "Amanda Qiu", "headline": "CEO at BR-YR Executive Search (Beijing) Co., Ltd."},
            {("watchlist.name_company", QIU), ("watchlist.company", BRYR)},
        ),
        # exact name, firm abbreviated: the name carries it, the firm alone would not
        ({"name": "Amanda Qiu", "company": "BR-YR Exec Search"}, {("watchlist.name_company", QIU)}),
        # near name and near firm: one fuzzy side only
        ({"name": "Amanda Qui", "company": "BR-YR Exec Search"}, set()),
        (
            {"name": "Shirley Shen", "company": "InternshipUnion"},
            {("watchlist.name_company", SHEN), ("watchlist.company", UNION)},
        ),
        (
            {"name": "Laetitia Chen", "company": "China Center of International Politics and Economy"},
            {("watchlist.name_company", "bfv-2017-laeticia-chen")},
        ),
        # the borrowed real institution counts only with the persona's name
        (
            {"name": "Michael Yang", "company": "Shanghai Academy of Social Sciences"},
            {("watchlist.name_company", "us-2018-michael-yang")},
        ),
        ({"name": "Wei Zhang", "company": "Shanghai Academy of Social Sciences"}, set()),
        # firm alone
        ({"name": "John Smith", "company": "Internship Union Ltd"}, {("watchlist.company", UNION)}),
        ({"name": "Jo Bloggs", "company": "RiseHR"}, {("watchlist.company", "bfv-2017-risehr")}),
        (
            {"name": "Jo Bloggs", "experience": [{"company": "Centre for Sino-Europe Development Studies"}]},
            {("watchlist.company", "bfv-2017-center-for-sino-europe-development-studies")},
        ),
        (
            {"name": "Jo Bloggs", "headline": "Partner @ BR-YR Executive Search"},
            {("watchlist.company", BRYR)},
        ),
        # near misses
        ({"name": "Amanda Smith", "company": "Hays Recruitment"}, set()),
        ({"name": "Amanda Qiu", "company": "Tsinghua University", "headline": "Professor"}, set()),
        ({"name": "Rachel Li", "company": "University of Cambridge", "headline": "Lecturer"}, set()),
        ({"name": "Rachel Li", "company": "University of Cambridge", "headline": "Talent partner"}, set()),
        ({"name": "Jo Bloggs", "company": "Internships Unlimited"}, set()),
        ({"name": "Jo Bloggs", "company": "Rise"}, set()),
        ({"name": "Jo Bloggs", "company": "RiseUp HR"}, set()),
        ({"name": "Jo Bloggs", "company": "Center for European Development Studies"}, set()),
        ({"name": "Jo Bloggs", "company": "Kingsley Executive Search"}, set()),
        ({"name": "Alex Liu", "company": "Center for European Development Studies"}, set()),
    ],
)
def test_when_sender_is_compared_with_seed_then_only_name_and_firm_together_match(
    sender: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    assert hits(approach(sender)) == expected


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        (
            {"name": "Rachel Li", "headline": "Senior Headhunter"},
            {("watchlist.name_company", "bfv-2017-rachel-li")},
        ),
        (
            {"name": "LI Rachel", "headline": "Talent acquisition partner"},
            {("watchlist.name_company", "bfv-2017-rachel-li")},
        ),
        ({"name": "Rachel Li", "headline": "Software engineer", "location": "Shanghai, China"}, set()),
        ({"name": "Rachel Lee", "headline": "Headhunter"}, set()),
        ({"name": "Rachel Li", "headline": "Headhunter at Hays"}, set()),
        ({"name": "Amanda Qiu", "location": "Beijing"}, set()),
        ({"name": "Li Wei", "headline": "Recruiter", "location": "Shenzhen, China"}, set()),
        ({"name": "Zhang Min", "headline": "Headhunter", "company": "Shanghai Talent Co"}, set()),
    ],
)
def test_when_only_a_name_is_shown_then_it_counts_only_exact_and_from_a_recruiter(
    sender: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    assert hits(approach(sender)) == expected


def test_when_name_only_match_then_it_is_medium_and_weaker() -> None:
    (f,) = findings(approach({"name": "Rachel Li", "headline": "Headhunter"}), SEED)
    assert f.severity == "medium"
    assert f.strength < 0.75
    assert [e.field for e in f.evidence] == ["sender.name", "sender.headline"]


def test_when_seed_matches_then_finding_cites_entry_and_tradecraft_with_exact_evidence() -> None:
    a = approach({"name": "Amanda Qiu", "company": "BR-YR Executive Search Ltd"})
    by_id = {f.detector: f for f in findings(a, SEED)}
    f = by_id["watchlist.name_company"]
    assert f.severity == "high"
    assert f.attack == ("T1585.001", "T1566.003")
    assert f.sources[0].startswith("MI5 espionage alert")
    assert any(s.startswith("tradecraft.md") for s in f.sources)
    assert "built-in seed watchlist" in f.explanation
    assert "MI5" in f.explanation
    assert f.strength == pytest.approx(1.0)
    sender = a.sender
    assert sender is not None
    for e in f.evidence:
        value = {"sender.name": sender.name, "sender.company": sender.company}[e.field]
        assert value is not None
        assert (e.start, e.end, e.quote) == (0, len(value), value)
    assert by_id["watchlist.company"].severity == "medium"


def test_when_near_name_matches_then_strength_scales_with_similarity() -> None:
    exact = findings(approach({"name": "Amanda Qiu", "company": "BR-YR Executive Search"}), SEED)
    near = findings(approach({"name": "Amanda Qiu", "company": "BR-YR Exec Search"}), SEED)
    assert max(f.strength for f in near) < max(f.strength for f in exact)


def test_when_no_watchlist_or_a_profile_then_detectors_yield_nothing() -> None:
    a = approach({"name": "Amanda Qiu", "company": "BR-YR Executive Search"})
    assert findings(a, Context()) == []
    profile = Profile.model_validate({"id": "p", "name": "Amanda Qiu"})
    assert findings(profile, SEED) == []


def test_when_detectors_are_declared_then_metadata_is_as_documented() -> None:
    meta = {d.meta.id: d.meta for d in DETECTORS}
    assert set(meta) == {
        "watchlist.profile_url",
        "watchlist.name_company",
        "watchlist.company",
        "watchlist.email_domain",
        "watchlist.contact_handle",
    }
    severities = {k: m.severity for k, m in meta.items()}
    assert severities == {
        "watchlist.profile_url": "high",
        "watchlist.name_company": "high",
        "watchlist.company": "medium",
        "watchlist.email_domain": "medium",
        "watchlist.contact_handle": "high",
    }
    assert all(m.target == "approach" and m.sources for m in meta.values())
    assert all(isinstance(d, Detector) for d in DETECTORS)


@pytest.mark.skipif(not CASEBOOK.exists(), reason="shared casebook not present")
def test_when_dev_casebook_is_screened_then_seed_list_raises_nothing() -> None:
    """The casebook's hostile cases are modelled on the public ones but use new names; none is listed."""
    for line in CASEBOOK.read_text(encoding="utf-8").splitlines():
        a = Approach.model_validate(json.loads(line))
        assert findings(a, SEED) == [], a.id


# --- detectors against a user's list: URLs, domains, handles ------------------------------------------------

DANA = "test-2024-dana-vell"
CORIN = "test-2024-corin-hale"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/dana-vell-ntb",
        "https://uk.linkedin.com/in/Dana-Vell-NTB/?originalSubdomain=uk",
        "linkedin.com/in/dana-vell-ntb/en",
        "https://m.linkedin.com/in/dana%2Dvell%2Dntb#top",
    ],
)
def test_when_sender_url_is_a_listed_profile_then_profile_url_fires(url: str, user_ctx: Context) -> None:
    found = [f for f in findings(approach({"profile_url": url}), user_ctx) if f.detector == "watchlist.profile_url"]
    assert [(f.value, f.severity) for f in found] == [(DANA, "high")]
    assert found[0].evidence[0].quote == url


@pytest.mark.parametrize(
    "url",
    ["https://www.linkedin.com/in/dana-vell-ntb2", "https://www.linkedin.com/in/dana-vell", "dana-vell-ntb"],
)
def test_when_sender_url_differs_then_profile_url_is_silent(url: str, user_ctx: Context) -> None:
    assert ("watchlist.profile_url", DANA) not in hits(approach({"profile_url": url}), user_ctx)


@pytest.mark.parametrize(
    ("a", "expected"),
    [
        (approach({"email": "dana.vell@northgate-talent.example"}), {DANA}),
        (approach({"email": "hr@mail.northgate-talent.example"}), {DANA}),
        (approach(text="Reply to jobs@Northgate-Talent.example, thanks."), {DANA}),
        (
            approach(text="hi", thread=[{"from": "sender", "text": "mail c.hale@harbourline.example"}]),
            {CORIN},
        ),
        (approach({"email": "someone@northgate-talent.example.org"}), set()),
        (approach({"email": "someone@not-northgate-talent.example"}), set()),
        (approach(text="see northgate-talent.example for details"), set()),
    ],
)
def test_when_an_address_uses_a_listed_domain_then_email_domain_fires(
    a: Approach, expected: set[str], user_ctx: Context
) -> None:
    found = {f.value for f in findings(a, user_ctx) if f.detector == "watchlist.email_domain"}
    assert found == expected


@pytest.mark.parametrize(
    ("a", "expected"),
    [
        (approach(text="Let's talk on WeChat: dana_vell_88"), {DANA}),
        (approach(text="My WeChat is ＤＡＮＡ_ＶＥＬＬ_８８."), {DANA}),
        (approach(text="Telegram @danavell_ntb or t.me/danavell_ntb"), {DANA}),
        (approach(subject="Call 07700 900123", text="Thanks."), {DANA}),
        (approach(text="Call +44 (0)7700 900123 any time."), {DANA}),
        (approach(text="Write to DV.Recruits@gmail.com"), {DANA}),
        (approach({"about": "WeChat: corin_hale_01"}), {CORIN}),
        (approach(text="ok", thread=[{"from": "recipient", "text": "I called +44 20 7946 0991"}]), {CORIN}),
        (approach(text="Call 07700 900124 or write to someone@gmail.com"), set()),
        (approach(text="WeChat: dana_vell_889"), set()),
        (approach(text="dana_vell_88@other.example is not the handle"), set()),
    ],
)
def test_when_a_listed_handle_is_written_then_contact_handle_fires(
    a: Approach, expected: set[str], user_ctx: Context
) -> None:
    found = [f for f in findings(a, user_ctx) if f.detector == "watchlist.contact_handle"]
    assert {f.value for f in found} == expected
    for f in found:
        assert f.severity == "high"
        assert f.sources[0].startswith("Test fixture")
        assert all(e.quote for e in f.evidence)


def test_when_handle_evidence_is_given_then_offsets_point_into_the_field(user_ctx: Context) -> None:
    text = "Add me — WeChat dana_vell_88, or phone +44 7700 900123."
    (f,) = [f for f in findings(approach(text=text), user_ctx) if f.detector == "watchlist.contact_handle"]
    quotes = [text[e.start : e.end] for e in f.evidence if e.start is not None and e.end is not None]
    assert quotes == ["dana_vell_88", "+44 7700 900123"]


def test_when_csv_persona_is_named_with_alias_and_firm_then_name_company_fires(user_ctx: Context) -> None:
    a = approach({"name": "Corin J Hale", "company": "Harbourline Advisory Pte Ltd"})
    assert hits(a, user_ctx) >= {("watchlist.name_company", CORIN), ("watchlist.company", CORIN)}


# --- loading, validation, pickling --------------------------------------------------------------------------


def test_when_seed_is_loaded_then_entries_are_sourced_and_dated() -> None:
    wl = load_watchlist()
    ids = {e.id for e in wl}
    assert {QIU, SHEN, BRYR, UNION, "bfv-2017-rachel-li", "bfv-2017-alex-li", "bfv-2017-laeticia-chen"} <= ids
    assert "us-2018-michael-yang" in ids
    for e in wl:
        assert e.source
        assert e.date
        assert e.origin == "built-in seed watchlist"
        assert e.profile_urls == e.emails == e.email_domains == e.handles == ()  # none was published
    assert len(load_watchlist(include_seed=False)) == 0


def test_when_user_lists_load_then_yaml_and_csv_entries_join_the_seed(user_ctx: Context) -> None:
    wl = user_ctx.watchlist
    assert wl is not None
    assert {DANA, CORIN, QIU} <= {e.id for e in wl}
    corin = wl.get(CORIN)
    assert corin.emails == ("c.hale@harbourline.example", "corin.hale@proton.me")
    assert dict(corin.handles) == {"wechat": "corin_hale_01", "phone": "+44 20 7946 0991"}
    assert corin.aliases == ("Corin J. Hale",)
    assert corin.date == "2024-06"
    assert wl.get(DANA).origin == "watchlist mine.yaml"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ENTRY = "  - id: test-x\n    kind: persona\n    name: Test Person\n    source: Fixture\n    date: 2024-01-01\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "a.yaml",
            "entries:\n  - id: test-x\n    kind: persona\n    name: Test Person\n    date: 2024-01-01\n",
            ["a.yaml:2", "'test-x'", "'source'", "missing"],
        ),
        (
            "a.yaml",
            ENTRY + "    profile_urls: [https://example.org/in/test]\n",
            ["a.yaml:6", "'profile_urls'", "not a LinkedIn"],
        ),
        (
            "a.yaml",
            ENTRY + ENTRY.replace("Test Person", "Other Person"),
            ["a.yaml:6", "'test-x'", "duplicate"],
        ),
        ("a.yaml", ENTRY.replace("persona", "person"), ["a.yaml:2", "'kind'"]),
        ("a.yaml", ENTRY.replace("2024-01-01", "1 Jan 2024"), ["a.yaml:5", "'date'"]),
        ("a.yaml", ENTRY + "    profile_url: https://www.linkedin.com/in/x\n", ["a.yaml:6", "unknown field"]),
        ("a.yaml", ENTRY + "    email_domains: [gmail.com]\n", ["'email_domains'", "webmail"]),
        ("a.yaml", ENTRY + "    handles: {wechat: abc}\n", ["'handles'", "too short"]),
        ("a.yaml", ENTRY + "    handles: {phone: call-me}\n", ["'handles'", "phone number"]),
        ("a.yaml", ENTRY + "    source_url: www.example.org\n", ["'source_url'"]),
        ("a.yaml", "entries: [\n", ["a.yaml", "not valid YAML"]),
        ("a.yaml", "just: text\n", ["a.yaml", "'entries' list"]),
        (
            "a.csv",
            "id,kind,name,source\ntest-x,persona,Test Person,Fixture\n",
            ["a.csv:1", "missing columns"],
        ),
        (
            "a.csv",
            "id,kind,name,source,date\ntest-x,persona,Test Person,,2024\n",
            ["a.csv:2", "'source'", "missing"],
        ),
        (
            "a.csv",
            "id,kind,name,source,date,profile_urls\ntest-x,persona,T P,F,2024,https://x.example/in/a\n",
            ["a.csv:2", "'profile_urls'"],
        ),
        (
            "a.csv",
            "id,kind,name,source,date\ntest-x,persona,A B,F,2024\ntest-x,persona,C D,F,2024\n",
            ["a.csv:3", "duplicate", "a.csv:2"],
        ),
        (
            "a.csv",
            "id,kind,name,source,date,handles\ntest-x,persona,A B,F,2024,abc_def_12\n",
            ["a.csv:2", "kind:value"],
        ),
        ("a.txt", "id\n", ["a.txt", ".yaml, .yml or .csv"]),
    ],
)
def test_when_a_user_file_is_bad_then_the_error_names_file_line_and_field(
    tmp_path: Path, name: str, text: str, expected: list[str]
) -> None:
    with pytest.raises(ValueError, match=re.escape(expected[0])) as info:
        load_watchlist([_write(tmp_path, name, text)], include_seed=False)
    message = str(info.value)
    for part in expected:
        assert part in message


def test_when_an_id_repeats_across_files_then_both_places_are_named(tmp_path: Path) -> None:
    first = _write(tmp_path, "one.yaml", "entries:\n" + ENTRY)
    second = _write(tmp_path, "two.csv", "id,kind,name,source,date\ntest-x,persona,Other,F,2024\n")
    with pytest.raises(ValueError, match=r"two\.csv:2: entry 'test-x'.*already at .*one\.yaml:2"):
        load_watchlist([first, second], include_seed=False)


def test_when_a_user_reuses_a_seed_id_then_loading_fails(tmp_path: Path) -> None:
    clash = _write(tmp_path, "mine.yaml", "entries:\n" + ENTRY.replace("test-x", QIU))
    with pytest.raises(ValueError, match="duplicate id"):
        load_watchlist([clash])


def test_when_watchlist_and_detectors_are_pickled_then_they_work_the_same(user_ctx: Context) -> None:
    ctx = pickle.loads(pickle.dumps(user_ctx))
    detectors = pickle.loads(pickle.dumps(DETECTORS))
    a = approach({"name": "Dana Vell", "company": "Northgate Talent Bridge"}, text="WeChat dana_vell_88")
    assert [f.model_dump() for d in detectors for f in d.detect(a, ctx)] == [
        f.model_dump() for f in findings(a, user_ctx)
    ]


def test_when_entries_share_an_id_then_the_index_refuses_them() -> None:
    wl = load_watchlist()
    with pytest.raises(ValueError, match="share the id"):
        Watchlist([*wl, wl.entries[0]])


# --- fuzz: normalisers and lookups never crash -------------------------------------------------------------

WILD = st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.sampled_from(
    ["http://[", "linkedin.com/in/%", "@", "a@b", "00", "+", "(0)", "xn--", "..", "\u0301", "ß", "İ"]
)


FUZZ_LIST = Watchlist([*load_watchlist(), *(e for e, _ in read_yaml(USER_YAML, "fuzz.yaml", "fuzz list"))])


@settings(max_examples=300, deadline=None)
@given(WILD)
def test_when_normalisers_get_random_strings_then_they_never_crash(text: str) -> None:
    url = normalise_profile_url(text)
    if url is not None:
        assert normalise_profile_url(url) == url
    for fn in (normalise_domain, normalise_email, normalise_phone):
        out = fn(text)
        assert out is None or isinstance(out, str)
    assert isinstance(normalise_company(text), str)
    assert isinstance(normalise_person(text), str)
    assert isinstance(normalise_handle(text), str)
    assert len(search_form(text)) == len(text)
    for hit in emails_in(text):
        assert 0 <= hit.start < hit.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(WILD)
def test_when_text_is_folded_for_search_then_each_character_maps_on_its_own(text: str) -> None:
    # search_form replaces only the characters that change; the result is a per-character mapping of clean()
    from counterpitch.text import clean
    from counterpitch.watchlist import _fold_char

    expected = "".join(c if c.isascii() else _fold_char(c) for c in clean(text))
    assert search_form(text) == expected


@settings(max_examples=150, deadline=None)
@given(WILD, WILD)
def test_when_lookups_get_random_strings_then_they_never_crash(first: str, second: str) -> None:
    wl = FUZZ_LIST
    wl.match_company(first)
    wl.match_person(first)
    wl.by_profile_url(first)
    wl.by_email_domain(first)
    wl.by_handle(first)
    list(wl.contacts_in(first))
    a = approach({"name": first, "company": second, "headline": second, "email": first}, text=first + second)
    findings(a, Context(watchlist=wl))
