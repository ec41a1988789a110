"""Fit discovery's junk score (annalist.entities.discover.JUNK_WEIGHTS) on the names judged by hand.

    python3 bench/fit_discovery_score.py [--corpora ../shared/corpora] [--archives mn0,mn50,ecbplus,bbc]

Runs discovery with the score switched off on each archive (Multi-News 000-049 and 050-099, every ECB+
cluster, the 2,225 BBC News articles; each ingested as one archive, empty authority file), takes the
names that have a verdict in bench/entities_judged.tsv (a name judged on several archives counts once;
the sessions of the fresh samples the score is reported on, `h12b-*`, are left out: `--held-out`),
and fits a logistic regression of junk (verdict `shape` or `kind`) on discover.score_features, with an
L2 penalty of 1/2 |w|^2 on the weights (not the intercept), by Newton's method. Prints the weights to
paste into JUNK_WEIGHTS, and what each threshold keeps and drops among the judged names.

The verdicts it fits on are those of samples already read; the score is reported on fresh samples no
one had read (docs/entities.md), and CoNLL-2003 test by bench/bench_entities.py.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_entities as bench  # noqa: E402

from annalist.crossref.calibrate import logistic_weights  # noqa: E402
from annalist.entities import discover as discovery  # noqa: E402

discover_module = sys.modules["annalist.entities.discover"]


def features_of(articles) -> dict[str, dict[str, float]]:
    """Each name the score weighs (it passed every other check, and is printed mostly in prose: see
    discover._in_prose) -> its score_features."""
    found: dict[str, dict[str, float]] = {}
    original = discover_module.junk_score

    def recording(group, weights=None):
        found[" ".join(discover_module._preferred(group).split())] = discover_module.score_features(group)
        return 0.0

    discover_module.junk_score = recording
    try:
        discovery(articles, {a.id: () for a in articles}, ())
    finally:
        discover_module.junk_score = original
    return found


def fitted_verdicts(held_out: tuple[str, ...]) -> dict[str, str]:
    """name -> verdict from entities_judged.tsv (the later line winning, as the benchmark reads it),
    leaving out the sessions whose names start with one of `held_out`."""
    judged = {}
    for line in bench.JUDGED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, verdict, *rest = line.split("\t")
        session = (rest[1:2] or [""])[0]
        if not (held_out and session.startswith(held_out)):
            judged[name] = verdict
    return judged


def fit(rows: list[tuple[list[float], int]]) -> list[float]:
    """Logistic regression of junk on the features; the first weight is the intercept."""
    return logistic_weights([[1.0, *x] for x, _ in rows], [float(y) for _, y in rows])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--archives", default="mn0,mn50,ecbplus,bbc")
    parser.add_argument("--held-out", default="h12b-", help="sessions of entities_judged.tsv left out of the fit "
                        "(comma-separated prefixes): the fresh samples the score is reported on")
    args = parser.parse_args(argv)
    loaders = {"mn0": lambda c: bench.multinews_articles(c, range(0, 50)),
               "mn50": lambda c: bench.multinews_articles(c, range(50, 100)),
               "ecbplus": bench.ecbplus_articles, "bbc": bench.bbc_articles}
    judged = fitted_verdicts(tuple(x for x in args.held_out.split(",") if x))
    named: dict[str, tuple[dict[str, float], int]] = {}
    for archive in args.archives.split(","):
        found = features_of(loaders[archive](args.corpora))
        fresh = {n: f for n, f in found.items() if n in judged and n not in named}
        named.update({n: (f, judged[n] != "name") for n, f in fresh.items()})
        print(f"{archive}: {len(found):,} names the score weighs (all other checks passed, printed mostly in prose), "
              f"{len(fresh)} of them judged (and not counted already)")
    keys = list(next(iter(named.values()))[0])
    rows = [([f[k] for k in keys], junk) for f, junk in named.values()]
    w = fit(rows)
    weights = {"intercept": round(w[0], 2), **{k: round(v, 2) for k, v in zip(keys, w[1:])}}
    junk = sum(y for _, y in rows)
    print(f"fitted on {len(rows)} judged names, {junk} junk ({junk / len(rows):.3f})")
    print("JUNK_WEIGHTS = " + repr(weights))
    for threshold in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        kept = [y for x, y in rows if 1 / (1 + math.exp(-(w[0] + sum(a * b for a, b in zip(w[1:], x))))) < threshold]
        print(f"  threshold {threshold:.2f}: keeps {len(kept)} of {len(rows)}, junk among them {sum(kept)} = "
              f"{sum(kept) / max(1, len(kept)):.3f}; drops {junk - sum(kept)} junk and "
              f"{len(rows) - len(kept) - (junk - sum(kept))} names")


if __name__ == "__main__":
    main()
