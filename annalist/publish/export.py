"""The archive's machine-readable edition: a contract later versions extend and never break.

site/data/articles/<id>.json  — one article: metadata, paragraphs, mentions, cross-references
site/data/entities.json       — the authority file with mention counts

Field names and meanings are documented in README ("Data export"). New fields may be added;
existing ones keep their name and meaning.
"""

from __future__ import annotations

import json
import math
from collections import Counter

from .. import urls
from ..config import Edition
from ..model import Annotated, Corpus, Difference, Field


def _field(f: Field) -> dict:
    return {"value": f.value, "origin": f.origin, "note": f.note}


def difference_record(d: Difference) -> dict:
    """A difference between two linked sentences, typed (README, "Data export")."""
    return {"kind": d.kind, "disagreement": d.disagreement, "there": d.there, "here": d.here,
            "there_value": d.there_value or None, "here_value": d.here_value or None,
            "counts": d.counts or None, "text": d.text}


def article_record(item: Annotated, edition: Edition) -> dict:
    a = item.article
    return {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet.value,
        "published": a.published.value,
        "source_file": a.source_file,
        "sha256": a.sha256,
        "original": urls.source(a.original),
        "url": urls.absolute(edition.settings.base_url, urls.article(a.id)),
        "paragraphs": [{"n": p.n, "text": p.text} for p in a.paragraphs],
        "mentions": [
            {"entity": m.entity, "text": m.text, "paragraph": m.paragraph, "start": m.start, "end": m.end,
             "reviewed": m.reviewed}
            for m in item.mentions
        ],
        "crossrefs": [
            {
                "paragraph": c.paragraph,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "matches": [
                    {"article": m.article, "paragraph": m.paragraph, "text": m.text, "score": round(m.score, 4),
                     "shared_wording": m.shared_wording, "differences": list(m.differences),
                     # added fields: the link's relation, and each difference typed
                     "relation": m.relation, "difference_details": [difference_record(d) for d in m.details]}
                    for m in c.matches
                ],
            }
            for c in item.crossrefs
        ],
        # Extensions beyond the original contract (added fields only).
        "standfirst": a.standfirst,
        "original_url": a.url.value,
        "language": a.language.value,
        "credits": list(a.credits),
        "captions": list(a.captions),
        "metadata": {"outlet": _field(a.outlet), "published": _field(a.published), "url": _field(a.url),
                     "language": _field(a.language), "agency": _field(a.agency), "author": _field(a.author),
                     "title": {"value": a.title, "origin": a.title_origin, "note": a.title_note}},
        "agency_copy": a.agency_copy,
        "capture": None if a.capture is None else {
            "warc": a.capture.warc, "record_id": a.capture.record_id, "target_uri": a.capture.target_uri,
            "date": a.capture.date, "offset": a.capture.offset, "payload_digest": a.capture.digest,
            "version": a.capture.version, "versions": a.capture.versions,
        },
        "former_ids": list(a.former_ids),
        "markdown": urls.absolute(edition.settings.base_url, urls.article_markdown(a.id)),
    }


def entities_record(corpus: Corpus) -> list[dict]:
    mentions: Counter = Counter()
    articles: dict[str, set[str]] = {}
    for item in corpus.articles:
        for m in item.mentions:
            if m.reviewed:
                mentions[m.entity] += 1
                articles.setdefault(m.entity, set()).add(item.article.id)
    return [
        {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "description": e.description,
            "wikidata": e.wikidata,
            "geonames": e.geonames,
            "mentions": mentions[e.id],
            "articles": len(articles.get(e.id, ())),
            "url": urls.entity(e.id),
        }
        for e in corpus.entities
    ]


def stories_record(corpus: Corpus, edition: Edition) -> list[dict]:
    """site/data/stories.json: every story, its articles in timeline order, its page."""
    return [
        {"id": s.id, "articles": list(s.articles), "pinned": s.pinned,
         "url": urls.absolute(edition.settings.base_url, urls.story(s.id))}
        for s in corpus.stories
    ]


def dumps(value) -> str:
    return json_text(value, 1) + "\n"


def json_text(value, indent: int, sort_keys: bool = False) -> str:
    """json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys), the same text,
    made faster: Python's JSON encoder is written in C only for unindented output. Strings go
    through json's own C escaping; a value of another type than JSON's own (a dict keyed by
    numbers, a set...) is left to json.dumps (tests/test_export.py compares the two)."""
    chunks: list[str] = []
    try:
        _encode(value, chunks, "\n", " " * indent, sort_keys)
    except (_NotPlain, TypeError):  # TypeError: keys of different types to sort
        return json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return "".join(chunks)


class _NotPlain(Exception):
    pass


_string = json.encoder.encode_basestring  # ensure_ascii=False's escaping (the C one when built)


def _encode(value, out: list[str], newline: str, step: str, sort_keys: bool) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float) and math.isfinite(value):
        out.append(float.__repr__(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + step
        out.append("[" + inner)
        first = True
        for item in value:
            if not first:
                out.append("," + inner)
            first = False
            _encode(item, out, inner, step, sort_keys)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + step
        out.append("{" + inner)
        first = True
        for key, item in (sorted(value.items()) if sort_keys else value.items()):
            if not isinstance(key, str):
                raise _NotPlain
            if not first:
                out.append("," + inner)
            first = False
            out.append(_string(key) + ": ")
            _encode(item, out, inner, step, sort_keys)
        out.append(newline + "}")
    else:  # NaN, infinities, another type: json's own rules
        raise _NotPlain


def citation_files(corpus: Corpus, edition: Edition) -> dict[str, str]:
    """Per-article BibTeX, RIS and CSL-JSON, and the whole archive's bibliography."""
    from . import cite

    pairs = [(item.article, cite.CiteContext.of(item.article.id, edition)) for item in corpus.articles]
    files = {}
    for pair in pairs:
        files.update(article_citation_files(*pair))
    files.update(bibliography_files(pairs))
    return files


def article_citation_files(article, ctx) -> dict[str, str]:
    """One article's BibTeX, RIS and CSL-JSON files (see citation_files)."""
    from . import cite

    pair = [(article, ctx)]
    return {urls.citation(article.id, "bib"): cite.bibtex(pair), urls.citation(article.id, "ris"): cite.ris(pair),
            urls.citation(article.id, "json"): cite.csl_json(pair)}


def bibliography_files(pairs) -> dict[str, str]:
    """The whole archive's bibliography, BibTeX and CSL-JSON (see citation_files)."""
    from . import cite

    return {urls.bibliography("bib"): cite.bibtex(pairs), urls.bibliography("json"): cite.csl_json(pairs)}
