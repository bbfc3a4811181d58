"""Hypothesis strategies shared by the fuzz tests: hostile cell values and byte-level mutations."""

from __future__ import annotations

from hypothesis import strategies as st

#: Values that have broken CSV, date, HTML and URL readers somewhere: quoting, NULs, dates of every shape.
_TOKENS = [
    "",
    " ",
    '"',
    '""',
    ",",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\ufeff",
    "\u202f",
    "\u2028",
    "=cmd|' /C calc'!A0",
    "+1",
    "-",
    "@",
    "<p>",
    "</p>",
    "<a href='https://example.org/x'>",
    "</a>",
    "<br>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&",
    "%FIRSTNAME%",
    "spinmail-quill-editor",
    "Yes",
    "No",
    "INCOMING",
    "OUTGOING",
    "https://www.linkedin.com/in/x",
    "http://",
    "www.",
    "2023-05-01 14:02:11 UTC",
    "2023/05/03 09:30:00 UTC",
    "3/5/23, 4:07\u202fPM",
    "13/45/23, 25:61 PM",
    "12 Feb 2023",
    "Feb 2023",
    "Foo 2023",
    "0000-00-00",
    "9999-12-31 23:59:59 UTC",
    "2023-02-30",
    "31 Feb 2023",
    "1/1/1, 0:00 AM",
    "1" * 40,
    "é",
    "\U0001f600",
    "\ud800",
    "x" * 300,
]
CELLS = st.one_of(st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join), st.text(max_size=60))

#: Byte edits: (position, kind, byte). Kinds: overwrite one byte, insert one, delete one, cut the rest off.
MUTATIONS = st.lists(
    st.tuples(st.integers(0, 1 << 20), st.sampled_from(["set", "insert", "delete", "cut"]), st.integers(0, 255)),
    max_size=6,
)


def mutate(data: bytes, edits: list[tuple[int, str, int]]) -> bytes:
    """Apply `MUTATIONS` to `data`; positions wrap round its length."""
    out = bytearray(data)
    for at, kind, value in edits:
        if not out:
            out.append(value)
            continue
        i = at % len(out)
        if kind == "set":
            out[i] = value
        elif kind == "insert":
            out.insert(i, value)
        elif kind == "delete":
            del out[i]
        else:
            del out[i:]
    return bytes(out)
