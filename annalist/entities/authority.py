"""The authority file (`content/entities.yaml`): every entity the archive knows, checked.

A YAML list of mappings: id, name, type (required); aliases, description, wikidata, geonames
(optional). Read through YAML nodes so that every error names its line. All errors are
collected; the first is raised, the rest ride along in `AuthorityError.errors`.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from annalist import yamlio
from annalist.model import ENTITY_TYPES, Entity, Problem

from . import propernames as words
from .keys import alias_key, claim_key, is_exact

REQUIRED = ("id", "name", "type")
OPTIONAL = ("aliases", "description", "wikidata", "geonames")
MAX_ID_CHARS = 120
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_GEONAMES = re.compile(r"^[1-9][0-9]*$")


# libyaml's parser when PyYAML has it (its wheels do): a gazetteer-sized file of 50,000 records
# then loads in seconds rather than minutes
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AuthorityError(ValueError):
    """A problem in the authority file; str() is "entities.yaml:12: what is wrong"."""

    def __init__(self, file: str, line: int | None, message: str,
                 errors: tuple[AuthorityError, ...] = ()) -> None:
        self.file = file
        self.line = line
        self.message = message
        self.errors = errors or (self,)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every error found, as build problems."""
        return tuple(Problem(e.file, e.message, e.line) for e in self.errors)


def load_authority(path: Path) -> tuple[Entity, ...]:
    """Read and check the authority file. Raises AuthorityError naming the first bad line."""
    try:
        source = yamlio.read_text(Path(path))
    except yamlio.YAMLFileError as exc:
        raise AuthorityError(Path(path).name, exc.line, exc.message) from None
    return parse_authority(source, Path(path).name)


def parse_authority(source: str, file: str = "entities.yaml") -> tuple[Entity, ...]:
    errors: list[AuthorityError] = []

    def fail(where: Node | int | None, message: str) -> None:
        line = where if isinstance(where, int) or where is None else _line(where)
        errors.append(AuthorityError(file, line, message))

    root = _compose(source, file)
    if root is None:
        return ()
    entities: list[Entity] = []
    if not isinstance(root, SequenceNode):
        fail(root, "the authority file must be a YAML list of entities")
    else:
        parsed = [e for item in root.value if (e := _entity(item, fail)) is not None]
        entities = [entity for entity, _ in parsed]
        _check_unique(parsed, fail)
    if errors:
        raise AuthorityError(file, errors[0].line, errors[0].message, tuple(errors))
    return tuple(entities)


def _compose(source: str, file: str) -> Node | None:
    try:
        yamlio.check_depth(source)  # [ nested thousands deep: one line, before any parser recurses
    except yamlio.YAMLFileError as exc:
        raise AuthorityError(file, exc.line, exc.message) from None
    try:
        return yaml.compose(source, Loader=_LOADER)
    except (yaml.YAMLError, RecursionError):
        pass  # read again by the Python parser, whose messages say more
    try:
        return yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = f"malformed YAML: {exc.problem or exc}"
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            message += f" ({exc.context} begun on line {exc.context_mark.line + 1})"
        raise AuthorityError(file, line, message) from None
    except yaml.YAMLError as exc:
        raise AuthorityError(file, None, f"malformed YAML: {exc}") from None
    except RecursionError:
        raise AuthorityError(file, None, f"YAML nested too deeply (limit {yamlio.MAX_DEPTH} levels)") from None


