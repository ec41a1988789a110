"""Article + mentions + cross-references → annotated Markdown.

The Markdown is the archive's editable intermediate form, readable and correctable by hand:

    ---
    <YAML front matter: every metadata field with its origin>
    ---

    {#p3}
    [Syria]{entity=syria}'s forces recaptured [Palmyra]{entity=palmyra} on Sunday.[^p3.1]
    [A sentence no other outlet reports.]{.single}

    [^p3.1]: Also reported by 1 other outlet (1 independent):
        - **Ynet**, [¶ 4](2016-03-27-ynet-….html#p4): “…”
        - also in TRT World’s report of 25 March 2016, [¶ 2](2016-03-25-trt-world-….html#p2): “…”

Syntax is that of markdown-it-py's mdit-py-plugins: `attrs` (spans and block attributes),
`footnote` and `front_matter`; see annalist/markdown/ for how it renders.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from .. import urls
from ..model import Annotated, Article, CrossRef, Field, Match, Mention, Sentence

# Characters that would otherwise start Markdown syntax inside running text.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|~&!^$])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+\-=])")
_ORDERED_LIST_START = re.compile(r"^(\s*\d+)([.)])")


def escape(text: str) -> str:
    """Escape article text so that Markdown shows it literally (it is untrusted)."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    escaped = _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _ORDERED_LIST_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _field(f: Field) -> dict:
    out = {"value": f.value, "origin": f.origin}
    if f.note:
        out["note"] = f.note
    return out


def front_matter(article: Article) -> dict:
    return {
        "id": article.id,
        "title": article.title,
        "standfirst": article.standfirst,
        "outlet": _field(article.outlet),
        "published": _field(article.published),
        "url": _field(article.url),
        "language": _field(article.language),
        "dateline": article.dateline,
        "credits": list(article.credits),
        "captions": list(article.captions),
        "source_file": article.source_file,
        "sha256": article.sha256,
        "encoding": article.encoding,
    }


# The characters PyYAML's two emitters print alike (every one, alone and among others, is checked
# by tests/test_annotate.py): front matter made only of them goes through libyaml's, about five
# times faster; one with any other (an emoji, U+0085, a lone surrogate) through the pure-Python
# one, whose text the front matter has always been.
_LIBYAML_ALIKE = re.compile(r"[\x00-\x84\x86-\ud7ff\ue000-\uffff]*")
_LIBYAML = getattr(yaml, "CSafeDumper", None)


def front_matter_yaml(meta: dict) -> str:
    """yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000), made faster."""
    if _LIBYAML is not None and all(_LIBYAML_ALIKE.fullmatch(text) for text in _strings(meta)):
        return yaml.dump(meta, Dumper=_LIBYAML, allow_unicode=True, sort_keys=False, width=1000)
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def footnote_label(crossref: CrossRef, sentence_number: int) -> str:
    """The footnote's label, and so its anchor (`#fn-p3.2`): paragraph number and the number of the
    sentence within the paragraph (1 = its first sentence), whether or not the sentences before it
    have footnotes. It depends on the paragraph's text alone, so a footnote that comes or goes in
    a later build (another outlet added to the archive) never moves another footnote's anchor."""
    return f"p{crossref.paragraph}.{sentence_number}"


def _quote(text: str) -> str:
    return "“" + escape(" ".join(text.split())) + "”"


@dataclass(frozen=True)
class Report:
    """What a footnote says about the article a match comes from."""

    outlet: str | None  # None when unknown: two unknown outlets are never taken for one
    date: str  # as readers see it: "25 March 2016", "27 March 2016 (inferred)", "date unknown"
    title: str = ""


UNKNOWN = Report(None, "date unknown")


def outlet_key(article_id: str, report: Report) -> str:
    """What counts as one outlet: its name, or the article itself when the outlet is unknown."""
    return report.outlet if report.outlet else f"unknown:{article_id}"


def _outlet_label(report: Report) -> str:
    if report.outlet:
        return f"**{escape(report.outlet)}**"
    detail = f"“{escape(report.title)}”, " if report.title else ""
    return f"**an unknown outlet** ({detail}{escape(report.date)})"


def _link(match: Match) -> str:
    target = urls.relative(urls.article("x"), urls.paragraph(match.article, match.paragraph))
    return f"[¶ {match.paragraph}]({target})"


def _notes(match: Match) -> str:
    notes = []
    if match.shared_wording:
        notes.append("shared wording (a reprint or common agency copy, not an independent report)")
    notes.extend(escape(d) for d in match.differences)
    return " — " + "; ".join(notes) + "." if notes else ""


def _relation(match: Match) -> str:
    return " (reports the same event)" if match.relation == "event" else ""


def _match_line(match: Match, report: Report) -> str:
    return f"- {_outlet_label(report)}, {_link(match)}{_relation(match)}: {_quote(match.text)}{_notes(match)}"


def _same_outlet_line(match: Match, report: Report) -> str:
    where = f"also in {escape(report.outlet or '')}’s report of {escape(report.date)}"
    return f"- {where}, {_link(match)}{_relation(match)}: {_quote(match.text)}{_notes(match)}"


