"""Calibrate the alignment threshold on the hand-labelled seed pairs; write calibration.json.

    python -m annalist.crossref.calibrate            # measure, pick the threshold, write the file
    python -m annalist.crossref.calibrate --report   # also list every labelled pair with its score

The labelled set is tests/fixtures/crossref_pairs.yaml: pairs of sentences from the seed files
(content/sources/), each with the two file names, the two sentences verbatim, a label and a reason.
The threshold chosen is the one with the best recall among those with precision ≥ 0.9 (best F1
if none reaches 0.9); it sits half-way between two observed scores, so it is not fitted to one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from ..model import Article, Field, Mention, Paragraph
from ..text import clean, fold
from . import CALIBRATION_FILE
from .align import candidate_pairs, featurise, inverse_document_frequency
from .compare import score
from .features import Features

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "content" / "sources"
PAIRS_FILE = ROOT / "tests" / "fixtures" / "crossref_pairs.yaml"
MIN_PRECISION = 0.9
MIN_GAP = 0.01  # the threshold sits in a gap at least this wide: small score changes don't flip it

# Used only when the entity stage is not importable: enough names of the seeds to exercise
# entity-id evidence (DAESH = ISIS = IS) and spelling differences.
SEED_ALIASES: dict[str, tuple[str, ...]] = {
    "islamic-state": ("Islamic State", "DAESH", "ISIS", "IS"),
    "bashar-al-assad": ("Bashar al Assad", "Bashar al-Assad", "Bashar Al Assad", "Bashar Assad", "Assad"),
    "palmyra": ("Palmyra", "Tadmur"),
    "syrian-observatory-for-human-rights": ("Syrian Observatory for Human Rights", "Observatory"),
    "rami-abdulrahman": ("Rami Abdulrahman", "Rami Abdel Rahman"),
    "vladimir-putin": ("Vladimir Putin", "Putin"),
    "russia": ("Russia", "Russian", "Russians", "Moscow"),
    "deir-ez-zor": ("Deir al Zor", "Deir al-Zor", "Deir Ezzour", "Deir Ezzor"),
    "unesco": ("UNESCO",),
    "syria": ("Syria", "Syrian"),
    "iraq": ("Iraq", "Iraqi"),
    "raqqa": ("Raqqa",),
    "mosul": ("Mosul",),
    "kobane": ("Kobane",),
    "sana": ("SANA",),
    "united-states": ("United States", "US", "U.S."),
}


def _alias_pattern(aliases: dict[str, tuple[str, ...]]) -> tuple[re.Pattern[str], dict[str, str]]:
    entity_of = {alias: entity for entity, names in aliases.items() for alias in names}
    ordered = sorted(entity_of, key=lambda a: (-len(a), a))
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in ordered) + r")(?!\w)"), entity_of


def alias_mentions(article: Article, aliases: dict[str, tuple[str, ...]] = SEED_ALIASES) -> tuple[Mention, ...]:
    """Stand-in recogniser: longest alias first, case-sensitive, on folded text."""
    pattern, entity_of = _alias_pattern(aliases)
    return tuple(
        Mention(entity_of[m.group(1)], p.text[m.start() : m.end()], p.n, m.start(), m.end())
        for p in article.paragraphs
        for m in pattern.finditer(fold(p.text).replace("\u00a0", " "))
    )


def _unknown(value: str | None = None) -> Field:
    return Field(value, "unknown")


def read_plain(path: Path, article_id: str | None = None) -> Article:
    """Stand-in reader: every non-empty line is a paragraph."""
    raw = path.read_bytes()
    lines = [clean(line.strip()) for line in raw.decode("utf-8").splitlines() if line.strip()]
    paragraphs = tuple(Paragraph(n, text) for n, text in enumerate(lines, start=1))
    return Article(
        id=article_id or path.stem, title=lines[0] if lines else path.stem, standfirst=None,
        outlet=_unknown(), published=_unknown(), url=_unknown(), language=Field("en", "inferred"),
        credits=(), captions=(), paragraphs=paragraphs, source_file=path.name,
        sha256=hashlib.sha256(raw).hexdigest(), encoding="utf-8",
    )


def real_seed_items() -> list[tuple[Article, Sequence[Mention]]]:
    """The seeds as the archive sees them: the real ingest and entity stages."""
    from ..entities import Recogniser, load_authority
    from ..ingest import ingest_corpus

    articles, _ = ingest_corpus(ROOT / "content")
    recogniser = Recogniser(load_authority(ROOT / "content" / "entities.yaml"))
    return [(a, recogniser.article(a)) for a in articles]


def load_seed_items(use_real: bool = False) -> list[tuple[Article, Sequence[Mention]]]:
    """The five seeds with mentions: the real stages when `use_real`, else every raw line as a
    paragraph (the stand-in reader) with the alias table, which unit tests use to find sentences
    by their raw line."""
    if use_real:
        return real_seed_items()
    articles = [read_plain(p) for p in sorted(SOURCES.glob("*.txt"))]
    return [(a, alias_mentions(a)) for a in articles]


def _norm(text: str) -> str:
    return " ".join(fold(text).split())


@dataclass(frozen=True)
class Scored:
    pair: dict
    score: float  # -1 when the pair is not a candidate or fails the evidence gate


def _find(features: Sequence[Features], file_of: dict[str, str], file: str, text: str) -> int | None:
    wanted = _norm(text)
    article = file_of[Path(file).name]
    hits = [i for i, f in enumerate(features) if f.sentence.article == article and wanted in _norm(f.sentence.text)]
    return hits[0] if hits else None


def score_pairs(
    pairs: Sequence[dict], items: Sequence[tuple[Article, Sequence[Mention]]], strict: bool = True
) -> list[Scored]:
    """Score each labelled pair. Not strict: skip pairs whose sentence is not in the body (the
    real ingest stage moves headlines and standfirsts out of the paragraphs)."""
    _, features = featurise(items)
    idf = inverse_document_frequency(features)
    candidates = set(candidate_pairs(features))
    file_of = {Path(a.source_file).name: a.id for a, _ in items}
    out = []
    for pair in pairs:
        i = _find(features, file_of, pair["files"][0], pair["a"])
        j = _find(features, file_of, pair["files"][1], pair["b"])
        if i is None or j is None:
            if strict:
                raise LookupError(f"{PAIRS_FILE.name}: sentence not found: {pair['a'][:50]!r} / {pair['b'][:50]!r}")
            continue
        result = score(features[i], features[j], idf) if (min(i, j), max(i, j)) in candidates else None
        out.append(Scored(pair, result.total if result else -1.0))
    return out


def measure(scored: Sequence[Scored], threshold: float) -> dict:
    tp = sum(1 for s in scored if s.pair["label"] and s.score >= threshold)
    fp = sum(1 for s in scored if not s.pair["label"] and s.score >= threshold)
    fn = sum(1 for s in scored if s.pair["label"] and s.score < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def choose_threshold(scored: Sequence[Scored]) -> dict:
    """Best recall with precision ≥ MIN_PRECISION (else best F1), cutting only in gaps ≥ MIN_GAP."""
    values = sorted({s.score for s in scored if s.score > 0})
    cuts = [round((lo + hi) / 2, 3) for lo, hi in zip(values, values[1:]) if hi - lo >= MIN_GAP]
    results = [measure(scored, t) for t in sorted(set(cuts))] or [measure(scored, 0.5)]
    precise = [r for r in results if r["precision"] >= MIN_PRECISION]
    if precise:
        return max(precise, key=lambda r: (r["recall"], r["precision"], r["threshold"]))
    return max(results, key=lambda r: (r["f1"], r["threshold"]))


def load_pairs(path: Path = PAIRS_FILE) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def calibrate(
    pairs: Sequence[dict], items: Sequence[tuple[Article, Sequence[Mention]]], strict: bool = True
) -> tuple[dict, list[Scored]]:
    scored = score_pairs(pairs, items, strict)
    best = choose_threshold(scored)
    best.update(pairs=len(scored), positives=sum(1 for s in scored if s.pair["label"]))
    return best, scored


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="list every pair with its score")
    parser.add_argument("--stand-in", action="store_true",
                        help="measure with the stand-in reader (every raw line a paragraph) instead; no write")
    args = parser.parse_args(argv)
    # The published calibration is measured on the seeds as the archive ingests them; pairs whose
    # sentence ingest moves out of the body (headlines, standfirsts) are not counted.
    result, scored = calibrate(load_pairs(), load_seed_items(use_real=not args.stand_in), strict=args.stand_in)
    if args.report:
        for s in sorted(scored, key=lambda s: -s.score):
            flag = "ok " if (s.score >= result["threshold"]) == s.pair["label"] else "ERR"
            print(f"{flag} {s.score:6.3f} {str(s.pair['label']):5} {s.pair['a'][:60]!r} ~ {s.pair['b'][:60]!r}")
    if args.stand_in:  # a measurement only
        print("stand-in reader (not written):", json.dumps(result, sort_keys=True))
        return 0
    CALIBRATION_FILE.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
