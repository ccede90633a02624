// docent search: results as you type on the search page, from the static
// index docent writes under search/index/ (format: src/search/mod.rs). Only
// the term files of the query's two-letter prefixes and the text files of
// the results shown are fetched. Written by docent next to its index, so it
// works with any theme; without JavaScript the page lists every page.
(function () {
  "use strict";
  var form = document.querySelector(".search-form[data-search-index]");
  if (!form) return;
  var input = form.querySelector("input");
  var list = document.getElementById("search-results");
  var status = document.querySelector(".search-status");
  var base = form.getAttribute("data-search-index");
  var fetched = {};
  var getJSON = function (path) {
    fetched[path] = fetched[path] || fetch(base + path).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + path);
      return r.json();
    });
    return fetched[path];
  };
  // Split like the indexer: runs of letters and digits, lowercased, cut at
  // 32 characters, two or more, then folded ("café" is "cafe").
  var fold = function (w) { return w.normalize("NFKD").replace(/\p{M}/gu, ""); };
  var termsOf = function (text) {
    return text.toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u).map(function (w) {
      return Array.from(w).slice(0, 32).join("");
    }).filter(function (w) { return Array.from(w).length >= 2; }).map(fold);
  };
  var shardOf = function (term) {
    var bytes = new TextEncoder().encode(Array.from(term).slice(0, 2).join(""));
    return Array.from(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
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
  var len = function (s) { return Array.from(s).length; };
  // How well an index word matches a query term: the word itself fully, a
  // longer word starting with the term (as typed) a little less, another
  // form of the term (the term starts with the word's stem, or with the
  // word itself) less again.
  var factorOf = function (key, term, stems) {
    if (key === term) return 1;
    if (key.indexOf(term) === 0) return 0.8;
    var stem = stems.get(key) || key;
    var l = len(stem);
    return l >= 3 && term.indexOf(stem) === 0 && len(term) - l <= 4 ? 0.7 : 0;
  };
  // Page number -> score for one query term (rarer words weigh more), and
  // the index words that matched it (marked in excerpts).
  var scoresFor = function (term, shard, pages) {
    var stems = stemsOf(shard);
    var scores = new Map();
    var matched = [];
    Object.keys(shard).forEach(function (key) {
      if (key === "~") return;
      var factor = factorOf(key, term, stems);
      if (!factor) return;
      matched.push(key);
      var postings = shard[key];
      var idf = Math.log(1 + pages / (postings.length / 2));
      for (var i = 0, page = 0; i < postings.length; i += 2) {
        page += postings[i];
        var s = factor * idf * (1 + Math.log(postings[i + 1]));
        if (s > (scores.get(page) || 0)) scores.set(page, s);
      }
    });
    return { scores: scores, matched: matched };
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
  // The term files a typo in a term's first two letters could hide its word
  // in: those letters swapped, or the first or second one an extra letter.
  var nearShards = function (term) {
    var c = Array.from(term);
    if (c.length < 3) return [];
    return [c[1] + c[0] + c[2], c[1] + c[2], c[0] + c[2]].map(shardOf);
  };
  // For a term that matches nothing: the index word within edit distance 1
  // (2 from eight letters) that is closest, then most used.
  var correct = function (term, shards) {
    var max = len(term) >= 8 ? 2 : 1;
    var best = null;
    shards.forEach(function (shard) {
      Object.keys(shard).forEach(function (key) {
        if (key === "~") return;
        var d = distance(term, key, max);
        if (d > max) return;
        var uses = shard[key].length;
        if (!best || d < best.d || (d === best.d && uses > best.uses)) best = { word: key, d: d, uses: uses, shard: shard };
      });
    });
    return best;
  };
  // One query term's pages and scores: from its own term file, or, when it
  // matches nothing there, from its likeliest spelling (`corrected`).
  var lookup = function (term, meta) {
    var load = function (name) {
      return meta.shards.indexOf(name) < 0 ? Promise.resolve({}) : getJSON("terms/" + name + ".json");
    };
    var own = shardOf(term);
    return load(own).then(function (shard) {
      var found = scoresFor(term, shard, meta.pages);
      if (found.scores.size) return found;
      var others = nearShards(term).filter(function (n, i, all) { return n !== own && all.indexOf(n) === i; });
      return Promise.all(others.map(load)).then(function (more) {
        var fix = correct(term, [shard].concat(more));
        if (!fix) return found;
        var fixed = scoresFor(fix.word, fix.shard, meta.pages);
        fixed.corrected = fix.word;
        return fixed;
      });
    });
  };
  var escapeHTML = function (s) {
    return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  };
  // Whether a word of page text is one the query matched.
  var matcher = function (terms, matched) {
    return function (w) {
      var t = termsOf(w)[0];
      return !!t && (matched.has(t) || terms.some(function (s) { return t.indexOf(s) === 0; }));
    };
  };
  // About 30 words of words[from..to] around its first match, matches marked.
  var excerpt = function (words, from, to, isMatch) {
    var first = from;
    for (var w = from; w < to; w++) if (isMatch(words[w])) { first = w; break; }
    var start = Math.max(from, first - 10);
    var end = Math.min(to, start + 30);
    var out = words.slice(start, end).map(function (w) {
      return isMatch(w) ? "<mark>" + escapeHTML(w) + "</mark>" : escapeHTML(w);
    }).join(" ");
    return (start > 0 ? "… " : "") + out + (end < words.length ? " …" : "");
  };
  // A result: the page's sections (from its headings with ids; the part
  // before the first heading is the page's top) scored by the matching
  // words in them: 4 for each in the heading, and 1 + ln(n) for n in the
  // text (a long section that repeats a word does not outweigh a heading
  // that names it); the best one is the link and the excerpt, a second one
  // is offered too.
  var result = function (row, isMatch) {
    var words = row[2] ? row[2].split(" ") : [];
    var parts = [{ id: "", heading: "", word: 0 }].concat(row[5] || []);
    var scored = parts.map(function (s, i) {
      var end = i + 1 < parts.length ? parts[i + 1].word : words.length;
      var headingEnd = s.word + (s.heading ? s.heading.split(" ").length : 0);
      var inHeading = 0;
      var inBody = 0;
      for (var w = s.word; w < end; w++) {
        if (isMatch(words[w])) { if (w < headingEnd) inHeading++; else inBody++; }
      }
      var score = 4 * inHeading + (inBody ? 1 + Math.log(inBody) : 0);
      return { id: s.id, heading: s.heading, from: s.word, to: end, score: score };
    }).filter(function (s) { return s.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.from - b.from; });
    var best = scored[0] || { id: "", heading: "", from: 0, to: words.length };
    var link = function (s) { return s.id ? row[0] + "#" + encodeURIComponent(s.id) : row[0]; };
    return {
      url: link(best), title: row[1], heading: best.heading,
      excerpt: excerpt(words, best.from, best.to, isMatch),
      more: scored.slice(1, 2).map(function (s) { return { url: link(s), heading: s.heading || row[1] }; }),
    };
  };
  var search = function (q) {
    var terms = termsOf(q).filter(function (t, i, all) { return all.indexOf(t) === i; });
    if (!terms.length) return Promise.resolve({ count: 0, items: [], terms: terms });
    return getJSON("meta.json").then(function (meta) {
      return Promise.all(terms.map(function (t) { return lookup(t, meta); })).then(function (lookups) {
        // Every term must match; scores add up.
        var total = null;
        var matched = new Set();
        var corrected = terms.slice();
        lookups.forEach(function (found, i) {
          var scores = found.scores;
          if (found.corrected) corrected[i] = found.corrected;
          found.matched.forEach(function (w) { matched.add(w); });
          if (total === null) { total = scores; return; }
          var next = new Map();
          total.forEach(function (s, page) { if (scores.has(page)) next.set(page, s + scores.get(page)); });
          total = next;
        });
        var ranked = Array.from(total.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        return Promise.all(ranked.slice(0, 10).map(function (r) {
          return getJSON("text/" + Math.floor(r[0] / meta.chunk) + ".json").then(function (rows) { return rows[r[0] % meta.chunk]; });
        })).then(function (rows) {
          var fixed = corrected.join(" ") !== terms.join(" ");
          var isMatch = matcher(corrected, matched);
          return { count: ranked.length, terms: terms, suggestion: fixed ? corrected.join(" ") : null, items: rows.map(function (row) {
            return result(row, isMatch);
          }) };
        });
      });
    });
  };
  var latest = 0;
  var timer = null;
  var show = function (q, seq, found) {
    if (seq !== latest) return;
    list.innerHTML = "";
    var span = function (cls, text) {
      var el = document.createElement("span");
      el.className = cls;
      el.textContent = text;
      return el;
    };
    found.items.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = d.url;
      a.appendChild(span("search-title", d.title || d.url));
      if (d.heading) a.appendChild(span("search-heading", d.heading));
      var p = document.createElement("p");
      p.innerHTML = d.excerpt;
      li.appendChild(a);
      li.appendChild(p);
      d.more.forEach(function (m) {
        var more = document.createElement("a");
        more.className = "search-more";
        more.href = m.url;
        more.textContent = "Also: " + m.heading;
        li.appendChild(more);
      });
      list.appendChild(li);
    });
    status.textContent = !found.terms.length ? "Type a word of two letters or more."
      : found.count === 0 ? "No results for “" + q + "”"
      : (found.suggestion ? "Did you mean “" + found.suggestion + "”? " : "")
        + found.count + (found.count === 1 ? " result" : " results") + " for “" + (found.suggestion || q) + "”"
        + (found.suggestion ? " (you typed “" + q + "”)" : "")
        + (found.count > found.items.length ? ", showing the first " + found.items.length : "");
  };
  var run = function (now) {
    var q = input.value.trim();
    var seq = ++latest;
    clearTimeout(timer);
    if (!q) { list.innerHTML = ""; status.textContent = ""; return; }
    timer = setTimeout(function () {
      search(q).then(function (found) { show(q, seq, found); }, function () {
        if (seq === latest) status.textContent = "Search is unavailable: its index could not be loaded.";
      });
    }, now === true ? 0 : 120);
  };
  input.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
  form.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && list.querySelector("a")) { e.preventDefault(); list.querySelector("a").focus(); }
  });
  list.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(true); }
})();
