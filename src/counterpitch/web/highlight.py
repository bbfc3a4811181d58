"""Evidence highlighting: untrusted text plus the spans findings point at, as escaped HTML with <mark>.

This is the only place page code turns message or profile text into markup, so it is the one place to get
escaping right: every piece of the text goes through `markupsafe.escape`, and the only tags added are
`<mark>` elements whose one attribute (the finding titles) is escaped too. Spans that overlap are merged,
spans outside the text are clamped or dropped, and evidence without offsets is located by its quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from counterpitch.model import Finding

_MARK = Markup('<mark title="{}">{}</mark>')


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str = ""


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """`text` escaped, with each (merged) span wrapped in <mark title="labels">."""
    merged = _merge(text, spans)
    out: list[Markup] = []
    at = 0
    for span in merged:
        out.append(escape(text[at : span.start]))
        out.append(_MARK.format(span.label, text[span.start : span.end]))  # format() escapes both arguments
        at = span.end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def _merge(text: str, spans: Iterable[Span]) -> list[Span]:
    """Clamped to the text, empty ones dropped, overlapping or touching ones joined (labels kept, no repeats)."""
    clean = sorted(
        (Span(max(0, s.start), min(len(text), s.end), s.label) for s in spans if s.end > s.start),
        key=lambda s: (s.start, s.end),
    )
    out: list[Span] = []
    for span in clean:
        if span.end <= span.start:
            continue
        if out and span.start <= out[-1].end:
            last = out[-1]
            labels = last.label.split("; ") if last.label else []
            if span.label and span.label not in labels:
                labels.append(span.label)
            out[-1] = Span(last.start, max(last.end, span.end), "; ".join(labels))
        else:
            out.append(span)
    return out


def spans_for(findings: Sequence[Finding], field: str, text: str) -> list[Span]:
    """The spans of every finding's evidence on `field` (a dotted path such as text or sender.about)."""
    spans = []
    for finding in findings:
        for ev in finding.evidence:
            if ev.field != field:
                continue
            if ev.start is not None and ev.end is not None:
                spans.append(Span(ev.start, ev.end, finding.title))
            elif ev.quote:
                at = text.find(ev.quote)
                if at >= 0:
                    spans.append(Span(at, at + len(ev.quote), finding.title))
            else:  # the whole field is the evidence (a listed name, a flagged firm)
                spans.append(Span(0, len(text), finding.title))
    return spans


def marked(text: str | None, findings: Sequence[Finding], field: str) -> Markup:
    """Template helper: the field's text with its evidence marked (empty markup for a missing field)."""
    if not text:
        return Markup("")
    return highlight(text, spans_for(findings, field, text))


def flagged_fields(findings: Sequence[Finding]) -> frozenset[str]:
    """Every field some finding cites, so a page can mark whole fields (a flagged company, a listed name)."""
    return frozenset(ev.field for f in findings for ev in f.evidence)
