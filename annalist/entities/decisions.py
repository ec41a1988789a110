"""The curator's decisions on discovered names (`content/curation.yaml`).

A YAML list; each stanza decides one name (the review prints them ready to paste):

    - name: Nasser Hussain
      decision: accept            # a new record of the archive
      type: person
      id: nasser-hussain          # optional: a slug; default from the name
      description: England cricket captain.   # optional
    - name: Bambang Soelistyo
      decision: merge             # another spelling or a short form of an existing record
      into: fransiskus-bambang-soelistyo      # an id in entities.yaml or of an accepted name
    - name: Tories
      decision: reject            # never proposed again

Accepted names become records like those of `entities.yaml`; merged names become aliases of
their record; rejected names, in any spelling that matches the same way, are never proposed
again. Errors name the file and line, like the authority file's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from annalist import yamlio
from annalist.model import ENTITY_TYPES, Entity
from annalist.text import slugify

from .authority import _ID, _LOADER, AuthorityError
from .keys import claim_key

FILE = "curation.yaml"
FIELDS = ("name", "decision", "type", "into", "id", "description")
DECISIONS = ("accept", "merge", "reject")


@dataclass(frozen=True)
class Decision:
    name: str
    decision: str  # accept | merge | reject
    type: str | None = None
    into: str | None = None
    id: str | None = None
    description: str = ""
    line: int | None = None


def load_decisions(path: Path) -> tuple[Decision, ...]:
    """The decisions file, checked; a missing file decides nothing."""
    path = Path(path)
    if not path.is_file():
        return ()
    try:
        source = yamlio.read_text(path)
        yamlio.check_depth(source)  # [ nested thousands deep: one line, before the parser recurses
    except yamlio.YAMLFileError as exc:
        raise AuthorityError(path.name, exc.line, exc.message) from None
    return parse_decisions(source, path.name)


def parse_decisions(source: str, file: str = FILE) -> tuple[Decision, ...]:
    errors: list[AuthorityError] = []

    def fail(line: int | None, message: str) -> None:
        errors.append(AuthorityError(file, line, message))

    try:
        root = yaml.compose(source, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise AuthorityError(file, mark.line + 1 if mark else None, f"malformed YAML: {exc.problem or exc}") from None
    if root is None:
        return ()
    if not isinstance(root, SequenceNode):
        raise AuthorityError(file, root.start_mark.line + 1, "the decisions file must be a YAML list of stanzas")
    decisions: list[Decision] = []
    seen: dict[str, int] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, MappingNode):
            fail(line, "each decision must be a mapping with name and decision")
            continue
        values: dict[str, str] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.value not in FIELDS:
                fail(key.start_mark.line + 1, f"unknown field {getattr(key, 'value', key)!r} (known: {', '.join(FIELDS)})")
            elif not isinstance(value, ScalarNode) or not value.value.strip():
                fail(value.start_mark.line + 1, f"{key.value} must be a single non-empty value")
            else:
                values[key.value] = value.value.strip()
        decision = _decision(values, line, fail)
        if decision is None:
            continue
        key = claim_key(decision.name)
        if key in seen:
            fail(line, f"{decision.name!r} decided twice (first on line {seen[key]})")
            continue
        seen[key] = line
        decisions.append(decision)
    if errors:
        raise AuthorityError(file, errors[0].line, errors[0].message, tuple(errors))
    return tuple(decisions)


def _decision(values: dict[str, str], line: int, fail) -> Decision | None:
    name, decision = values.get("name"), values.get("decision")
    if not name or not decision:
        fail(line, "a decision needs a name and a decision (" + " | ".join(DECISIONS) + ")")
        return None
    if decision not in DECISIONS:
        fail(line, f"{name}: unknown decision {decision!r} (one of {', '.join(DECISIONS)})")
        return None
    kind, into, ident = values.get("type"), values.get("into"), values.get("id")
    if decision == "accept" and kind not in ENTITY_TYPES:
        fail(line, f"{name}: accept needs a type (one of {', '.join(ENTITY_TYPES)}), not {kind!r}")
        return None
    if decision == "merge" and not into:
        fail(line, f"{name}: merge needs `into:` the id of the record it is another name of")
        return None
    if ident is not None and not _ID.match(ident):
        fail(line, f"{name}: id {ident!r} must be a slug: lower-case letters, digits, hyphens")
        return None
    return Decision(name, decision, kind, into, ident, values.get("description", ""), line)


def apply_decisions(entities: tuple[Entity, ...], decisions: tuple[Decision, ...],
                    file: str = FILE) -> tuple[tuple[Entity, ...], frozenset[str]]:
    """The records once accepted names are added and merged names made aliases; and the
    rejected names. Raises AuthorityError for a decision that contradicts the records."""
    errors: list[AuthorityError] = []
    records = {e.id: e for e in entities}
    claims = {claim_key(a): e.id for e in entities for a in (e.name, *e.aliases)}
    for d in (d for d in decisions if d.decision == "accept"):
        ident = d.id or slugify(d.name)
        owner = claims.get(claim_key(d.name))
        if not ident:
            errors.append(AuthorityError(file, d.line, f"{d.name}: give an `id:` in Latin letters (a slug such as "
                                                       "palmyra); none can be made from this name"))
        elif owner:
            errors.append(AuthorityError(file, d.line, f"{d.name!r} is already a name of {owner}: nothing to accept"))
        elif ident in records:
            errors.append(AuthorityError(file, d.line, f"{d.name}: id {ident!r} is already used; give another `id:`"))
        else:
            records[ident] = Entity(ident, d.name, d.type, (), d.description, line=d.line)
            claims[claim_key(d.name)] = ident
    for d in (d for d in decisions if d.decision == "merge"):
        owner = claims.get(claim_key(d.name))
        if d.into not in records:
            errors.append(AuthorityError(file, d.line, f"{d.name}: merge into unknown id {d.into!r}"))
        elif owner and owner != d.into:
            errors.append(AuthorityError(file, d.line, f"{d.name!r} is already a name of {owner}, not of {d.into}"))
        elif not owner:
            target = records[d.into]
            records[d.into] = replace(target, aliases=(*target.aliases, d.name))
            claims[claim_key(d.name)] = d.into
    rejected = []
    for d in (d for d in decisions if d.decision == "reject"):
        owner = claims.get(claim_key(d.name))
        if owner:
            errors.append(AuthorityError(file, d.line, f"{d.name!r} is a name of {owner}: remove it there to reject it"))
        rejected.append(d.name)
    if errors:
        raise AuthorityError(file, errors[0].line, errors[0].message, tuple(errors))
    return tuple(records.values()), frozenset(rejected)
