"""Cross-validation by topic of the calibration on the ECB+ labelled pairs (bench_crossref.py --cv).

The canonical report fits on the odd topics and reports on the even ones (calibration.json). A rule
that works on one half only is caught here: the same procedure (calibrate.calibrate_model, then
calibrate_event_model: fit, then the threshold and affinity gate chosen on the tune topics under
precision >= 0.90 and hard negatives <= 2 % at the upper end of their 95 % interval) is run

  - with the split reversed (tuned on the even topics, reported on the odd), and
  - in five folds by topic (topic mod 5): each fold reported by the models tuned on the other four,
    the five reports pooled, and per topic;

for two designs of the same-event links:

  - "gated": the build's (compare.event_evidence: two shared informative tokens, one specific or
    rare, a shared event word used as a verb; candidates from the story's index);
  - "event words": a candidate generation that needs no two shared distinctive words: every two
    sentences of a story that share an *event term* (a word used as a verb, in any form, or a kind
    of event from the small lexicon EVENT_KINDS below: "quake / earthquake / temblor", "arrest /
    detain", "fire / sack / dismiss") and a name or an informative word, with no clash of dates or
    of who did it (compare._same_actors, _dates_clash), scored by a logistic model over: the
    build's event evidence, whether the shared term is a lexicon kind, and whether both sentences
    open their articles (headline or first paragraph). Every sentence pair of the two labelled
    lines is considered (what an index over event terms and names would give): its ceiling.

The seeds' hand-labelled pairs stay in every tune part (they bound the thresholds from below).
Measured, not used by the build: see docs/crossref.md.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from annalist.crossref import calibrate as cal
from annalist.crossref import compare as K
from annalist.crossref.lexicon import stem

# Kinds of events common in news, each a few words that report the same kind of happening.
EVENT_KINDS = tuple(line.split() for line in (
    "earthquake quake temblor tremor",
    "rehab rehabilitation treatment",
    "arrest detain apprehend custody",
    "kill die dead death slay murder fatal fatally",
    "fire sack dismiss oust",
    "hire appoint replace successor",
    "unveil launch introduce release debut announce",
    "acquire buy purchase acquisition takeover",
    "sign contract agree",
    "win beat defeat victory",
    "escape flee escapee breakout",
    "crash collision wreck",
    "shoot shooting gunfire gunman",
    "attack bomb bombing blast explosion explode",
    "injure injury wound hurt",
    "resign quit",
    "sentence convict jail prison",
    "patch fix update",
    "hijack seize capture",
    "steal rob robbery heist theft",
    "nominate nomination",
))
_KIND = {stem(w): words[0] for words in EVENT_KINDS for w in words}
ALTERNATIVE_EVIDENCE = K.EVENT_EVIDENCE + ("kind", "lead")
LEAD_PARAGRAPHS = 2  # the headline and the first paragraph of a plain-text ECB+ file


def event_terms(f) -> set[str]:
    verbs = K._event_words(f)
    out = set()
    for w in f.words:
        if w.startswith("E:") or not w[:1].isalpha():
            continue
        s = stem(w)
        if s in _KIND:
            out.add("K:" + _KIND[s])
        elif s in verbs:
            out.add(s)
    return out


def event_word_evidence(a, b, idf, story, affinity: float) -> dict | None:
    """The alternative's evidence for two sentences of one story; None when the rule says no."""
    shared_terms = event_terms(a) & event_terms(b)
    if not shared_terms or K._dates_clash(a, b):
        return None
    if any(not K._same_actors(a, b, w) for w in shared_terms if not w.startswith("K:")):
        return None
    shared = a.tokens & b.tokens
    informative = [t for t in shared if not t.startswith("E:") and idf.get(t, 0.0) >= K.MIN_CONTENT_IDF]
    if not (K._names(a) & K._names(b)) and not informative:
        return None
    found = K.evidence(a, b, idf, gate=False)
    if found is None:
        return None
    values = found[0]
    return {
        "weighted": values["weighted"],
        "shared": min(len(informative), K.EVENT_SATURATION) / K.EVENT_SATURATION,
        "specific": min(len(shared & K._specific(a) & K._specific(b)), K.SPECIFIC_SATURATION) / K.SPECIFIC_SATURATION,
        "quantity": values["quantity"],
        "affinity": round(affinity, 4),
        "known": round(1.0 - K._foreign(a, b, story), 4),
        "kind": 1.0 if any(t.startswith("K:") for t in shared_terms) else 0.0,
        "lead": 1.0 if max(a.sentence.paragraph, b.sentence.paragraph) <= LEAD_PARAGRAPHS else 0.0,
    }


def _alternative_events(archive, left: Sequence[int], right: Sequence[int]) -> tuple[dict, ...]:
    return archive.events(left, right, event_word_evidence, candidates_only=False)


def alternative_rows(rows: Sequence[cal.Row], archive_of: dict) -> list[cal.Row]:
    """The same labelled ECB+ rows with the alternative's same-event evidence."""
    out = []
    for r in rows:
        found = row_sentences(r, archive_of)
        out.append(r if found is None else replace(r, events=_alternative_events(*found)))
    return out


def row_sentences(r: cal.Row, archive_of: dict):
    """A labelled row's archive and the sentence indices of its two lines, or None when its two
    articles are in different stories (never compared)."""
    p = r.pair
    archive = archive_of[p["article_a"]]
    if archive is not archive_of[p["article_b"]]:
        return None
    return (archive, archive.at.get((p["article_a"], p["line_a"]), []),
            archive.at.get((p["article_b"], p["line_b"]), []))


def alternative_seed_rows() -> list[cal.Row]:
    items = cal.load_seed_items(use_real=True)
    archive = cal.Archive(items)
    file_of = {a.source_file.rsplit("/", 1)[-1]: a.id for a, _ in items}
    out = []
    for pair in cal.load_pairs():
        i = cal._find(archive.features, file_of, pair["files"][0], pair["a"])
        j = cal._find(archive.features, file_of, pair["files"][1], pair["b"])
        if i is None or j is None:
            continue
        out.append(cal.Row(bool(pair["label"]), False, "seed", archive.evidence([i], [j]), pair,
                           _alternative_events(archive, [i], [j])))
    return out


def run_cv() -> dict:
    archive_of = cal.story_archives(cal.ecbplus_items())
    rows = cal.ecbplus_rows(archive_of=archive_of)
    seeds = cal.seed_rows(cal.load_pairs(), cal.load_seed_items(use_real=True), strict=False)
    return {
        "gated": cal.cross_validate([*seeds, *rows], K.EVENT_EVIDENCE),
        "event_words": cal.cross_validate([*alternative_seed_rows(), *alternative_rows(rows, archive_of)],
                                          ALTERNATIVE_EVIDENCE),
    }
