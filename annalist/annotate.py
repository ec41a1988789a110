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

Syntax is that of markdown-it-py's mdit-py-plugins: `attrs` (spans and block attributes),
`footnote` and `front_matter`; see annalist/markdown/ for how it renders.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

import yaml

from . import urls
from .model import Annotated, Article, CrossRef, Field, Match, Mention, Sentence

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


def footnote_label(crossref: CrossRef, index: int) -> str:
    """Stable per article: paragraph number and the sentence's rank within the paragraph."""
    return f"p{crossref.paragraph}.{index}"


def _quote(text: str) -> str:
    return "“" + escape(" ".join(text.split())) + "”"


def _match_line(match: Match, outlets: Mapping[str, str]) -> str:
    target = urls.relative(urls.article("x"), urls.paragraph(match.article, match.paragraph))
    outlet = escape(outlets.get(match.article, "another article"))
    line = f"- **{outlet}**, [¶ {match.paragraph}]({target}): {_quote(match.text)}"
    notes = []
    if match.shared_wording:
        notes.append("shared wording (a reprint or common agency copy, not an independent report)")
    notes.extend(escape(d) for d in match.differences)
    if notes:
        line += " — " + "; ".join(notes) + "."
    return line


def footnote(crossref: CrossRef, label: str, outlets: Mapping[str, str]) -> str:
    """`outlets`: article id → outlet name, for every article of the archive."""
    outlet_of = {m.article: outlets.get(m.article, m.article) for m in crossref.matches}
    others = set(outlet_of.values())
    independent = {outlet_of[m.article] for m in crossref.matches if not m.shared_wording}
    n = len(others)
    head = f"Also reported by {n} other {'outlet' if n == 1 else 'outlets'}"
    head += f" ({len(independent)} independent)" if len(independent) != n else ""
    lines = [f"[^{label}]: {head}:"]
    lines.extend("    " + _match_line(m, outlets) for m in crossref.matches)
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


def to_markdown(item: Annotated, outlets: Mapping[str, str]) -> str:
    article = item.article
    meta = yaml.safe_dump(front_matter(article), allow_unicode=True, sort_keys=False, width=1000)
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
        labels = {}
        for i, ref in enumerate(p_refs, start=1):
            label = footnote_label(ref, i)
            labels[(ref.start, ref.end)] = label
            notes.append(footnote(ref, label, outlets))
        body = _paragraph_markdown(para.text, p_mentions, p_sentences, labels)
        blocks.append(f"{{#p{para.n}}}\n{body}")
    blocks.extend(notes)
    return "\n\n".join(blocks) + "\n"