def footnote(crossref: CrossRef, label: str, reports: Mapping[str, Report]) -> str:
    """`reports`: article id → outlet and date, for every article of the archive.

    Counts outlets, not articles: another article of the article's own outlet is listed as
    "also in <outlet>'s report of <date>" and not counted; every article of an unknown outlet
    counts as its own outlet, since nothing says two unknown outlets are one."""
    own = reports.get(crossref.article, UNKNOWN)
    same = [m for m in crossref.matches if own.outlet and reports.get(m.article, UNKNOWN).outlet == own.outlet]
    # sentences stating the same claim first, then those reporting the same event (a looser link)
    others = sorted((m for m in crossref.matches if m not in same), key=lambda m: m.relation == "event")
    keys = {m.article: outlet_key(m.article, reports.get(m.article, UNKNOWN)) for m in others}
    claim_outlets = {keys[m.article] for m in others if m.relation != "event"}
    n = len(claim_outlets)
    independent = len({keys[m.article] for m in others if m.relation != "event" and not m.shared_wording})
    event_only = len(set(keys.values()) - claim_outlets)
    if n:
        head = f"Also reported by {n} other {'outlet' if n == 1 else 'outlets'}"
        head += f" ({independent} independent)" if independent != n else ""
        if event_only:
            head += f"; {event_only} more {'reports' if event_only == 1 else 'report'} the same event"
    elif event_only:
        head = (f"No other outlet states this; {event_only} other {'outlet reports' if event_only == 1 else 'outlets report'}"
                " the same event")
    else:
        head = "No other outlet reports this"
    lines = [f"[^{label}]: {head}:"]
    lines.extend("    " + _match_line(m, reports.get(m.article, UNKNOWN)) for m in others)
    lines.extend("    " + _same_outlet_line(m, reports.get(m.article, UNKNOWN)) for m in sorted(same, key=lambda m: m.relation == "event"))
    return "\n".join(lines)


def _paragraph_markdown(
    text: str,
    mentions: Sequence[Mention],
    sentences: Sequence[Sentence],
    labels: Mapping[tuple[int, int], str],
) -> str:
    """Interleave sentence marks and entity spans into one paragraph's escaped text."""
    out: list[str] = []
    pos = 0
    bounds = sorted(sentences, key=lambda s: s.start) or []

    starts = [m.start for m in mentions]  # mentions come sorted by start

    def spans(start: int, end: int) -> str:
        parts, cursor = [], start
        for m in mentions[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]:
            if m.end > end or m.start < cursor:
                continue
            parts.append(escape(text[cursor:m.start]))
            attr = f"entity={m.entity}" if m.reviewed else f"candidate={m.entity.split(':', 1)[-1]}"
            parts.append(f"[{escape(text[m.start:m.end])}]{{{attr}}}")
            cursor = m.end
        parts.append(escape(text[cursor:end]))
        return "".join(parts)

    for s in bounds:
        if s.start < pos:
            continue
        out.append(spans(pos, s.start))
        label = labels.get((s.start, s.end))
        if label:
            out.append(spans(s.start, s.end) + f"[^{label}]")
        else:
            out.append("[" + spans(s.start, s.end) + "]{.single}")
        pos = s.end
    out.append(spans(pos, len(text)))
    # A paragraph is one Markdown line: collapse stray newlines so they cannot start a block.
    return " ".join("".join(out).splitlines())


def _by_paragraph(values) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for value in values:
        grouped[value.paragraph].append(value)
    return grouped


def to_markdown(item: Annotated, reports: Mapping[str, Report]) -> str:
    """`reports`: article id → Report (outlet, date) for every article of the archive."""
    article = item.article
    meta = front_matter_yaml(front_matter(article))
    blocks = [f"---\n{meta}---"]
    notes: list[str] = []
    # Grouped once, so the cost grows with the article, not with paragraphs × sentences.
    sentences_of = _by_paragraph(item.sentences)
    mentions_of = _by_paragraph(item.mentions)
    refs_of = _by_paragraph(item.crossrefs)
    for para in article.paragraphs:
        p_sentences = sentences_of.get(para.n, [])
        p_mentions = sorted(mentions_of.get(para.n, []), key=lambda m: m.start)
        p_refs = sorted(refs_of.get(para.n, []), key=lambda c: c.start)
        number_of = {(x.start, x.end): n for n, x in enumerate(sorted(p_sentences, key=lambda x: x.start), start=1)}
        labels = {}
        for i, ref in enumerate(p_refs, start=1):
            label = footnote_label(ref, number_of.get((ref.start, ref.end), i))
            labels[(ref.start, ref.end)] = label
            notes.append(footnote(ref, label, reports))
        body = _paragraph_markdown(para.text, p_mentions, p_sentences, labels)
        blocks.append(f"{{#p{para.n}}}\n{body}")
    blocks.extend(notes)
    return "\n\n".join(blocks) + "\n"
