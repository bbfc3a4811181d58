"""Remake data/words.txt.gz: the real words the phrase rules' typo reading must never "correct".

Why: the rules read a misspelt key word as the word they know ("clearence" as "clearance", decision 0040), but
only a token that is no real word may be read so: "gravel" must not become "travel", nor "contract" "contact".
This script builds that list of real words from well-kept registries, so it can be remade and checked, not typed
by hand. Nothing is downloaded at run time: the engine reads the gzip file shipped in the package.

    python -m venv /tmp/words && /tmp/words/bin/pip install wordfreq pyyaml google-re2 rapidfuzz
    apt-get install wbritish-large wamerican-large    # Debian's SCOWL lists (size 70)
    PYTHONPATH=src /tmp/words/bin/python scripts/build_words.py

What goes in (words of five letters or more: the reader never looks a shorter one up):
- every entry of Debian's large British and American English word lists (SCOWL size 70, which lists inflections
  and common proper names: "shortlisted", "analyzes", "rebooting"), lower-cased, split at apostrophes as the reader
  splits them;
- every English word wordfreq counts at least `ENGLISH_ZIPF` (words SCOWL lacks: "whatsapp", "webinar");
- every word of the training set's other languages (fr de es it nl pl) wordfreq counts at least `FOREIGN_ZIPF`,
  so a French "notez" or a Spanish "contacto" is not read as an English key word.

What stays out (the noisy channel, narrowly): an English word rarer than `RARE_ZIPF` that is the same as a word at
least `CHANNEL_ZIPF` more frequent (100 times) but for one letter not doubled ("instal" and "install", "enrol" and
"enroll"): it is far more often a slip for that word, or the other spelling of it, than meant. Dropping it only lets
the corrector read it as a key word when it is one edit from one; everything else stays as written. The dropped
words are printed so that a change can be reviewed.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import subprocess
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from wordfreq import iter_wordlist, zipf_frequency

from counterpitch.detectors.spelling import COMMON, TOKEN

#: Any run of the reader's letters (words of every length are gathered: a short one may be a long one's slip).
WORD = re.compile(TOKEN.pattern.replace("{5,}", "+"))

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "counterpitch" / "data" / "words.txt.gz"
SCOWL = (Path("/usr/share/dict/british-english-large"), Path("/usr/share/dict/american-english-large"))
PACKAGES = ("wbritish-large", "wamerican-large")
LANGUAGES = ("fr", "de", "es", "it", "nl", "pl")
#: English words SCOWL lacks are taken from wordfreq at least this frequent (about twice per million words):
#: lower, and common misspellings come in ("recieve" is 2.75, "definately" 2.87, "teh" 3.04).
ENGLISH_ZIPF = 3.3
#: The other languages' words at least this frequent (the commonest fifteen thousand or so in each).
FOREIGN_ZIPF = 3.5
#: An English word this much rarer than a neighbour one edit away, and rarer than RARE_ZIPF, is a likely slip.
CHANNEL_ZIPF = 2.0
RARE_ZIPF = 2.5


def is_token(word: str) -> bool:
    """A word the reader could meet: one whole run of its letters."""
    return WORD.fullmatch(word) is not None


def scowl() -> set[str]:
    words = set()
    for path in SCOWL:
        for line in path.read_text("utf-8").split():
            # The reader's tokens stop at an apostrophe: "couldn't" is read as "couldn" and "t".
            words.update(line.lower().split("'"))
    return {w for w in words if is_token(w)}


def frequent(lang: str, least: float) -> set[str]:
    out = set()
    for w in iter_wordlist(lang):
        if zipf_frequency(w, lang) < least:
            break
        if is_token(w):
            out.add(w)
    return out


def doubled(word: str) -> Iterable[str]:
    """The word with one of its letters doubled: "instal" -> "iinstal", "innstal", ..., "install"."""
    for i, c in enumerate(word):
        if c.isalpha():
            yield word[: i + 1] + c + word[i + 1 :]


def slips(english: set[str]) -> dict[str, str]:
    """English words far more often a slip for a neighbour than meant: word -> the likelier word.

    Only a letter doubled or not: the commonest slip, and the British-American split the rules' patterns do not
    always spell both ways ("instal" and "install", "enrol" and "enroll"). Any other near word stays a word:
    "ravel" is not read as "travel", nor "retort" as "report".
    """
    zipf = {w: zipf_frequency(w, "en") for w in english}
    out = {}
    for w in english:
        if zipf[w] >= RARE_ZIPF:
            continue
        for v in doubled(w):
            if v in zipf and zipf[v] - zipf[w] >= CHANNEL_ZIPF:
                out[w] = v
    return out


def commonness(word: str) -> tuple[float, float]:
    """How common a word is: in English first (most messages are in English), then in the other languages."""
    return zipf_frequency(word, "en"), max(zipf_frequency(word, lang) for lang in LANGUAGES)


def scowl_version(package: str) -> str:
    try:
        found = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
        return found.stdout.strip() or "?"
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    english = scowl() | frequent("en", ENGLISH_ZIPF)
    dropped = slips(english)
    english -= dropped.keys()
    dropped = {w: v for w, v in dropped.items() if TOKEN.fullmatch(w)}  # the ones the list would have held
    foreign: set[str] = set()
    for lang in LANGUAGES:
        foreign |= frequent(lang, FOREIGN_ZIPF)
    # A foreign word is kept even if it is an English slip ("adres"): it is a real word in a language we read.
    # The commonest words first (the reader keeps them apart, in a set small enough to stay in the processor's
    # cache), then the rest in alphabetical order (which compresses better).
    words = sorted(w for w in english | foreign if TOKEN.fullmatch(w))
    head = sorted(words, key=lambda w: (*(-f for f in commonness(w)), w))[:COMMON]
    words = head + sorted(set(words) - set(head))
    header = [
        "# Real words the phrase rules' typo reading never corrects (detectors/spelling.py, decision 0040).",
        "# Made by scripts/build_words.py: do not edit by hand, remake it. One lower-case word of 5+ letters a line:"
        f" the {COMMON} commonest first, then the rest in alphabetical order.",
        f"# source: Debian {' and '.join(f'{p} {scowl_version(p)}' for p in PACKAGES)} (SCOWL size 70 British and"
        " American English; licence: SCOWL copyright, free use and redistribution)",
        f"# source: wordfreq {version('wordfreq')}: English words of Zipf >= {ENGLISH_ZIPF}; {' '.join(LANGUAGES)}"
        f" words of Zipf >= {FOREIGN_ZIPF} (licence: Apache-2.0 code, CC BY-SA 4.0 data)",
        f"# left out: {len(dropped)} English words rarer than Zipf {RARE_ZIPF} that are a word at least {CHANNEL_ZIPF}"
        " more frequent with a letter not doubled (instal, meting); scripts/build_words.py lists them",
        f"# words: {len(words)} ({sum(1 for w in words if w in english)} English, the rest in the other languages)",
    ]
    body = "\n".join(header + words) + "\n"
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    args.out.write_bytes(buf.getvalue())
    print("\n".join(header))
    print(f"wrote {args.out} ({len(buf.getvalue()):,} bytes)")
    for w, v in sorted(dropped.items()):
        print(f"left out: {w} (for {v})")


if __name__ == "__main__":
    main()
