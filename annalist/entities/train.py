"""Fit the name model (`ner.crfsuite`) on the CoNLL-2003 English development set.

    python -m annalist.entities.train [--corpora ../shared/corpora] [--out annalist/entities/ner.crfsuite]
    python -m annalist.entities.train --folds 4     # cross-validate on the development set only

Trained on `ner/eng.testa.docs.jsonl` (216 documents) only; the test set
(`eng.testb.docs.jsonl`) is kept for `bench/bench_entities.py`, which reports on it. The
corpus stays outside the repository; only the fitted weights are shipped. Training is
deterministic (L-BFGS from zero weights), so the same corpus gives the same file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import tagger as t

ROOT = Path(__file__).resolve().parents[2]
PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "feature.possible_transitions": True}


def read_docs(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def document_sequences(doc: dict) -> list[tuple[list[t.Token], list[str], int]]:
    """Each line of a CoNLL document as (tokens, BIO labels, line offset in the document)."""
    text = doc["text"]
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((line, offset))
        offset += len(line) + 1
    gold = sorted((e["start"], e["end"], e["type"]) for e in doc["entities"])
    result = []
    for line, base in lines:
        toks = t.tokens(line)
        labels = []
        for tok in toks:
            label = "O"
            for start, end, typ in gold:
                if start <= base + tok.start and base + tok.end <= end:
                    first = not any(start <= base + o.start < base + tok.start for o in toks)
                    label = ("B-" if first else "I-") + typ
                    break
            labels.append(label)
        result.append((toks, labels, base))
    return result


def items(docs: list[dict]):
    for doc in docs:
        sequences = document_sequences(doc)
        vocabulary = t.DocumentVocabulary.of(toks for toks, _, _ in sequences)
        for toks, labels, _ in sequences:
            if toks:
                yield t.features(toks, vocabulary), labels


def fit(docs: list[dict], out: Path, params: dict = PARAMS) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in items(docs):
        trainer.append(xseq, yseq)
    trainer.set_params(params)
    trainer.train(str(out))


def score(predicted: list[set], gold: list[set]) -> tuple[float, float]:
    """Micro precision and recall over documents of sets of predictions."""
    hits = sum(len(p & g) for p, g in zip(predicted, gold))
    return hits / max(1, sum(map(len, predicted))), hits / max(1, sum(map(len, gold)))


def gold_sets(doc: dict) -> tuple[set, set]:
    """(surfaces, typed spans) of the document's gold person, place and organisation names."""
    names = [e for e in doc["entities"] if e["type"] in t.LABELS]
    return {e["text"] for e in names}, {(e["start"], e["end"], e["type"]) for e in names}


def tagger_sets(tagger: t.Tagger, doc: dict) -> tuple[set, set]:
    lines = doc["text"].split("\n")
    surfaces, typed, base = set(), set(), 0
    for line, found in zip(lines, tagger.document(lines)):
        for s in found:
            if s.label in t.LABELS:
                surfaces.add(line[s.start:s.end])
                typed.add((base + s.start, base + s.end, s.label))
        base += len(line) + 1
    return surfaces, typed


def cross_validate(docs: list[dict], folds: int, params: dict = PARAMS) -> tuple[float, float, float, float]:
    import tempfile

    pred_s, pred_t, gold_s, gold_t = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            model = Path(tmp) / f"fold{k}.crfsuite"
            fit([d for i, d in enumerate(docs) if i % folds != k], model, params)
            tagger = t.Tagger(model)
            for doc in docs[k::folds]:
                ps, pt = tagger_sets(tagger, doc)
                gs, gt = gold_sets(doc)
                pred_s.append(ps); pred_t.append(pt); gold_s.append(gs); gold_t.append(gt)
    (sp, sr), (tp, tr) = score(pred_s, gold_s), score(pred_t, gold_t)
    print(f"{folds}-fold on dev  surface P {sp:.3f} R {sr:.3f}   typed span P {tp:.3f} R {tr:.3f}   {params}")
    return sp, sr, tp, tr


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--out", type=Path, default=t.MODEL)
    parser.add_argument("--folds", type=int, default=0, help="cross-validate on the dev set instead")
    args = parser.parse_args(argv)
    docs = read_docs(args.corpora / "ner" / "eng.testa.docs.jsonl")
    if args.folds:
        cross_validate(docs, args.folds)
        return
    fit(docs, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) from {len(docs)} development documents")


if __name__ == "__main__":
    main()
