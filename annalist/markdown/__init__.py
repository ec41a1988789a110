"""Annotated Markdown → HTML, with markdown-it-py and mdit-py-plugins.

Raw HTML is off: scraped text is untrusted, and anything that looks like a tag is shown as text.

Plugins used, and what this package adds on top of them:
- `front_matter`: the YAML metadata block (returned, not rendered);
- `attrs` (spans and blocks): `{#p7}` before a paragraph gives it its stable anchor, rendered with a
  visible ¶ number that is itself a plain link; `[Palmyra]{entity=palmyra}` becomes a link to the
  entity page carrying its type; `[Name]{candidate=name}` an unreviewed name; `[…]{.single}` a
  single-source sentence;
- `footnote`: cross-source footnotes, whose anchors are made from their labels (`#fn-p3.1`), so
  they stay the same when other footnotes come or go.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs import index as _attrs_index
from mdit_py_plugins.attrs import parse as _attrs_parse
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import render_footnote_ref as _DEFAULT_FOOTNOTE_REF
from mdit_py_plugins.front_matter import front_matter_plugin

from .. import urls, yamlio
from ..model import Entity

_PARAGRAPH_ID = re.compile(r"^p(\d+)$")


@dataclass
class RenderEnv:
    """Per-document state handed to the render rules (markdown-it's `env`)."""

    page: str  # path of the page being rendered, for relative links
    entities: Mapping[str, Entity]
    unknown_entities: list[str] = field(default_factory=list)  # ids used but not in the registry
    # slugs of the names awaiting review that have a page (urls.unreviewed); another: the review list
    candidates: Container[str] = frozenset()
    # Article page path (from the site root) → (headline, date as shown): a link to another article
    # names its date and carries its headline, so two articles of one outlet are told apart.
    articles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _entity_links(state) -> None:
    """Core rule: turn `{entity=…}` / `{candidate=…}` spans into links with the entity's type."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        stack: list[Token] = []
        for token in block.children:
            if token.type == "span_open":
                stack.append(token)
                if token.attrGet("entity") or token.attrGet("candidate"):
                    token.type, token.tag = "entity_open", "a"
            elif token.type == "span_close" and stack:
                opener = stack.pop()
                if opener.type == "entity_open":
                    token.type, token.tag = "entity_close", "a"


def _render_entity_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    renv: RenderEnv = env["annalist"]
    entity_id = str(token.attrGet("entity") or "")
    if entity_id and entity_id in renv.entities:
        entity = renv.entities[entity_id]
        href = urls.relative(renv.page, urls.entity(entity.id))
        return (
            f'<a class="entity entity-{entity.type}" href="{escapeHtml(href)}" '
            f'data-entity="{escapeHtml(entity.id)}">'
        )
    if entity_id:
        renv.unknown_entities.append(entity_id)
        return f'<a class="entity entity-unknown" data-entity="{escapeHtml(entity_id)}">'
    candidate = str(token.attrGet("candidate") or "")
    target = urls.unreviewed(candidate) if candidate in renv.candidates else urls.entities_review()
    href = urls.relative(renv.page, target)
    return (
        f'<a class="entity entity-unreviewed" href="{escapeHtml(href)}" '
        f'data-candidate="{escapeHtml(candidate)}">'
    )


def _render_entity_close(self, tokens, idx, options, env) -> str:
    return "</a>"


def _render_paragraph_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    match = _PARAGRAPH_ID.match(str(token.attrGet("id") or ""))
    if not match:
        return self.renderToken(tokens, idx, options, env)
    n = match.group(1)
    return (
        f'<p id="p{n}" class="para" dir="auto">'
        f'<a class="pnum" href="#p{n}" data-pagefind-ignore '
        f'aria-label="Paragraph {n}: link to this paragraph">¶&#8239;{n}</a> '
    )


def _footnote_anchor_name(self, tokens, idx, options, env) -> str:
    label = tokens[idx].meta.get("label")
    if label is None:  # inline footnotes have no label: fall back on their number
        return str(tokens[idx].meta["id"] + 1)
    return "-" + re.sub(r"[^A-Za-z0-9._-]", "-", str(label))


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    html = self.renderToken(tokens, idx, options, env)
    renv: RenderEnv = env["annalist"]
    href = str(token.attrGet("href") or "")
    if not renv.articles or not href or "://" in href or href.startswith("#"):
        return html
    target = posixpath.normpath(posixpath.join(posixpath.dirname(renv.page), href.split("#", 1)[0]))
    if target not in renv.articles:
        return html
    headline, date = renv.articles[target][:2]
    return f'<a href="{escapeHtml(href)}" title="{escapeHtml(headline)}">{escapeHtml(date)}, '


def _footnote_ref(self, tokens, idx, options, env) -> str:
    """The footnote marker: a word joiner ties it to the word before it (never alone on a line),
    and search never indexes it (no "[4]" in excerpts)."""
    html = _DEFAULT_FOOTNOTE_REF(self, tokens, idx, options, env)
    return html.replace('<sup class="footnote-ref">', '<sup class="footnote-ref" data-pagefind-ignore>&#8288;', 1)


def _footnote_block_open(self, tokens, idx, options, env) -> str:
    return (
        '<section class="footnotes" aria-labelledby="footnotes-heading" data-pagefind-ignore="all">\n'
        '<h2 id="footnotes-heading">Other outlets</h2>\n<ol class="footnotes-list">\n'
    )


def _footnote_anchor(self, tokens, idx, options, env) -> str:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    return f' <a href="#fnref{ident}" class="footnote-backref" aria-label="Back to the sentence">↩&#xfe0e;</a>'


# The attribute sets this package writes -- {#p7}, {.single}, {entity=palmyra}, {candidate=x} --
# read at once; mdit-py-plugins' parser (a state machine run one character at a time, a third
# of the cost of rendering an article) reads them to the same result, and reads anything else.
_SIMPLE_ATTRIBUTES = re.compile(r"\{(?:#([A-Za-z0-9_-]+)|\.([A-Za-z0-9_-]+)|([A-Za-z0-9_:-]+)=([A-Za-z0-9_:-]+))\}")


def _parse_attributes(string: str) -> tuple[int, dict[str, str]]:
    match = _SIMPLE_ATTRIBUTES.match(string)
    if match is None:
        return _attrs_parse.parse(string)
    ident, cls, key, value = match.groups()
    if ident is not None:
        attrs = {"id": ident}
    elif cls is not None:
        attrs = {"class": cls}
    else:
        attrs = {"class" if key == "class" else key: value}
    return match.end() - 1, attrs  # the offset of the closing brace, as parse() gives it


if _attrs_index.parse is _attrs_parse.parse:
    _attrs_index.parse = _parse_attributes


def make_parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .use(front_matter_plugin)
        .use(attrs_plugin, spans=True)
        .use(attrs_block_plugin)
        .use(footnote_plugin)
    )
    md.core.ruler.push("annalist_entities", _entity_links)
    md.add_render_rule("entity_open", _render_entity_open)
    md.add_render_rule("entity_close", _render_entity_close)
    md.add_render_rule("paragraph_open", _render_paragraph_open)
    md.add_render_rule("footnote_anchor_name", _footnote_anchor_name)
    md.add_render_rule("footnote_block_open", _footnote_block_open)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    return md


_PARSER = make_parser()


def split_front_matter(text: str) -> tuple[dict, str]:
    """The YAML front matter (as a dict) and the Markdown body after it."""
    tokens = _PARSER.parse(text)
    if tokens and tokens[0].type == "front_matter":
        meta = yamlio.load(tokens[0].content) or {}  # YAMLFileError (a ValueError) when broken
        lines = text.splitlines(keepends=True)
        end_line = tokens[0].map[1] if tokens[0].map else 0
        return (meta if isinstance(meta, dict) else {}), "".join(lines[end_line:])
    return {}, text


def render(text: str, renv: RenderEnv) -> str:
    """HTML for an annotated Markdown document (front matter skipped)."""
    return _PARSER.render(text, {"annalist": renv})
