"""Evidence highlighting escapes every piece of untrusted text and adds nothing but <mark>. Invented text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from counterpitch.model import Evidence, Finding
from counterpitch.web.highlight import Span, highlight, marked, spans_for

PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>'


def finding(title: str, *evidence: Evidence) -> Finding:
    return Finding(detector="t", title=title, severity="high", evidence=evidence, explanation="because")


def test_when_a_span_covers_markup_then_it_is_escaped_inside_the_mark() -> None:
    out = str(highlight(PAYLOAD, [Span(0, 8, 'title "with" <tags>')]))
    assert out.startswith('<mark title="title &#34;with&#34; &lt;tags&gt;">&lt;script&gt;</mark>')
    assert "<script" not in out and "<img" not in out and "<a " not in out
    assert "onerror=&#34;alert(1)&#34;" in out


def test_when_spans_overlap_or_leave_the_text_then_they_merge_and_clamp() -> None:
    out = str(highlight("abcdefghij", [Span(2, 5, "a"), Span(4, 7, "b"), Span(8, 99, "c"), Span(50, 60, "d")]))
    assert out == 'ab<mark title="a; b">cdefg</mark>h<mark title="c">ij</mark>'


def test_when_evidence_has_only_a_quote_then_it_is_found_and_whole_fields_are_marked() -> None:
    text = "Please keep it between us."
    f = finding("Secrecy", Evidence(field="text", quote="between us"), Evidence(field="sender.name"))
    assert str(marked(text, [f], "text")) == 'Please keep it <mark title="Secrecy">between us</mark>.'
    assert str(marked("Vera <b>", [f], "sender.name")) == '<mark title="Secrecy">Vera &lt;b&gt;</mark>'
    assert spans_for([f], "subject", text) == []


@given(st.text(max_size=200), st.lists(st.tuples(st.integers(-5, 210), st.integers(-5, 210)), max_size=6))
def test_the_text_survives_and_only_marks_are_added(text: str, pairs: list[tuple[int, int]]) -> None:
    out = str(highlight(text, [Span(a, b, "<x>") for a, b in pairs]))
    plain = out.replace('<mark title="&lt;x&gt;">', "").replace("</mark>", "")
    assert "<" not in plain
    unescaped = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&#39;", "'")
    assert unescaped.replace("&amp;", "&") == text
