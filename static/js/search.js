/* Search page. Over http(s), Pagefind's UI. Where Pagefind cannot load (opened from a folder,
   file://, where module imports and fetches are blocked; or a build without its index), the
   archive's own index (static/search-index.js, a classic script defining window.ANNALIST_SEARCH,
   written by annalist/search.py, which documents its format) is searched here in plain
   JavaScript, with the same filters. No request ever leaves the site. */
(function () {
  "use strict";

  /* ---- the offline engine (no DOM; bench/bench_search.py and the tests drive it directly) ---- */

  var WORD = /[\p{L}\p{N}]+/gu;
  function fold(text) { return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }

  function decode(text) {
    var docs = [], weights = [], doc = 0;
    if (!text) return { docs: docs, weights: weights };
    var parts = text.split(",");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i], dot = part.indexOf(".");
      doc += parseInt(dot < 0 ? part : part.slice(0, dot), 36);
      docs.push(doc);
      weights.push(dot < 0 ? 1 : parseInt(part.slice(dot + 1), 36));
    }
    return { docs: docs, weights: weights };
  }

  function Engine(data) {
    this.data = data;
    this.docs = data.docs;
    this.words = data.words ? data.words.split(" ") : [];
    this.postings = data.postings ? data.postings.split(" ") : [];
    this.stop = new Set(data.stop.split(" "));
    this.cache = new Map();
    /* Every single-word name of an entity (alias, name) → entities; multi-word names → phrases. */
    this.aliasWord = new Map();
    this.aliasPhrase = new Map();
    this.highlightWords = [];
    var self = this;
    data.entities.forEach(function (e, i) {
      var names = [e[0]].concat(e[3] ? e[3].split("|") : []), words = [];
      names.forEach(function (name) {
        var tokens = self.tokens(name);
        if (!tokens.length) return;
        var key = tokens.join(" "), map = tokens.length === 1 ? self.aliasWord : self.aliasPhrase;
        if (!map.has(key)) map.set(key, []);
        if (map.get(key).indexOf(i) < 0) map.get(key).push(i);
        if (tokens.length === 1) words.push(tokens[0]);  // "ISIS", "Daesh": marked in excerpts
      });
      self.highlightWords.push(words);
    });
  }

  Engine.prototype.tokens = function (text) {
    var stop = this.stop;
    return (fold(text).match(WORD) || []).filter(function (w) { return w.length > 1 && !stop.has(w); });
  };

  Engine.prototype.list = function (n) {
    if (!this.cache.has(n)) this.cache.set(n, decode(this.postings[n]));
    return this.cache.get(n);
  };

  Engine.prototype.entityList = function (i) {
    var key = "e" + i;
    if (!this.cache.has(key)) this.cache.set(key, decode(this.data.entities[i][4]));
    return this.cache.get(key);
  };

  /* Index range [lo, hi) of the sorted words that begin with `prefix`. */
  Engine.prototype.range = function (prefix) {
    var w = this.words, lo = 0, hi = w.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (w[mid] < prefix) lo = mid + 1; else hi = mid; }
    var start = lo;
    hi = w.length;
    while (lo < hi) { var m = (lo + hi) >> 1; if (w[m].lastIndexOf(prefix, 0) === 0) lo = m + 1; else hi = m; }
    return [start, lo];
  };

  var MAX_EXPANSION = 100;

  /* {doc: score} for one query word: the word itself (or, for the word being typed, every word it
     begins), and every article mentioning an entity one of whose names is that word. */
  Engine.prototype.term = function (word, prefix, hits) {
    var scores = new Map(), self = this;
    function add(list, boost) {
      for (var i = 0; i < list.docs.length; i++) {
        var d = list.docs[i];
        scores.set(d, (scores.get(d) || 0) + list.weights[i] + boost);
      }
    }
    var r = this.range(word), candidates = [];
    for (var n = r[0]; n < r[1]; n++) {
      if (this.words[n] === word) add(this.list(n), 0);
      else if (prefix) candidates.push(n);
    }
    if (candidates.length > MAX_EXPANSION) {  // keep the commonest completions
      candidates.sort(function (a, b) { return self.postings[b].length - self.postings[a].length; });
      candidates.length = MAX_EXPANSION;
    }
    candidates.forEach(function (n) { add(self.list(n), 0); hits.prefixes.push(self.words[n]); });
    (this.aliasWord.get(word) || []).forEach(function (e) { self.viaEntity(e, scores, hits); });
    return scores;
  };

  Engine.prototype.viaEntity = function (e, scores, hits) {
    var list = this.entityList(e), page = this.data.entities[e][2];
    for (var i = 0; i < list.docs.length; i++) {
      var d = list.docs[i];
      scores.set(d, (scores.get(d) || 0) + list.weights[i]);
    }
    scores.set(page, (scores.get(page) || 0) + 1000);  // the entity's own page first
    hits.words = hits.words.concat(this.highlightWords[e]);
  };

  /* filters: {outlet: index, entity: index, type: index} (each optional).
     Returns {results: [{doc, score}], terms: [...], prefixes: [...]} best first. */
  Engine.prototype.search = function (query, filters) {
    filters = filters || {};
    var raw = fold(query).match(WORD) || [];
    var typing = raw.length > 0 && !/[\s\p{P}]$/u.test(query);
    var terms = this.tokens(query), hits = { words: terms.slice(), prefixes: [] };
    var lastRaw = raw.length ? raw[raw.length - 1] : "";
    var scores = null, self = this;
    var partial = typing && terms.indexOf(lastRaw) < 0;  // a stop word or a letter, being typed
    if (partial) terms.push(lastRaw);
    terms.forEach(function (word, i) {
      var last = i === terms.length - 1;
      var s = self.term(word, typing && last && word === lastRaw, hits);
      if (partial && last && s.size === 0) return;  // completes no indexed word: ignore it
      if (scores === null) { scores = s; return; }
      var both = new Map();
      scores.forEach(function (v, d) { if (s.has(d)) both.set(d, v + s.get(d)); });
      scores = both;
    });
    if (terms.length > 1 && scores !== null) {  // the whole query is a multi-word name: that entity's articles too
      (this.aliasPhrase.get(terms.join(" ")) || []).forEach(function (e) { self.viaEntity(e, scores, hits); });
    }
    if (scores === null) {  // no words: the filters alone, newest first
      scores = new Map();
      if (filters.outlet != null || filters.entity != null || filters.type != null) {
        this.docs.forEach(function (_, d) { scores.set(d, 0); });
      }
    }
    var allowed = filters.entity != null ? new Set(this.entityList(filters.entity).docs) : null;
    if (allowed) allowed.add(this.data.entities[filters.entity][2]);
    var results = [];
    scores.forEach(function (score, d) {
      var doc = self.docs[d];
      if (filters.outlet != null && doc[2] !== filters.outlet) return;
      if (filters.type != null && doc[3] !== filters.type) return;
      if (allowed && !allowed.has(d)) return;
      results.push({ doc: d, score: score });
    });
    results.sort(function (a, b) {
      return b.score - a.score || (self.docs[b.doc][4] > self.docs[a.doc][4] ? 1 : self.docs[b.doc][4] < self.docs[a.doc][4] ? -1 : a.doc - b.doc);
    });
    return { results: results, terms: hits.words, prefixes: hits.prefixes, prefix: typing ? lastRaw : "" };
  };

  /* The excerpt of a doc: its best sentence(s) by query words, as [text, marked] pieces. */
  Engine.prototype.excerpt = function (d, found, limit) {
    limit = limit || 200;
    var text = this.docs[d][5], wanted = new Set(found.terms.concat(found.prefixes));
    function marked(token) {
      var f = fold(token);
      return wanted.has(f) || (found.prefix && f.lastIndexOf(found.prefix, 0) === 0);
    }
    var sentences = text.match(/[^.!?…\n]+[.!?…]*["”’)]*\s*/g) || [text], best = 0, bestScore = -1;
    sentences.forEach(function (s, i) {
      var n = (s.match(WORD) || []).filter(marked).length;
      if (n > bestScore) { best = i; bestScore = n; }
    });
    var chosen = sentences[best];
    for (var j = best + 1; j < sentences.length && chosen.length < limit; j++) chosen += sentences[j];
    chosen = chosen.trim();
    if (best > 0) chosen = "… " + chosen;
    var pieces = [], last = 0, m;
    var word = new RegExp(WORD.source, "gu");
    while ((m = word.exec(chosen)) !== null) {
      if (!marked(m[0])) continue;
      if (m.index > last) pieces.push([chosen.slice(last, m.index), false]);
      pieces.push([m[0], true]);
      last = m.index + m[0].length;
    }
    if (last < chosen.length) pieces.push([chosen.slice(last), false]);
    return pieces;
  };

  window.AnnalistSearch = { Engine: Engine, fold: fold, decode: decode };

  /* ---- the page ---- */

  if (typeof document === "undefined") return;  // loaded outside a page (tests, bench)
  var box = document.getElementById("search");
  if (!box) return;
  var bundle = new URL(box.getAttribute("data-bundle").replace(/\/?$/, "/"), document.baseURI).href;
  var siteRoot = box.getAttribute("data-site-root") || "";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function usePagefind() {
    var script = el("script", { src: bundle + "pagefind-ui.js" });
    script.onload = function () {
      document.head.appendChild(el("link", { rel: "stylesheet", href: bundle + "pagefind-ui.css" }));
      box.replaceChildren();
      new window.PagefindUI({ element: "#search", bundlePath: bundle, showImages: false, showSubResults: true,
                            pageSize: 10, baseUrl: new URL(siteRoot || "./", document.baseURI).pathname });
      label();
      entityMatches();
    };
    script.onerror = useFallback;  // a build without Pagefind's index
    document.head.appendChild(script);
  }

  /* Pagefind's default UI leaves its input without an accessible name: give it one. */
  function label() {
    var input = box.querySelector("input");
    if (!input) { setTimeout(label, 20); return; }
    input.setAttribute("aria-label", "Search the archive");
    box.setAttribute("data-engine", "pagefind");
  }

  /* Pagefind has no synonyms: over http, the archive's own alias table (the offline index) names
     the entity a query is an alias of, and its page is listed first, above Pagefind's results. */
  function entityMatches() {
    var drawer = box.querySelector(".pagefind-ui__drawer"), input = box.querySelector("input");
    if (!drawer || !input) { setTimeout(entityMatches, 20); return; }
    var banner = el("div", { "class": "entity-matches", "aria-live": "polite" });
    drawer.before(banner);
    function show(engine) {
      var terms = engine.tokens(input.value), found = [];
      if (terms.length) {
        (engine.aliasPhrase.get(terms.join(" ")) || engine.aliasWord.get(terms.join(" ")) || []).forEach(function (e) {
          if (found.indexOf(e) < 0) found.push(e);
        });
      }
      banner.replaceChildren();
      found.forEach(function (e) {
        var entity = engine.data.entities[e], doc = engine.docs[entity[2]];
        var names = entity[3] ? entity[3].split("|").join(", ") : "";
        banner.append(el("p", { "class": "entity-match" }, [
          el("a", { href: siteRoot + doc[1] }, [entity[0]]),
          " (" + engine.data.types[entity[1]] + ")" + (names ? ": also written " + names : "")
        ]));
      });
    }
    var load = el("script", { src: box.getAttribute("data-fallback") });
    load.onload = function () {
      if (!window.ANNALIST_SEARCH) return;
      var engine = new Engine(window.ANNALIST_SEARCH);
      input.addEventListener("input", function () { show(engine); });
      show(engine);
    };
    document.head.appendChild(load);
  }

  function useFallback() {
    if (window.ANNALIST_SEARCH) { offlineUI(window.ANNALIST_SEARCH); return; }
    var script = el("script", { src: box.getAttribute("data-fallback") });
    script.onload = function () {
      if (window.ANNALIST_SEARCH) offlineUI(window.ANNALIST_SEARCH);
      else unavailable();
    };
    script.onerror = unavailable;
    document.head.appendChild(script);
  }

  function unavailable() {
    box.replaceChildren(el("p", { class: "search-status" }, [
      "Search is not available in this copy of the archive. Browse the list of articles or the entities instead."
    ]));
  }

  function select(id, text, options) {
    var s = el("select", { id: id, name: id });
    s.append(el("option", { value: "" }, ["All"]));
    options.forEach(function (o) { s.append(el("option", { value: String(o[0]) }, [o[1]])); });
    return el("div", { class: "search-filter" }, [el("label", { for: id }, [text]), s]);
  }

  function offlineUI(data) {
    var engine = new Engine(data);
    var byName = function (a, b) { return a[1].localeCompare(b[1]); };
    var input = el("input", { type: "search", id: "search-input", name: "q", autocomplete: "off", spellcheck: "false" });
    var outlet = select("search-outlet", "Outlet", data.outlets.map(function (o, i) { return [i, o]; }));
    var entity = select("search-entity", "Entity", data.entities.map(function (e, i) { return [i, e[0]]; }).sort(byName));
    var type = select("search-type", "Type", data.types.map(function (t, i) { return [i, t]; }));
    var status = el("p", { class: "search-status", role: "status", "aria-live": "polite" });
    var list = el("ol", { class: "search-results" });
    var more = el("button", { type: "button", class: "toggle", hidden: "" }, ["Show more results"]);
    var form = el("form", { role: "search", class: "search-form" }, [
      el("label", { for: "search-input" }, ["Search the archive"]), input,
      el("div", { class: "search-filters" }, [outlet, entity, type])
    ]);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    box.replaceChildren(form, status, list, more);
    box.setAttribute("data-engine", "offline");
    var shown = 0, found = null, PAGE = 30;

    function value(wrapper) { var v = wrapper.querySelector("select").value; return v === "" ? null : Number(v); }

    function item(r) {
      var doc = data.docs[r.doc], excerpt = el("p", { class: "excerpt", dir: "auto" });
      engine.excerpt(r.doc, found).forEach(function (piece) {
        excerpt.append(piece[1] ? el("mark", {}, [piece[0]]) : piece[0]);
      });
      var meta = doc[2] >= 0 ? data.outlets[doc[2]] + (doc[4] ? " · " + doc[4] : "") : data.types[doc[3]];
      return el("li", {}, [
        el("a", { href: siteRoot + doc[1], dir: "auto" }, [doc[0]]),
        el("span", { class: "meta" }, [" " + meta]),
        excerpt
      ]);
    }

    function showMore() {
      var end = Math.min(found.results.length, shown + PAGE);
      for (; shown < end; shown++) list.append(item(found.results[shown]));
      more.hidden = shown >= found.results.length;
    }

    function run() {
      var filters = { outlet: value(outlet), entity: value(entity), type: value(type) };
      found = engine.search(input.value, filters);
      list.replaceChildren();
      shown = 0;
      var idle = !input.value.trim() && filters.outlet === null && filters.entity === null && filters.type === null;
      status.textContent = idle ? "" : found.results.length === 1 ? "1 result" : found.results.length + " results";
      showMore();
    }

    input.addEventListener("input", run);
    [outlet, entity, type].forEach(function (w) { w.querySelector("select").addEventListener("change", run); });
    more.addEventListener("click", showMore);
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { input.value = q; run(); }
  }

  if (window.location.protocol === "file:") useFallback();
  else usePagefind();
})();
