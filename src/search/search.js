// docent search: results as you type, from the static index docent writes
// under search/index/ (format: src/search/mod.rs). A query fetches only
// the term files of its words, one small page list, and the pages of the
// few results it shows (to link to the best section and quote it; the
// reader is likely to open one of them next). Written by docent next to
// its index, so it works with any theme:
// - the search page's form (`.search-form[data-search-index]`) lists
//   results below it; without JavaScript that page lists every page;
// - any other form with `data-search-index` (the theme's header box) opens
//   a small panel of the first results under it, with a link to the rest.
(function () {
  "use strict";
  var SCALE = 20; // weights are BM25's term-frequency factor times this
  var fold = function (w) { return w.normalize("NFKD").replace(/\p{M}/gu, ""); };
  // Split like the indexer: runs of letters and digits, lowercased, cut at
  // 32 characters, two or more, then folded ("café" is "cafe").
  var termsOf = function (text) {
    return text.toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u).map(function (w) {
      return Array.from(w).slice(0, 32).join("");
    }).filter(function (w) { return Array.from(w).length >= 2; }).map(fold);
  };
  var len = function (s) { return Array.from(s).length; };
  var hex = function (s) {
    return Array.from(new TextEncoder().encode(s), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  };
  var escapeHTML = function (s) {
    return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  };

  // The word forms a term file says share a stem: word -> stem (the key
  // "~" holds stem -> words; docent stems with the site language's Snowball
  // stemmer, so this script needs none).
  var stemsOf = function (shard) {
    if (!shard.__stems) {
      var byWord = new Map();
      Object.keys(shard["~"] || {}).forEach(function (stem) {
        shard["~"][stem].forEach(function (w) { byWord.set(w, stem); });
      });
      Object.defineProperty(shard, "__stems", { value: byWord });
    }
    return shard.__stems;
  };
  // How well an index word matches a query term: the word itself fully, a
  // longer word starting with the term (as typed) a little less, another
  // form of the term less again. When the term is itself an index word,
  // its other forms are the words sharing its stem ("placebo" does not
  // match "places"); otherwise, a word whose stem (or the word itself)
  // starts the term, at most four letters short of it ("retraction"
  // matches "retracted").
  var factorOf = function (key, term, stems, own) {
    if (key === term) return 1;
    if (key.indexOf(term) === 0) return 0.8;
    var stem = stems.get(key) || key;
    if (own !== null) return stem === own ? 0.7 : 0;
    var l = len(stem);
    return l >= 3 && term.indexOf(stem) === 0 && len(term) - l <= 4 ? 0.7 : 0;
  };
  // Damerau-Levenshtein distance (a swap of two neighbours counts one),
  // giving up past `max`.
  var distance = function (a, b, max) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var before = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      var cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      before = prev;
      prev = cur;
    }
    return prev[b.length];
  };

  // The search engine over the index at `base` (a URL ending in "/").
  // `get(url, kind)` fetches a URL as "json" or "text".
  var engine = function (base, get) {
    var cache = {};
    var load = function (url, kind) {
      cache[url] = cache[url] || get(url, kind);
      return cache[url];
    };
    var metaP = null;
    var meta = function () {
      metaP = metaP || load(base + "meta.json", "json").then(function (m) {
        m.listed = new Set(m.shards);
        m.longest = m.shards.reduce(function (n, s) { return Math.max(n, s.length / 2); }, 0);
        return m;
      });
      return metaP;
    };
    // The term file for a word: its longest prefix the index lists.
    var shardFor = function (m, term) {
      var chars = Array.from(term);
      for (var n = Math.min(chars.length, m.longest); n >= 2; n--) {
        var name = hex(chars.slice(0, n).join(""));
        if (m.listed.has(name)) return name;
      }
      return null;
    };
    var shard = function (m, name) {
      return name ? load(base + "terms/" + name + ".json", "json") : Promise.resolve({});
    };
    // Page number -> score for one query term: BM25 (the index holds the
    // term-frequency factor; rarer words weigh more), and the index words
    // that matched it (marked in excerpts).
    var scoresFor = function (term, data, pages) {
      var stems = stemsOf(data);
      var own = Object.prototype.hasOwnProperty.call(data, term) ? stems.get(term) || term : null;
      var scores = new Map();
      var matched = [];
      Object.keys(data).forEach(function (key) {
        if (key === "~") return;
        var factor = factorOf(key, term, stems, own);
        if (!factor) return;
        matched.push(key);
        var postings = data[key];
        var df = postings.length / 2;
        var idf = Math.log(1 + (pages - df + 0.5) / (df + 0.5));
        for (var i = 0, page = 0; i < postings.length; i += 2) {
          page += postings[i];
          var s = factor * idf * postings[i + 1] / SCALE;
          if (s > (scores.get(page) || 0)) scores.set(page, s);
        }
      });
      return { scores: scores, matched: matched };
    };
    // The term files a typo could hide a word in: the term's own, and
    // those of the term with its first two letters swapped or with its
    // first or second letter left out (an extra letter typed there).
    var nearShards = function (m, term) {
      var c = Array.from(term);
      if (c.length < 3) return [];
      return [c[1] + c[0] + c.slice(2).join(""), c.slice(1).join(""), c[0] + c.slice(2).join("")]
        .map(function (t) { return shardFor(m, t); });
    };
    // For a term that matches nothing: the index word within edit distance
    // 1 (2 from eight letters) that is closest, then most used.
    var correct = function (term, shards) {
      var max = len(term) >= 8 ? 2 : 1;
      var best = null;
      shards.forEach(function (data) {
        Object.keys(data).forEach(function (key) {
          if (key === "~") return;
          var d = distance(term, key, max);
          if (d > max) return;
          var uses = data[key].length;
          if (!best || d < best.d || (d === best.d && uses > best.uses)) best = { word: key, d: d, uses: uses, data: data };
        });
      });
      return best;
    };
    // One query term's pages and scores: from its own term file, or, when
    // it matches nothing there, from its likeliest spelling (`corrected`).
    var lookup = function (term, m) {
      var own = shardFor(m, term);
      return shard(m, own).then(function (data) {
        var found = scoresFor(term, data, m.pages);
        if (found.scores.size) return found;
        var others = nearShards(m, term).filter(function (n, i, all) { return n && n !== own && all.indexOf(n) === i; });
        return Promise.all(others.map(function (n) { return shard(m, n); })).then(function (more) {
          var fix = correct(term, [data].concat(more));
          if (!fix) return found;
          var fixed = scoresFor(fix.word, fix.data, m.pages);
          fixed.corrected = fix.word;
          return fixed;
        });
      });
    };
    // The pages matching every term, best first (equal scores in
    // navigation order, which is page-number order).
    var search = function (q) {
      var terms = termsOf(q).filter(function (t, i, all) { return all.indexOf(t) === i; });
      if (!terms.length) return Promise.resolve({ count: 0, ranked: [], terms: terms, matched: new Set(), perTerm: [], corrected: [] });
      return meta().then(function (m) {
        return Promise.all(terms.map(function (t) { return lookup(t, m); })).then(function (lookups) {
          // Pages with every term, scores added; when there are none,
          // pages with most of the terms (`partial`).
          var sum = new Map();
          var hits = new Map();
          var matched = new Set();
          var corrected = terms.slice();
          var perTerm = lookups.map(function (found) { return new Set(found.matched); });
          lookups.forEach(function (found, i) {
            if (found.corrected) corrected[i] = found.corrected;
            found.matched.forEach(function (w) { matched.add(w); });
            found.scores.forEach(function (s, page) {
              sum.set(page, (sum.get(page) || 0) + s);
              hits.set(page, (hits.get(page) || 0) + 1);
            });
          });
          var all = Array.from(sum.keys()).filter(function (p) { return hits.get(p) === terms.length; });
          var partial = !all.length && terms.length > 1 && sum.size > 0;
          var ranked = (partial ? Array.from(sum.keys()) : all).map(function (p) { return [p, sum.get(p)]; })
            .sort(function (a, b) { return hits.get(b[0]) - hits.get(a[0]) || b[1] - a[1] || a[0] - b[0]; });
          var fixed = corrected.join(" ") !== terms.join(" ");
          return { count: ranked.length, ranked: ranked, partial: partial, terms: terms, matched: matched, perTerm: perTerm, corrected: corrected,
            suggestion: fixed ? corrected.join(" ") : null, chunk: m.chunk };
        });
      });
    };
    // A page's URL and title.
    var pageRow = function (found, page) {
      return load(base + "pages/" + Math.floor(page / found.chunk) + ".json", "json").then(function (rows) {
        return rows[page % found.chunk];
      });
    };
    return { search: search, pageRow: pageRow, fetchPage: function (url) { return load(url, "text"); } };
  };

  // A page's sections from its HTML: the text of the parts the theme marks
  // `data-search-body` (else `main`), without `data-search-ignore`
  // subtrees, split at each heading with an id (the part before the first
  // is the page's top). Each: id, heading, words, how many of them are the
  // heading's.
  var BLOCK = /^(ADDRESS|ARTICLE|ASIDE|BLOCKQUOTE|BR|CAPTION|DD|DETAILS|DIV|DL|DT|FIGCAPTION|FIGURE|FOOTER|H[1-6]|HEADER|HR|LI|MAIN|NAV|OL|P|PRE|SECTION|SUMMARY|TABLE|TD|TH|TR|UL)$/;
  var SKIP = /^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT)$/;
  var sectionsOf = function (html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var roots = doc.querySelectorAll("[data-search-body]");
    if (!roots.length) roots = doc.querySelectorAll("main");
    var parts = [{ id: "", heading: "", text: "", headWords: 0 }];
    var walk = function (node) {
      var cur = parts[parts.length - 1];
      if (node.nodeType === 3) { cur.text += node.nodeValue; return; }
      if (node.nodeType !== 1 || SKIP.test(node.tagName) || node.hasAttribute("data-search-ignore")) return;
      if (/^H[2-6]$/.test(node.tagName) && node.id) {
        var heading = node.textContent.replace(/\s+/g, " ").trim();
        parts.push({ id: node.id, heading: heading, text: heading + " ", headWords: heading ? heading.split(" ").length : 0 });
        return;
      }
      var block = BLOCK.test(node.tagName);
      if (block) cur.text += " ";
      for (var c = node.firstChild; c; c = c.nextSibling) walk(c);
      if (block) parts[parts.length - 1].text += " ";
    };
    Array.prototype.forEach.call(roots, walk);
    return parts.map(function (p) {
      var words = p.text.split(/\s+/).filter(Boolean);
      return { id: p.id, heading: p.heading, words: words, headWords: p.headWords };
    });
  };
  // For each query term, whether a word of page text matches it: it is
  // one of the index words the term matched, or starts with the term.
  var matchers = function (found) {
    return found.corrected.map(function (term, i) {
      var words = found.perTerm[i];
      return function (w) {
        var t = termsOf(w)[0];
        return !!t && (words.has(t) || t.indexOf(term) === 0);
      };
    });
  };
  // About 30 words of a section around its first match, matches marked.
  var excerpt = function (words, from, isMatch) {
    var first = from;
    for (var w = from; w < words.length; w++) if (isMatch(words[w])) { first = w; break; }
    var start = Math.max(from, first - 10);
    var end = Math.min(words.length, start + 30);
    var out = words.slice(start, end).map(function (w) {
      return isMatch(w) ? "<mark>" + escapeHTML(w) + "</mark>" : escapeHTML(w);
    }).join(" ");
    return (start > from ? "… " : "") + out + (end < words.length ? " …" : "");
  };
  // A result's sections ranked by BM25 over the page's sections: per query
  // term, its count in the section's text plus 5 when the heading has it,
  // saturating (k1 1.2), normalised by the section's length against the
  // page's average (b 0.75: a short section about the words beats a long
  // list that mentions them in passing), times how few of the page's
  // sections have the term. The best is the link and the excerpt; the
  // next is offered too.
  var describe = function (row, parts, tests) {
    var counts = parts.map(function (s) {
      return tests.map(function (test) {
        var h = 0;
        var b = 0;
        s.words.forEach(function (w, i) { if (test(w)) { if (i < s.headWords) h++; else b++; } });
        return { h: h, b: b };
      });
    });
    var avg = parts.reduce(function (n, s) { return n + s.words.length; }, 0) / parts.length || 1;
    var idf = tests.map(function (_, t) {
      var having = counts.filter(function (c) { return c[t].h + c[t].b > 0; }).length;
      return Math.log(1 + (parts.length - having + 0.5) / (having + 0.5));
    });
    var scored = parts.map(function (s, i) {
      var norm = 1.2 * (0.25 + 0.75 * s.words.length / avg);
      var score = counts[i].reduce(function (sum, c, t) {
        var tf = (c.h ? 5 : 0) + c.b;
        return sum + (tf ? idf[t] * tf * 2.2 / (tf + norm) : 0);
      }, 0);
      return { s: s, i: i, score: score };
    }).filter(function (x) { return x.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.i - b.i; });
    var best = scored.length ? scored[0].s : parts[0];
    var isMatch = function (w) { return tests.some(function (test) { return test(w); }); };
    var link = function (s) { return s.id ? row[0] + "#" + encodeURIComponent(s.id) : row[0]; };
    return {
      url: link(best), title: row[1], heading: best.heading,
      excerpt: excerpt(best.words, best.headWords, isMatch),
      more: scored.slice(1, 2).map(function (x) { return { url: link(x.s), heading: x.s.heading || row[1] }; }),
    };
  };

  // The first `shown` results of `found`, each described from its page
  // when `describeFirst` allows (the rest get their page link and title).
  var results = function (eng, found, shown, describeFirst) {
    var tests = matchers(found);
    return Promise.all(found.ranked.slice(0, shown).map(function (r, i) {
      return eng.pageRow(found, r[0]).then(function (row) {
        var plain = { url: row[0], title: row[1], heading: "", excerpt: "", more: [] };
        if (i >= describeFirst) return plain;
        return eng.fetchPage(row[0]).then(function (html) {
          // (No DOMParser outside a browser: scripts/bench counts bytes.)
          return typeof DOMParser === "undefined" ? plain : describe(row, sectionsOf(html), tests);
        }, function () { return plain; });
      });
    }));
  };
  // The messages in the page's language: the form's data-search-strings
  // (the theme strings whose keys start with js_, those that differ from
  // ENGLISH), English where it has none; plural forms chosen by the browser's rules for the language.
  // The default theme's English strings, written in by docent as it
  // writes this file (src/i18n.rs, english_js_json).
  var ENGLISH = __DOCENT_ENGLISH__;
  var messagesOf = function (form) {
    var own = {};
    try { own = JSON.parse(form.getAttribute("data-search-strings") || "{}") || {}; } catch (e) { own = {}; }
    var rules = null;
    try { rules = new Intl.PluralRules(own.lang || "en"); } catch (e) { rules = null; }
    var fill = function (text, vars) {
      return String(text).replace(/\{(\w+)\}/g, function (all, name) {
        return vars && vars[name] !== undefined ? vars[name] : all;
      });
    };
    var get = function (key, vars) {
      return fill(own[key] !== undefined ? own[key] : ENGLISH[key], vars);
    };
    var count = function (key, n, vars) {
      var form = rules ? rules.select(n) : (n === 1 ? "one" : "other");
      var k = [key + "_" + form, key + "_other"].filter(function (c) { return own[c] !== undefined; })[0];
      return k ? fill(own[k], vars) : fill(ENGLISH[key + (n === 1 ? "_one" : "_other")], vars);
    };
    return { get: get, count: count };
  };
  var statusText = function (M, q, found, shown) {
    if (!found.terms.length) return M.get("type_more");
    if (!found.count) return M.get("none", { query: q });
    var first = found.count > shown ? M.get("showing_first", { shown: shown }) : "";
    if (found.partial) return M.count("partial", found.count, { query: q, count: found.count }) + first;
    return (found.suggestion ? M.get("did_you_mean", { suggestion: found.suggestion }) + " " : "")
      + M.count("results", found.count, { query: found.suggestion || q, count: found.count })
      + (found.suggestion ? " " + M.get("you_typed", { query: q }) : "")
      + first;
  };
  // One result as a list item: a link with the title and section heading,
  // the excerpt, and the page's second section.
  var item = function (M, d) {
    var span = function (cls, text) {
      var el = document.createElement("span");
      el.className = cls;
      el.textContent = text;
      return el;
    };
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = d.url;
    a.appendChild(span("search-title", d.title || d.url));
    if (d.heading) a.appendChild(span("search-heading", d.heading));
    li.appendChild(a);
    if (d.excerpt) {
      var p = document.createElement("p");
      p.innerHTML = d.excerpt;
      li.appendChild(p);
    }
    d.more.forEach(function (m) {
      var more = document.createElement("a");
      more.className = "search-more";
      more.href = m.url;
      more.textContent = M.get("also", { heading: m.heading });
      li.appendChild(more);
    });
    return li;
  };
  // Up and down arrows move between the input and the result links.
  var arrows = function (input, list) {
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && list.querySelector("a")) { e.preventDefault(); list.querySelector("a").focus(); }
    });
    list.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    });
  };
  // Runs `query(q, current, now)` 120 ms after the last keystroke (at
  // once when `now`: the form was sent); `current()` tells whether this is
  // still the latest query when its answer arrives.
  var typing = function (input, query) {
    var latest = 0;
    var timer = null;
    return function (now) {
      var seq = ++latest;
      now = now === true;
      clearTimeout(timer);
      timer = setTimeout(function () {
        query(input.value.trim(), function () { return seq === latest; }, now);
      }, now ? 0 : 120);
    };
  };
  var fetcher = function (url, kind) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return kind === "json" ? r.json() : r.text();
    });
  };
  var engines = {};
  var engineFor = function (form) {
    var base = new URL(form.getAttribute("data-search-index"), location.href).href;
    engines[base] = engines[base] || engine(base, fetcher);
    return engines[base];
  };
  var PANEL = 5; // results in a search box's panel, each described from its page

  // The search page: ten results as you type; the first five described at
  // once, the rest when typing pauses or the form is sent.
  var searchPage = function (form) {
    var M = messagesOf(form);
    var input = form.querySelector("input");
    var list = document.getElementById("search-results");
    var status = document.querySelector(".search-status");
    var eng = engineFor(form);
    var idle = null;
    var run = typing(input, function (q, current, now) {
      clearTimeout(idle);
      if (!q) { list.innerHTML = ""; status.textContent = ""; return; }
      eng.search(q).then(function (found) {
        var draw = function (describeFirst) {
          return results(eng, found, 10, describeFirst).then(function (items) {
            if (!current()) return;
            list.innerHTML = "";
            items.forEach(function (d) { list.appendChild(item(M, d)); });
            status.textContent = statusText(M, q, found, items.length);
          });
        };
        return draw(now ? 10 : 5).then(function () {
          if (!now && current() && found.count > 5) idle = setTimeout(function () { if (current()) draw(10); }, 600);
        });
      }).catch(function () { if (current()) status.textContent = M.get("unavailable"); });
    });
    input.addEventListener("input", function () { run(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
    arrows(input, list);
    var initial = new URLSearchParams(location.search).get("q");
    if (initial) { input.value = initial; run(true); }
  };

  // Any other search box: the first five results in a panel under it, a
  // live count for screen readers, Escape to close, and a link to the
  // search page for the rest. Sending the form still goes to that page.
  var quickSearch = function (form) {
    var input = form.querySelector("input[name=q]") || form.querySelector("input");
    if (!input || form.__docentSearch) return;
    form.__docentSearch = true;
    var M = messagesOf(form);
    var panel = document.createElement("div");
    panel.className = "search-panel";
    panel.hidden = true;
    panel.id = (input.id || "search") + "-panel";
    var status = document.createElement("p");
    status.className = "search-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var list = document.createElement("ol");
    list.className = "search-results";
    var all = document.createElement("a");
    all.className = "search-all";
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(all);
    form.appendChild(panel);
    // (No aria-expanded: a search box may not carry it; the live count
    // tells screen readers when results appear.)
    input.setAttribute("aria-controls", panel.id);
    var eng = engineFor(form);
    var show = function (open) { panel.hidden = !open; };
    var run = typing(input, function (q, current) {
      if (!q) { list.innerHTML = ""; status.textContent = ""; show(false); return; }
      eng.search(q).then(function (found) {
        return results(eng, found, PANEL, PANEL).then(function (items) {
          if (!current()) return;
          list.innerHTML = "";
          items.forEach(function (d) { list.appendChild(item(M, d)); });
          status.textContent = statusText(M, q, found, items.length);
          var action = form.getAttribute("action") || "";
          all.href = action + (action.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
          all.textContent = found.count > items.length ? M.get("see_all", { count: found.count }) : M.get("open_page");
          show(true);
        });
      }).catch(function () { if (current()) { status.textContent = M.get("unavailable"); show(true); } });
    });
    input.addEventListener("input", function () { run(); });
    input.addEventListener("focus", function () { if (input.value.trim() && list.firstChild) show(true); });
    arrows(input, panel);
    form.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !panel.hidden) { e.preventDefault(); e.stopPropagation(); show(false); input.focus(); }
    });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) show(false); });
    if (input.value.trim()) run(true);
  };

  if (typeof document === "undefined") {
    // Outside a browser: scripts/bench measures traffic with the engine,
    // tests/browser/search-engine.test.mjs tests it.
    if (typeof globalThis !== "undefined") {
      globalThis.docentSearch = { engine: engine, results: results, PANEL: PANEL, distance: distance, termsOf: termsOf };
    }
    return;
  }
  var page = document.querySelector(".search-form[data-search-index]");
  if (page) searchPage(page);
  Array.prototype.forEach.call(document.querySelectorAll("form[data-search-index]"), function (f) {
    if (f !== page && !page) quickSearch(f);
  });
})();
