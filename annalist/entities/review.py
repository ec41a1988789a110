"""The curation report: what discovery found, the merges worth making, and the stanzas to paste.

Candidates come ranked (most outlets, then most mentions). The report and the site's review
page show them a page at a time, so they stay usable on archives of 10,000 articles.
Merge suggestions: a name whose words are the end (or the start) of exactly one longer name
("Bambang Soelistyo" of "Fransiskus Bambang Soelistyo"), an acronym spelling the initials of
one name ("ICC"), and spellings of one name that rapidfuzz finds nearly equal once spaces,
hyphens and case are set aside ("Abdel Rahman" / "Abdulrahman").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from rapidfuzz import fuzz, process

from annalist.model import ENTITY_TYPES, Candidate, Entity, Merge
from annalist.text import slugify

from .discover import candidate_slug
from .keys import alias_key

SHOWN_CONTEXTS = 3
PER_PAGE = 50
SPELLING_SCORE = 90  # rapidfuzz ratio (0-100) of the compact forms
_MIN_FUZZY = 6  # compact forms shorter than this are too short to compare by spelling
_JOINERS = frozenset("of for and the de &".split())


@dataclass(frozen=True)
class _Name:
    name: str
    key: str
    type: str
    record: str | None  # the authority file's id, None for a discovered name
    weight: int  # mentions, to merge the rarer into the commoner


def suggest_merges(candidates: Sequence[Candidate], entities: Sequence[Entity]) -> tuple[Merge, ...]:
    """Merges worth a curator's look, at most one per discovered name, strongest first."""
    names = [_Name(c.name, alias_key(c.name), c.type_guess, None, c.count) for c in candidates]
    records = [_Name(n, alias_key(n), e.type, e.id, 10**9) for e in entities for n in (e.name, *e.aliases)]
    everything = records + names
    found: dict[str, Merge] = {}
    by_word, by_initials = _indexes(everything)
    for name in names:
        merge = _short_form(name, by_word, by_initials)
        if merge:
            found[name.name] = merge
    for merge in _spellings(names, everything):
        found.setdefault(merge.name, merge)
    return tuple(sorted(found.values(), key=lambda m: (-m.score, m.reason, m.name)))


def _compatible(a: str, b: str) -> bool:
    return a == b or "unknown" in (a, b)


def _short_form(name: _Name, by_word: dict[str, list[_Name]], by_initials: dict[str, list[_Name]]) -> Merge | None:
    words = name.key.split()
    if not words:
        return None
    longer: dict[str, _Name] = {}
    for other in by_word.get(words[-1], []) + by_word.get(words[0], []):
        parts = other.key.split()
        if len(parts) > len(words) and _compatible(name.type, other.type) and (
                parts[-len(words):] == words or parts[:len(words)] == words):
            longer.setdefault(other.record or other.key, other)
    if len(words) == 1 and name.name.isupper():
        for other in by_initials.get(words[0].replace(".", ""), []):
            if _compatible(name.type, other.type):
                longer.setdefault(other.record or other.key, other)
    if len(longer) != 1:
        return None  # none, or a short form of several names: the curator decides
    target = next(iter(longer.values()))
    return Merge(name.name, target.name, target.record, "short form", 100.0)


def _indexes(everything: list[_Name]) -> tuple[dict[str, list[_Name]], dict[str, list[_Name]]]:
    """Multi-word names by their first and last word, and by their initials."""
    words: dict[str, list[_Name]] = defaultdict(list)
    initials: dict[str, list[_Name]] = defaultdict(list)
    for n in everything:
        parts = n.key.split()
        if len(parts) > 1:
            words[parts[-1]].append(n)
            if parts[0] != parts[-1]:
                words[parts[0]].append(n)
            letters = "".join(p[0] for p in parts if p not in _JOINERS)
            if len(letters) >= 2:
                initials[letters].append(n)
    return words, initials


def _compact(key: str) -> str:
    return re.sub(r"[\s'.-]", "", key)


def _spellings(names: list[_Name], everything: list[_Name]) -> list[Merge]:
    """Nearly equal compact spellings, compared within blocks of the same first letter."""
    blocks: dict[str, list[_Name]] = defaultdict(list)
    for n in everything:
        compact = _compact(n.key)
        if len(compact) >= _MIN_FUZZY:
            blocks[compact[0]].append(n)
    merges = []
    for block in blocks.values():
        compacts = [_compact(n.key) for n in block]
        for i, name in enumerate(block):
            if name.record is not None:
                continue
            hits = process.extract(compacts[i], compacts, scorer=fuzz.ratio, score_cutoff=SPELLING_SCORE, limit=6)
            best = None
            for _, score, j in hits:
                other = block[j]
                if j == i or compacts[j] == compacts[i] and other.record is None or not _compatible(name.type, other.type):
                    continue
                if other.weight < name.weight or (other.weight == name.weight and other.name >= name.name):
                    continue  # the rarer spelling joins the commoner, never both ways
                if best is None or (score, other.weight) > (best[0], best[1].weight):
                    best = (score, other)
            if best:
                merges.append(Merge(name.name, best[1].name, best[1].record, "spelling", round(best[0], 1)))
    return merges


# --- stanzas and the report ----------------------------------------------------------------------


