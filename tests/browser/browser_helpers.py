"""Helpers shared by the browser tests: which pages to visit, and axe-core."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def one(site: Path, folder: str) -> str:
    """The path from the site root of the first page (in name order) in a folder of the site."""
    return sorted(p for p in (site / folder).glob("*.html") if p.name not in ("index.html", "review.html"))[0] \
        .relative_to(site).as_posix()


KINDS = ["home", "month", "article", "entity", "entities", "outlet", "coverage", "story", "about", "search", "review",
         "404"]


def page_types(site: Path) -> dict[str, str]:
    """One page of each type: name → path from the site root."""
    return {
        "home": "index.html",
        "month": "dates/2016-03.html",
        "article": one(site, "articles"),
        "entity": "entities/islamic-state.html",
        "entities": "entities/index.html",
        "outlet": one(site, "outlets"),
        "coverage": "coverage.html",
        "story": one(site, "stories"),  # the seeds' one story, named after its first report (2016-03-25)
        "about": "about.html",
        "search": "search.html",
        "review": "entities/review.html",
        "404": "404.html",
    }


def story_alias(site: Path) -> str:
    """A page that leads to a story from the id of one of its other articles."""
    return sorted(p.relative_to(site).as_posix() for p in (site / "stories").glob("*.html"))[-1]


YNET_ARTICLE = "articles/2016-03-27-ynetnews-syrian-military-allies-takes-control-of-palmyra.html"


def run_axe(page) -> list[dict]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


CONTRAST = """(selector) => {
  function rgb(c) { const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : m.concat([1]); }
  function lum([r, g, b]) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  }
  function background(n) {
    for (; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor); if (c[3] > 0) return c; }
    return [255, 255, 255, 1];
  }
  return [...document.querySelectorAll(selector)].filter(n => n.getClientRects().length).map(n => {
    const fg = lum(rgb(getComputedStyle(n).color)), bg = lum(background(n));
    return [n.className || n.tagName, (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)];
  });
}"""


def contrast_ratios(page, selector: str) -> list[tuple[str, float]]:
    """WCAG contrast ratio of every visible element matching selector against its painted background."""
    return [(name, ratio) for name, ratio in page.evaluate(CONTRAST, selector)]
