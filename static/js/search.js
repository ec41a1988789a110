/* Search page: one interface, two engines. Over http(s) the words are matched by Pagefind (its JS
   API: pagefind.js `search`, result `data()`); opened from a folder (file://, where module imports
   and fetches are blocked) or in a build without Pagefind's bundle, by the archive's own index
   (static/search-index.js, a classic script defining window.ANNALIST_SEARCH, written by
   annalist/publish/search.py, which documents its format). Both paths share everything else: the form,
   the filters, the entity card, "did you mean", the excerpts (cut here from the passage that
   matched) and the result list. Every string from the archive is inserted as text, never as HTML.
   No request ever leaves the site. */
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

  /* Edit distance (insertions, deletions, substitutions, adjacent transpositions), or max + 1 when
     it exceeds max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  function Engine(data) {
    this.data = data;
    this.docs = data.docs;
    this.words = data.words ? data.words.split(" ") : [];
    this.postings = data.postings ? data.postings.split(" ") : [];
    this.stop = new Set(data.stop.split(" "));
    this.cache = new Map();
    this.articleType = data.types.indexOf("article");
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
        tokens.forEach(function (t) { if (words.indexOf(t) < 0) words.push(t); });  // marked in excerpts
      });
      self.highlightWords.push(words);
    });
  }

  /* The Pagefind bundles (data.bundles: names) holding a page with an indexed word that begins
     with `word` (data.bundle: each doc's bundle, one base-36 digit). */
  Engine.prototype.bundlesHaving = function (word) {
    var key = "b" + word;
    if (this.cache.has(key)) return this.cache.get(key);
    var names = this.data.bundles || [], of = this.data.bundle || "", found = new Set(), r = this.range(word);
    for (var n = r[0]; n < r[1] && found.size < names.length; n++) {
      var docs = decode(this.postings[n]).docs;
      for (var i = 0; i < docs.length; i++) found.add(names[parseInt(of[docs[i]], 36)]);
    }
    this.cache.set(key, found);
    return found;
  };

  /* A word's root, as Pagefind's (Snowball) stemmer would roughly leave it: common English endings
     dropped ("tabling" → "tabl", "upsetting" → "upset", "statistical" → "statist"), never below
     four letters. Pagefind matches a query word's stem against the stems it indexed, so a bundle
     holding "table" answers "tabling". */
  var ENDING = /(ational|ations|ation|ically|ical|ally|ments|ment|ness|ings|ing|ies|ied|ly|al|es|ed|s|e|y)$/;
  function root(word) {
    var r = word.replace(ENDING, "").replace(/([bdfgmnprt])\1$/, "$1");
    return r.length >= 4 ? r : word.slice(0, 4);
  }

  /* The bundles Pagefind may search for a query's words: those holding, for every word, a page
     with a word that begins with the word's root; null when any bundle may (no words, or an index
     without bundles). Pagefind, given a word no page of a bundle begins with, falls back to the
     longest indexed word the query word begins with ("a" for "amphitheatre"): over merged bundles
     that would list every page of the bundles that lack the word (bench/bench_build.py's pagefind
     part measures both what this leaves out and what it lets through). */
  Engine.prototype.bundlesFor = function (query) {
    var names = this.data.bundles, terms = this.tokens(query), self = this;
    if (!names || !this.data.bundle || !terms.length) return null;
    var allowed = null;
    terms.forEach(function (t) {
      var has = self.bundlesHaving(root(t));
      allowed = allowed === null ? Array.from(has) : allowed.filter(function (b) { return has.has(b); });
    });
    return allowed.sort();
  };

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

  Engine.prototype.known = function (word, prefix) {
    var r = this.range(word);
    if (r[0] >= r[1]) return this.aliasWord.has(word);
    return prefix || this.words[r[0]] === word || this.aliasWord.has(word);
  };

  var MAX_EXPANSION = 100;

  /* {doc: score} for one query word: the word itself (or, for the word being typed, every word it
     begins), and every article mentioning an entity one of whose names is that word. */
  Engine.prototype.term = function (word, prefix, hits) {
    var scores = new Map(), self = this;
    function add(list) {
      for (var i = 0; i < list.docs.length; i++) {
        var d = list.docs[i];
        scores.set(d, (scores.get(d) || 0) + list.weights[i]);
      }
    }
    var r = this.range(word), candidates = [];
    for (var n = r[0]; n < r[1]; n++) {
      if (this.words[n] === word) add(this.list(n));
      else if (prefix) candidates.push(n);
    }
    if (candidates.length > MAX_EXPANSION) {  // keep the commonest completions
      candidates.sort(function (a, b) { return self.postings[b].length - self.postings[a].length; });
      candidates.length = MAX_EXPANSION;
    }
    candidates.forEach(function (n) { add(self.list(n)); hits.prefixes.push(self.words[n]); });
    (this.aliasWord.get(word) || []).forEach(function (e) { self.viaEntity(e, scores, hits); });
    return scores;
  };

  Engine.prototype.viaEntity = function (e, scores, hits) {
    var list = this.entityList(e), page = this.data.entities[e][2];
    for (var i = 0; i < list.docs.length; i++) {
      var d = list.docs[i];
      scores.set(d, (scores.get(d) || 0) + list.weights[i]);
    }
    scores.set(page, (scores.get(page) || 0) + 1);
    hits.words = hits.words.concat(this.highlightWords[e]);
  };

  /* The entities a query names (by any of their names, as a whole), in index order. */
  Engine.prototype.entitiesNamed = function (query) {
    var key = this.tokens(query).join(" ");
    if (!key) return [];
    return (this.aliasPhrase.get(key) || this.aliasWord.get(key) || []).slice();
  };

  /* "Did you mean": the query with each word the index does not know replaced by the closest word
     it does know (or an entity's name), by edit distance; null when nothing needs replacing. */
  Engine.prototype.suggest = function (query) {
    var raw = fold(query).match(WORD) || [], self = this, changed = false;
    var shown = query.match(WORD) || [];
    var typing = raw.length > 0 && !/[\s\p{P}]$/u.test(query);
    var out = raw.map(function (word, i) {
      if (word.length < 3 || self.stop.has(word)) return word;
      if (self.known(word, typing && i === raw.length - 1)) return word;
      var max = word.length <= 4 ? 1 : 2, best = null, bestD = max + 1, bestN = -1;
      function consider(candidate, weight) {
        if (candidate === word) return;
        var d = distance(word, candidate, Math.min(max, bestD));
        if (d > max) return;
        if (d < bestD || (d === bestD && weight > bestN)) { best = candidate; bestD = d; bestN = weight; }
      }
      for (var n = 0; n < self.words.length; n++) {
        var w = self.words[n];
        if (Math.abs(w.length - word.length) <= max) consider(w, self.postings[n].length);
      }
      self.aliasWord.forEach(function (entities, w) { consider(w, 1e9); });
      if (best === null) return word;
      changed = true;
      var original = shown[i] || "";  // keep the reader's capitals: "Palmira" → "Palmyra"
      if (original && original[0] !== original[0].toLowerCase()) best = best[0].toUpperCase() + best.slice(1);
      return best;
    });
    return changed ? out.join(" ") : null;
  };

  function inRange(date, from, to) {
    if (!from && !to) return true;
    if (!date) return false;
    if (from && date < from) return false;
    if (to && date.slice(0, to.length) > to) return false;
    return true;
  }

  /* filters: {outlet, entity, type, story: index (each optional), from, to: ISO date, sort: "relevance" |
     "newest" | "oldest"}. Articles come before entity pages. Returns {results: [{doc, score}],
     terms, prefixes, prefix} best first. */
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
    if (scores === null) {  // no words: the filters alone
      scores = new Map();
      if (filters.outlet != null || filters.entity != null || filters.type != null || filters.story != null
          || filters.from || filters.to) {
        this.docs.forEach(function (_, d) { scores.set(d, 0); });
      }
    }
    var allowed = filters.entity != null ? new Set(this.entityList(filters.entity).docs) : null;
    if (allowed) allowed.add(this.data.entities[filters.entity][2]);
    var storyOf = this.data.story || [];
    var results = [];
    scores.forEach(function (score, d) {
      var doc = self.docs[d];
      if (filters.outlet != null && doc[2] !== filters.outlet) return;
      if (filters.type != null && doc[3] !== filters.type) return;
      if ((filters.from || filters.to) && !inRange(doc[4], filters.from, filters.to)) return;
      if (allowed && !allowed.has(d)) return;
      if (filters.story != null && storyOf[d] !== filters.story) return;
      results.push({ doc: d, score: score });
    });
    var articleType = this.articleType, sort = filters.sort || "relevance";
    function byDate(a, b) { return self.docs[a.doc][4] < self.docs[b.doc][4] ? -1 : self.docs[a.doc][4] > self.docs[b.doc][4] ? 1 : 0; }
    results.sort(function (a, b) {
      var ea = self.docs[a.doc][3] !== articleType, eb = self.docs[b.doc][3] !== articleType;
      if (ea !== eb) return ea ? 1 : -1;  // articles first
      if (sort === "newest") return byDate(b, a) || a.doc - b.doc;
      if (sort === "oldest") {
        var ua = !self.docs[a.doc][4], ub = !self.docs[b.doc][4];  // undated last
        return (ua - ub) || byDate(a, b) || a.doc - b.doc;
      }
      return b.score - a.score || byDate(b, a) || a.doc - b.doc;
    });
    return { results: results, terms: hits.words, prefixes: hits.prefixes, prefix: typing ? lastRaw : "" };
  };

  /* The excerpt of a text: the sentence with most wanted words (and what follows it, up to `limit`
     characters), as [text, marked] pieces. `wanted`: folded words; `prefix`: a word being typed. */
  function excerpt(text, wanted, prefix, limit) {
    limit = limit || 220;
    wanted = wanted instanceof Set ? wanted : new Set(wanted);
    function marked(token) {
      var f = fold(token);
      return wanted.has(f) || (prefix && f.lastIndexOf(prefix, 0) === 0);
    }
    var sentences = text.match(/[^.!?…\n]+[.!?…]*["”’)]*\s*|\n+/g) || [text], best = 0, bestScore = -1;
    sentences.forEach(function (s, i) {
      var n = (s.match(WORD) || []).filter(marked).length;
      if (n > bestScore) { best = i; bestScore = n; }
    });
    var chosen = sentences[best];
    for (var j = best + 1; j < sentences.length && chosen.length < limit; j++) chosen += sentences[j];
    // A paragraph break inside an excerpt is shown as " / " where no punctuation ends the line.
    chosen = chosen.replace(/([^.!?…"”’)\s])\s*\n+\s*/g, "$1 / ").replace(/\s+/g, " ").trim();
    var cut = false;
    if (chosen.length > limit * 1.5) {
      var space = chosen.lastIndexOf(" ", limit * 1.5);
      chosen = chosen.slice(0, space > limit ? space : limit * 1.5);
      cut = true;
    }
    if (best > 0) chosen = "… " + chosen;
    if (cut || j < sentences.length) chosen += " …";
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
  }

  Engine.prototype.excerpt = function (text, found, limit) {
    return excerpt(text, found.terms.concat(found.prefixes), found.prefix, limit);
  };

  window.AnnalistSearch = { Engine: Engine, fold: fold, decode: decode, distance: distance, excerpt: excerpt, root: root };

  /* ---- the page ---- */

  if (typeof document === "undefined") return;  // loaded outside a page (tests, bench)
  var box = document.getElementById("search");
  if (!box) return;
  var bundle = new URL(box.getAttribute("data-bundle").replace(/\/?$/, "/"), document.baseURI).href;
  var siteRoot = box.getAttribute("data-site-root") || "";
  var textDir = (box.getAttribute("data-texts") || "static/search-text").replace(/\/?$/, "/");
  var PAGE = 20;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c != null) node.append(c); });  // strings become text nodes
    return node;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = el("script", { src: src });
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  var MONTHS = "January February March April May June July August September October November December".split(" ");
  function humanDate(iso) {
    if (!iso) return "date unknown";
    var p = iso.split("-");
    return p.length === 3 ? Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0] : iso;
  }

  /* The texts of the offline index, one classic script per doc, named after the doc's page
     (articles/<id>.html → static/search-text/articles/<id>.js), loaded when a result shows. */
  var texts = new Map(), waiting = new Map();
  window.ANNALIST_TEXT = function (page, text) {
    texts.set(page, text);
    (waiting.get(page) || []).forEach(function (f) { f(text); });
    waiting.delete(page);
  };
  function docText(page) {
    if (texts.has(page)) return Promise.resolve(texts.get(page));
    return new Promise(function (resolve) {
      if (!waiting.has(page)) {
        waiting.set(page, []);
        loadScript(textDir + page.replace(/\.html$/, "") + ".js").catch(function () { window.ANNALIST_TEXT(page, ""); });
      }
      waiting.get(page).push(resolve);
    });
  }

  /* An engine: search(query, state) → Promise of {count, item(i) → Promise of a result}.
     A result: {title, href, outlet, date, inferred, type, excerpt: [[text, marked], ...]}. */
  function offlineBackend(engine) {
    var data = engine.data;
    return {
      name: "offline",
      search: function (query, state) {
        var found = engine.search(query, {
          outlet: state.outlet, entity: state.entity, type: state.type, story: state.story, from: state.from, to: state.to,
          sort: state.sort
        });
        return Promise.resolve({
          count: found.results.length,
          item: function (i) {
            var d = found.results[i].doc, doc = data.docs[d];
            return docText(doc[1]).then(function (text) {
              return {
                title: doc[0], href: siteRoot + doc[1], outlet: doc[2] >= 0 ? data.outlets[doc[2]] : null,
                date: doc[4], inferred: !!doc[5], type: data.types[doc[3]],
                excerpt: engine.excerpt(text || doc[0], found)
              };
            });
          }
        });
      }
    };
  }

  function pagefindBackend(pagefind, engine) {
    var data = engine.data, allDates = null;
    function dates() {
      if (allDates) return Promise.resolve(allDates);
      return pagefind.filters().then(function (f) { allDates = Object.keys((f && f.date) || {}).sort(); return allDates; });
    }
    function fromData(d, wanted, prefix) {
      var words = (d.content || "").split(/\s+/), matched = new Set(wanted);
      (d.locations || []).forEach(function (n) {
        var w = words[n];
        if (w) (fold(w).match(WORD) || []).forEach(function (t) {  // "Palmyra's" marks palmyra, never "s"
          if (t.length > 1 && !engine.stop.has(t)) matched.add(t);
        });
      });
      var type = (d.filters && d.filters.type && d.filters.type[0]) || "article";
      var title = (d.meta && d.meta.title) || "";
      var body = d.content || "";
      if (title && body.lastIndexOf(title, 0) === 0) body = body.slice(title.length);  // the headline is shown already
      return {
        title: title, href: siteRoot + d.url.replace(/^\//, "").split("#")[0],
        outlet: type === "article" && d.filters && d.filters.outlet ? d.filters.outlet[0] : null,
        date: (d.meta && d.meta.date) || "", inferred: !!(d.meta && d.meta.inferred), type: type,
        excerpt: excerpt(body || title, matched, prefix)
      };
    }
    return {
      name: "pagefind",
      search: function (query, state) {
        var terms = engine.tokens(query);
        var raw = fold(query).match(WORD) || [];
        var prefix = raw.length && !/[\s\p{P}]$/u.test(query) ? raw[raw.length - 1] : "";
        var named = state.entity == null ? engine.entitiesNamed(query) : [];
        var wanted = terms.slice();
        named.forEach(function (e) { wanted = wanted.concat(engine.highlightWords[e]); });
        var sorted = state.sort === "newest" || state.sort === "oldest";
        return (state.from || state.to ? dates() : Promise.resolve(null)).then(function (days) {
          var base = {};
          if (state.outlet != null) base.outlet = data.outlets[state.outlet];
          if (state.entity != null) base.entity = data.entities[state.entity][0];
          if (state.story != null) base.story = data.stories[state.story];
          if (days) base.date = { any: days.filter(function (d) { return inRange(d, state.from, state.to); }) };
          if (days && !base.date.any.length) return { count: 0, item: null };
          var term = query.trim() ? query : null;
          var where = term ? engine.bundlesFor(query) : null, searched = base;
          if (where) searched = Object.assign({}, base, { bundle: { any: where } });
          var articleType = state.type == null ? "article" : data.types[state.type];
          var queries = [{ term: term, filters: Object.assign({}, searched, { type: articleType }) }];
          named.forEach(function (e) {  // every article naming the entity, under any of its names
            if (state.type == null || articleType === "article") {
              queries.push({ term: null, filters: Object.assign({}, base, { type: "article", entity: data.entities[e][0] }) });
            }
          });
          var entityTypes = data.types.filter(function (t) { return t !== "article"; });
          var others = state.type == null && state.story == null && term && entityTypes.length
            ? { term: term, filters: Object.assign({}, searched, { type: { any: entityTypes } }) } : null;
          return Promise.all(queries.concat(others ? [others] : []).map(function (q) {
            // No bundle holds one of the words: nothing to search (Pagefind would guess, see bundlesFor).
            if (q.filters.bundle && !q.filters.bundle.any.length) return { results: [], filters: {} };
            return pagefind.search(q.term, { filters: q.filters });
          })).then(function (found) {
            var lists = found.slice(0, queries.length), pages = others ? resultsOf(found[queries.length]) : [];
            var articles = sorted ? byDate(pagefind, queries, lists, state.sort === "newest")
                                  : concatenated(lists.map(resultsOf));
            var cache = new Map();
            return {
              count: articles.count + pages.length,  // entity pages (other ids) after the articles
              item: function (i) {
                if (!cache.has(i)) {
                  var result = i < articles.count ? articles.get(i) : Promise.resolve(pages[i - articles.count]);
                  cache.set(i, result.then(dataOf).then(function (d) { return fromData(d, wanted, prefix); }));
                }
                return cache.get(i);
              }
            };
          });
        });
      }
    };
  }

  function resultsOf(response) { return (response && response.results) || []; }

  /* A Pagefind result's data (its fragment), loaded once. */
  var loaded = new WeakMap();
  function dataOf(result) {
    if (!loaded.has(result)) loaded.set(result, result.data());
    return loaded.get(result);
  }

  /* Result lists → one list without repeats: {count, get(i) → Promise of a Pagefind result}. */
  function concatenated(lists) {
    var seen = new Set(), out = [];
    lists.forEach(function (l) { l.forEach(function (r) { if (!seen.has(r.id)) { seen.add(r.id); out.push(r); } }); });
    return { count: out.length, get: function (i) { return Promise.resolve(out[i]); }, all: out };
  }

  /* The results of `queries` (whose unsorted responses are `responses`) by date, newest or oldest
     first, undated ones last: {count, get(i)}. Pagefind's own sort cannot be used over merged
     bundles (each bundle scores a sorted result by its rank within that bundle, and the merged
     list is ordered by score), so the dates are walked here: each response counts its results per
     day (the `date` filter), and the days are taken in order, a group of days at a time holding
     about a page of results, each group one search narrowed to its days. Only a group of several
     days needs its results' dates, from their data, which is loaded to show them anyway. */
  function byDate(pagefind, queries, responses, descending) {
    var union = concatenated(responses.map(resultsOf)), counts = {};
    responses.forEach(function (r) {
      var days = (r && r.filters && r.filters.date) || {};
      Object.keys(days).forEach(function (d) { if (days[d] > 0) counts[d] = (counts[d] || 0) + days[d]; });
    });
    var days = Object.keys(counts).sort();
    if (descending) days.reverse();
    var next = 0, seen = new Set(), out = [], done = false, pending = Promise.resolve();
    function add(results) { results.forEach(function (r) { if (!seen.has(r.id)) { seen.add(r.id); out.push(r); } }); }
    function group() {
      if (next >= days.length) { add(union.all); done = true; return Promise.resolve(); }  // the undated ones
      var chosen = [days[next++]], size = counts[chosen[0]];
      while (next < days.length && size + counts[days[next]] <= PAGE) { size += counts[days[next]]; chosen.push(days[next++]); }
      return Promise.all(queries.map(function (q) {
        if (q.filters.bundle && !q.filters.bundle.any.length) return { results: [] };
        return pagefind.search(q.term, { filters: Object.assign({}, q.filters, { date: { any: chosen } }) });
      })).then(function (found) {
        var results = concatenated(found.map(resultsOf)).all.filter(function (r) { return !seen.has(r.id); });
        if (chosen.length === 1) { add(results); return; }
        return Promise.all(results.map(function (r) {
          return dataOf(r).then(function (d) { return (d.meta && d.meta.date) || ""; });
        })).then(function (dated) {
          var order = results.map(function (r, k) { return k; });
          order.sort(function (a, b) {
            var x = dated[a], y = dated[b];
            return x === y ? a - b : (x < y) === descending ? 1 : -1;
          });
          add(order.map(function (k) { return results[k]; }));
        });
      });
    }
    function fill(i) {
      if (out.length > i || done) return Promise.resolve();
      return group().then(function () { return fill(i); });
    }
    return {
      count: union.count,
      get: function (i) {
        pending = pending.then(function () { return fill(i); });
        return pending.then(function () { return out[i]; });
      }
    };
  }

  function select(id, text, options, first) {
    var s = el("select", { id: id, name: id });
    s.append(el("option", { value: "" }, [first || "All"]));
    options.forEach(function (o) { s.append(el("option", { value: String(o[0]) }, [o[1]])); });
    return el("div", { class: "search-filter" }, [el("label", { for: id }, [text]), s]);
  }

  function ui(engine, backend) {
    var data = engine.data;
    var byName = function (a, b) { return a[1].localeCompare(b[1]); };
    var input = el("input", { type: "search", id: "search-input", name: "q", autocomplete: "off", spellcheck: "false" });
    var outlet = select("search-outlet", "Outlet", data.outlets.map(function (o, i) { return [i, o]; }));
    var entity = select("search-entity", "Entity", data.entities.map(function (e, i) { return [i, e[0]]; }).sort(byName));
    var type = select("search-type", "Type", data.types.map(function (t, i) { return [i, t]; }), "Articles, then entities");
    var stories = data.stories || [];
    var story = stories.length ? select("search-story", "Story", stories.map(function (s, i) { return [i, s]; })) : null;
    var from = el("input", { type: "date", id: "search-from", name: "from" });
    var to = el("input", { type: "date", id: "search-to", name: "to" });
    var sort = el("select", { id: "search-sort", name: "sort" }, [
      el("option", { value: "relevance" }, ["Best match"]),
      el("option", { value: "newest" }, ["Newest first"]),
      el("option", { value: "oldest" }, ["Oldest first"])
    ]);
    var status = el("p", { class: "search-status", role: "status", "aria-live": "polite" });
    var suggestion = el("p", { class: "search-suggestion", hidden: "" });
    var card = el("div", { class: "entity-matches", "aria-live": "polite" });
    var list = el("ol", { class: "search-results" });
    var more = el("button", { type: "button", class: "toggle", hidden: "" }, ["Show more results"]);
    var form = el("form", { role: "search", class: "search-form" }, [
      el("label", { for: "search-input" }, ["Search the archive"]), input,
      el("div", { class: "search-filters" }, [
        outlet, entity, story, type,
        el("div", { class: "search-filter" }, [el("label", { for: "search-from" }, ["From"]), from]),
        el("div", { class: "search-filter" }, [el("label", { for: "search-to" }, ["To"]), to]),
        el("div", { class: "search-filter" }, [el("label", { for: "search-sort" }, ["Sort"]), sort])
      ])
    ]);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    box.replaceChildren(form, suggestion, card, status, list, more);
    box.setAttribute("data-engine", backend.name);
    var current = null, shown = 0, generation = 0;

    function value(wrapper) { var v = wrapper.querySelector("select").value; return v === "" ? null : Number(v); }
    function state() {
      return { outlet: value(outlet), entity: value(entity), type: value(type), story: story ? value(story) : null,
               from: from.value || "", to: to.value || "", sort: sort.value };
    }

    function row(r) {
      var meta = r.type === "article"
        ? [r.outlet || "Unknown outlet", r.date ? humanDate(r.date) + (r.inferred ? " (inferred)" : "") : "date unknown"].join(" · ")
        : r.type;
      var ex = el("p", { class: "excerpt", dir: "auto" });
      r.excerpt.forEach(function (piece) { ex.append(piece[1] ? el("mark", {}, [piece[0]]) : piece[0]); });
      return el("li", {}, [el("a", { href: r.href, dir: "auto" }, [r.title]), el("span", { class: "meta" }, [meta]), ex]);
    }

    function showMore(gen) {
      if (!current || !current.count) return;
      var end = Math.min(current.count, shown + PAGE), jobs = [];
      for (var i = shown; i < end; i++) jobs.push(current.item(i));
      shown = end;
      more.hidden = true;
      Promise.all(jobs).then(function (rows) {
        if (gen !== generation) return;
        rows.forEach(function (r) { list.append(row(r)); });
        more.hidden = shown >= current.count;
      });
    }

    function showCard(q) {
      card.replaceChildren();
      if (value(entity) != null) return;
      engine.entitiesNamed(q).forEach(function (e) {
        var ent = data.entities[e], doc = data.docs[ent[2]];
        var names = ent[3] ? ent[3].split("|").filter(function (n) { return n !== ent[0]; }) : [];
        var count = engine.entityList(e).docs.length;
        card.append(el("div", { class: "entity-match" }, [
          el("p", { class: "type" }, [data.types[ent[1]]]),
          el("p", {}, [el("a", { href: siteRoot + doc[1] }, [ent[0]]),
                       " · mentioned in " + count + (count === 1 ? " article" : " articles")]),
          names.length ? el("p", { class: "meta" }, ["Also written: " + names.join(", ")]) : null
        ]));
      });
    }

    function run(queryOverride) {
      var q = queryOverride != null ? queryOverride : input.value, s = state(), gen = ++generation;
      try {
        var url = new URL(window.location.href);
        if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
        window.history.replaceState(null, "", url.href);
      } catch (e) { /* file:// may refuse */ }
      var idle = !q.trim() && s.outlet === null && s.entity === null && s.type === null && s.story === null && !s.from && !s.to;
      if (queryOverride == null) suggestion.hidden = true;
      showCard(q);
      if (idle) { list.replaceChildren(); status.textContent = ""; more.hidden = true; current = null; return; }
      backend.search(q, s).then(function (found) {
        if (gen !== generation) return;
        var better = queryOverride == null && q.trim() ? engine.suggest(q) : null;
        if (found.count === 0 && better) {  // nothing: search what the reader most likely meant
          suggestion.replaceChildren("No results for “" + q + "”. Showing results for “", el("strong", {}, [better]), "”.");
          suggestion.hidden = false;
          run(better);
          return;
        }
        if (better && queryOverride == null) {
          var link = el("button", { type: "button", class: "link-button" }, [better]);
          link.addEventListener("click", function () { input.value = better; run(); });
          suggestion.replaceChildren("Did you mean ", link, "?");
          suggestion.hidden = false;
        }
        current = found;
        shown = 0;
        list.replaceChildren();
        status.textContent = found.count === 1 ? "1 result" : found.count + " results";
        showMore(gen);
      });
    }

    input.addEventListener("input", function () { run(); });
    [outlet, entity, type, story].filter(Boolean).forEach(function (w) { w.querySelector("select").addEventListener("change", function () { run(); }); });
    [from, to, sort].forEach(function (c) { c.addEventListener("change", function () { run(); }); });
    more.addEventListener("click", function () { showMore(generation); });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { input.value = q; run(); }
  }

  function unavailable() {
    box.replaceChildren(el("p", { class: "search-status" }, [
      "Search is not available in this copy of the archive. Browse the list of articles or the entities instead."
    ]));
  }

  function index() {
    if (window.ANNALIST_SEARCH) return Promise.resolve(window.ANNALIST_SEARCH);
    return loadScript(box.getAttribute("data-fallback")).then(function () {
      if (!window.ANNALIST_SEARCH) throw new Error("no index");
      return window.ANNALIST_SEARCH;
    });
  }

  /* Pagefind's index is split into bundles (annalist/publish/search.py: by a hash of the article's
     path, and one for the other pages) so that a rebuild re-indexes only what changed;
     _pagefind/bundles.json lists them. The first one's pagefind.js is imported and the others are
     merged into it (mergeIndex): one search, one set of filters, over every bundle. */
  function pagefindEngine() {
    if (window.location.protocol === "file:") return Promise.reject(new Error("file://"));
    return fetch(bundle + "bundles.json").then(function (response) {
      if (!response.ok) throw new Error("no bundles");
      return response.json();
    }).then(function (list) {
      var names = (list && list.bundles) || [];
      if (!names.length) throw new Error("no bundles");
      function at(name) { return new URL(name + "/", bundle).pathname; }
      // Result URLs as indexed ("/articles/….html"), wherever the site is hosted: siteRoot is added here.
      // Every page carries its bundle's name as a filter (`bundle`), so a search can leave out the
      // bundles that cannot hold its words (Engine.bundlesFor).
      function options(name) { return { baseUrl: "/", mergeFilter: { bundle: name } }; }
      return import(bundle + names[0] + "/pagefind.js").then(function (pagefind) {
        return pagefind.options(options(names[0])).then(function () { return pagefind.init(); }).then(function () {
          return Promise.all(names.slice(1).map(function (name) { return pagefind.mergeIndex(at(name), options(name)); }));
        }).then(function () { return pagefind; });
      });
    });
  }

  var engineLoad = pagefindEngine();
  engineLoad.catch(function () {});  // a build without Pagefind's bundles, or file://: the offline index
  index().then(function (data) {
    var engine = new Engine(data);
    engineLoad.then(function (pagefind) { ui(engine, pagefindBackend(pagefind, engine)); },
                    function () { ui(engine, offlineBackend(engine)); });
  }, unavailable);
})();
