"""The curation report: what discovery found, with the stanza to paste into entities.yaml."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from annalist.model import ENTITY_TYPES, Candidate
from annalist.text import slugify

SHOWN_CONTEXTS = 3


def review_yaml(candidate: Candidate) -> str:
    """A ready-to-paste authority-file stanza. An unguessed type is left as `unknown`, which
    load_authority rejects until the curator chooses one."""
    type_line = f"type: {candidate.type_guess}"
    if candidate.type_guess not in ENTITY_TYPES:
        type_line = "type: unknown  # choose: " + " | ".join(ENTITY_TYPES)
    else:
        type_line += "  # guessed: check"
    lines = [
        f"- id: {slugify(candidate.name) or 'name'}",
        f"  name: {_quoted(candidate.name)}",
        f"  {type_line}",
        "  aliases: []",
        '  description: ""  # one line: who or what, for readers',
    ]
    return "\n".join(lines) + "\n"


def review_report(candidates: Sequence[Candidate]) -> str:
    """Terminal text for `annalist entities --review`: most frequent names first."""
    if not candidates:
        return "No names outside the authority file.\n"
    mentions = sum(c.count for c in candidates)
    head = f"{len(candidates)} names not in entities.yaml ({mentions} mentions), most frequent first.\n"
    return head + "".join("\n" + _section(i, c) for i, c in enumerate(candidates, 1))


def _section(number: int, candidate: Candidate) -> str:
    times = "once" if candidate.count == 1 else f"{candidate.count} times"
    lines = [f"{number}. {candidate.name}  ({candidate.type_guess}, {times})"]
    for article, paragraph, context in candidate.contexts[:SHOWN_CONTEXTS]:
        lines.append(f"     {article} ¶{paragraph}: {context}")
    if len(candidate.contexts) > SHOWN_CONTEXTS:
        lines.append(f"     … and {len(candidate.contexts) - SHOWN_CONTEXTS} more")
    stanza = "".join("   " + line + "\n" for line in review_yaml(candidate).splitlines())
    return "\n".join(lines) + "\n\n" + stanza


def _quoted(text: str) -> str:
    """The name as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(text) == text and "#" not in text and ": " not in text:
            return text
    except yaml.YAMLError:
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