def review_yaml(candidate: Candidate) -> str:
    """A ready-to-paste authority-file stanza. An unguessed type is left as `unknown`, which
    load_authority rejects until the curator chooses one."""
    type_line = f"type: {candidate.type_guess}"
    if candidate.type_guess not in ENTITY_TYPES:
        type_line = "type: unknown  # choose: " + " | ".join(ENTITY_TYPES)
    else:
        type_line += "  # guessed: check"
    lines = [
        f"- id: {candidate_slug(candidate.name)}",
        f"  name: {_quoted(candidate.name)}",
        f"  {type_line}",
        "  aliases: []",
        '  description: ""  # one line: who or what, for readers',
    ]
    return "\n".join(lines) + "\n"


def decision_yaml(candidate: Candidate, merge: Merge | None = None) -> str:
    """A ready-to-paste stanza for `content/curation.yaml`: merge when one is suggested, else
    accept with the guessed type; change `decision:` to reject to keep the name out for good."""
    lines = [f"- name: {_quoted(candidate.name)}"]
    if not slugify(candidate.name):
        lines.append("  id: CHOOSE  # a slug in Latin letters, such as tadmur")
    if merge is not None and merge.into_id:
        lines += ["  decision: merge  # or: accept | reject", f"  into: {merge.into_id}  # {merge.reason} of {merge.into}"]
    else:
        kind = candidate.type_guess if candidate.type_guess in ENTITY_TYPES else "unknown"
        lines += ["  decision: accept  # or: reject | merge (with into: ID)",
                  f"  type: {kind}  # {'guessed: check' if kind != 'unknown' else 'choose: ' + ' | '.join(ENTITY_TYPES)}"]
        if merge is not None:
            lines.append(f"  # looks like a {merge.reason} of the discovered name {merge.into!r}: decide that one first")
    return "\n".join(lines) + "\n"


def pages(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-total // per_page))


def review_report(candidates: Sequence[Candidate], merges: Sequence[Merge] = (), page: int = 1,
                  per_page: int = PER_PAGE) -> str:
    """Terminal text for `annalist entities --review`: one page of names, most widely printed first."""
    if not candidates:
        return "No names outside the authority file.\n"
    count = pages(len(candidates), per_page)
    page = min(max(1, page), count)
    first = (page - 1) * per_page
    shown = candidates[first:first + per_page]
    by_name = {m.name: m for m in merges}
    mentions = sum(c.count for c in candidates)
    head = (f"{len(candidates)} names not in entities.yaml ({mentions} mentions), {len(merges)} merges suggested; "
            f"most outlets and mentions first. Page {page} of {count}: names {first + 1}-{first + len(shown)}.\n"
            "Paste the stanzas you agree with into content/curation.yaml.\n")
    body = "".join("\n" + _section(first + i, c, by_name.get(c.name)) for i, c in enumerate(shown, 1))
    more = f"\nNext: annalist entities --review --page {page + 1}\n" if page < count else ""
    return head + body + more


def _section(number: int, candidate: Candidate, merge: Merge | None) -> str:
    times = "once" if candidate.count == 1 else f"{candidate.count} times"
    spread = f"{candidate.articles} article{'s' if candidate.articles != 1 else ''}"
    if candidate.outlets:
        spread += f", {len(candidate.outlets)} outlet{'s' if len(candidate.outlets) != 1 else ''}: " + ", ".join(candidate.outlets[:5])
    lines = [f"{number}. {candidate.name}  ({candidate.type_guess}, {times}; {spread})"]
    if len(candidate.spellings) > 1:
        lines.append("     spellings: " + ", ".join(candidate.spellings))
    if candidate.ambiguous:
        lines.append("     ambiguous short form of: " + ", ".join(candidate.ambiguous) + " (no full name in the article)")
    if merge is not None:
        lines.append(f"     suggested merge ({merge.reason}, {merge.score:g}): into {merge.into}"
                     + (f" [{merge.into_id}]" if merge.into_id else " (also awaiting review)"))
    for article, paragraph, context in candidate.contexts[:SHOWN_CONTEXTS]:
        lines.append(f"     {article} ¶{paragraph}: {context}")
    if len(candidate.contexts) > SHOWN_CONTEXTS:
        lines.append(f"     … and {len(candidate.contexts) - SHOWN_CONTEXTS} more")
    stanza = "".join("   " + line + "\n" for line in decision_yaml(candidate, merge).splitlines())
    return "\n".join(lines) + "\n\n" + stanza


# Names YAML surely reads back unchanged as a plain scalar: a letter first, then only letters,
# digits, single spaces and . ' - & (no indicator, no ": ", no " #", nothing it resolves to a
# number, a date or null), unless it is one of YAML 1.1's booleans or nulls, however cased.
_PLAIN = re.compile(r"[^\W\d_](?:[\w.'&-]| (?! ))*(?<! )")
_RESOLVED = frozenset("yes no true false on off null".split())


def _quoted(text: str) -> str:
    """The name as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted.
    Most names are plain at sight (_PLAIN, the same answer without parsing: a review list holds
    thousands); the others are read back by YAML."""
    if _PLAIN.fullmatch(text) and "_" not in text and text.lower() not in _RESOLVED:
        return text
    try:
        if yaml.safe_load(text) == text and "#" not in text and ": " not in text:
            return text
    except yaml.YAMLError:
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