def _line(node: Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _entity(node: Node, fail) -> tuple[Entity, dict[str, int]] | None:
    """The entity, and the line of each of its names (for alias clashes)."""
    if not isinstance(node, MappingNode):
        fail(node, "each entity must be a mapping with id, name and type")
        return None
    fields: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else None
        if key not in REQUIRED + OPTIONAL:
            fail(key_node, f"unknown field {key!r} (known: {', '.join(REQUIRED + OPTIONAL)})")
        elif key in fields:
            fail(key_node, f"field {key!r} given twice")
        else:
            fields[key] = value_node
    label = _text(fields.get("id")) or "entity"
    for name in REQUIRED:
        if name not in fields or (isinstance(fields[name], ScalarNode) and _text(fields[name]) is None):
            fail(fields.get(name, node), f"{label}: missing field {name!r}")
    values = {name: _scalar(fields[name], name, label, fail) for name in fields if name != "aliases"}
    lines = _aliases(fields.get("aliases"), label, fail)
    aliases = tuple(lines)
    if any(values.get(name) is None for name in REQUIRED):
        return None
    if not _check_values(values, fields, label, fail):
        return None
    entity = Entity(
        id=values["id"], name=values["name"], type=values["type"], aliases=aliases,
        description=values.get("description") or "", wikidata=values.get("wikidata"),
        geonames=values.get("geonames"), line=_line(node),
    )
    return entity, {entity.name: _line(fields["name"]), **lines}


def _text(node: Node | None) -> str | None:
    if isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null" and node.value.strip():
        return node.value.strip()
    return None


def _scalar(node: Node, name: str, label: str, fail) -> str | None:
    if not isinstance(node, ScalarNode):
        fail(node, f"{label}: {name} must be a single value, not a {_kind(node)}")
        return None
    return _text(node)


def _aliases(node: Node | None, label: str, fail) -> dict[str, int]:
    """Alias -> line, in file order, without repeats."""
    if node is None or (isinstance(node, ScalarNode) and _text(node) is None):
        return {}
    if not isinstance(node, SequenceNode):
        fail(node, f"{label}: aliases must be a list, not a {_kind(node)}")
        return {}
    aliases: dict[str, int] = {}
    for item in node.value:
        text = _text(item) if isinstance(item, ScalarNode) else None
        if text is None:
            fail(item, f"{label}: each alias must be a non-empty name, not a {_kind(item)}")
        else:
            aliases.setdefault(text, _line(item))
    return aliases


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "list"
    return "empty value" if _text(node) is None else "value"


def _check_values(values: dict[str, str | None], fields: dict[str, Node], label: str, fail) -> bool:
    checks = (
        ("id", lambda v: bool(_ID.match(v)), "id {!r} must be a slug: lower-case letters, digits, hyphens"),
        ("id", lambda v: len(v) <= MAX_ID_CHARS, "id {!r} is longer than " + str(MAX_ID_CHARS) + " characters (it names a page)"),
        ("type", lambda v: v in ENTITY_TYPES, "unknown type {!r} (one of " + ", ".join(ENTITY_TYPES) + ")"),
        ("wikidata", lambda v: bool(_QID.match(v)), "wikidata {!r} must be a Q-id such as Q5747"),
        ("geonames", lambda v: bool(_GEONAMES.match(v)), "geonames {!r} must be a numeric GeoNames id"),
    )
    ok = True
    for name, valid, message in checks:
        value = values.get(name)
        if value is not None and not valid(value):
            fail(fields[name], f"{label}: " + message.format(value))
            ok = False
    return ok


def _check_unique(parsed: list[tuple[Entity, dict[str, int]]], fail) -> None:
    ids: dict[str, Entity] = {}
    claims: dict[str, Entity] = {}
    for entity, lines in parsed:
        if entity.id in ids:
            fail(entity.line, f"duplicate id {entity.id!r} (first defined on line {ids[entity.id].line})")
            continue
        ids[entity.id] = entity
        for alias, line in lines.items():
            owner = claims.setdefault(claim_key(alias), entity)
            if owner.id != entity.id:
                fail(line, f"alias {alias!r} claimed by {owner.id} and {entity.id} "
                           "(an alias names one record: keep it on one of them)")


_COMMON = words.STOP | words.MONTHS | words.WEEKDAYS | words.TITLES | words.TITLE_MODIFIERS
_SCRIPTS = (("Latin", "LATIN"), ("Cyrillic", "CYRILLIC"), ("Greek", "GREEK"), ("Arabic", "ARABIC"),
            ("Hebrew", "HEBREW"))


def warnings(entities: tuple[Entity, ...], file: str = "entities.yaml") -> list[Problem]:
    """Names that will not match as the curator expects: a common word as an alias ("May",
    "Will": read as the entity wherever it opens a sentence), or a name mixing scripts (a
    Cyrillic "а" inside a Latin name never matches the Latin text)."""
    found = []
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            key = alias_key(name)
            if key in _COMMON and not is_exact(name):
                found.append(Problem(file, f"{entity.id}: {name!r} is a common word; capitalised at the start of "
                                           "a sentence it will be read as this entity (list a longer form instead)",
                                     entity.line, "warning"))
            scripts = sorted({label for c in name if c.isalpha() for label, tag in _SCRIPTS if _in_script(c, tag)})
            if len(scripts) > 1:
                found.append(Problem(file, f"{entity.id}: {name!r} mixes {' and '.join(scripts)} letters "
                                           "(a look-alike letter typed by mistake?); it will not match text in one script",
                                     entity.line, "warning"))
    return found


def _in_script(char: str, tag: str) -> bool:
    import unicodedata

    return unicodedata.name(char, "").startswith(tag)
