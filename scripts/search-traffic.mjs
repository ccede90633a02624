#!/usr/bin/env node
// Query traffic per keystroke of docent's search, for scripts/bench.
//
// Loads a built site's search/search.js outside a browser and types each
// query one character at a time, as a reader types into a search box: for
// the text so far it runs the query and fetches what the box's panel
// shows (the first results' pages, which the panel reads its sections and
// excerpts from). A keystroke's traffic is the gzip-compressed size of the
// files it fetched that earlier keystrokes of the same query had not (each
// query starts with nothing cached, as on a fresh page).
//
// Usage: node scripts/search-traffic.mjs OUT [query ...]
// Without queries: the second and third words (4+ letters) of eight page titles
// spread over the site. Prints JSON: keystrokes, median, 95th percentile
// and largest kB per keystroke, and the query with the largest.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const out = process.argv[2];
if (!out) {
  console.error("usage: search-traffic.mjs OUT [query ...]");
  process.exit(2);
}
new Function(readFileSync(join(out, "search/search.js"), "utf8"))();
const { engine, results, PANEL } = globalThis.docentSearch;

/** The file an absolute URL path names in the output. */
const fileOf = (url) => {
  const path = decodeURIComponent(new URL(url, "http://site/").pathname);
  return join(out, path.endsWith("/") ? path + "index.html" : path);
};
const meta = JSON.parse(readFileSync(join(out, "search/index/meta.json"), "utf8"));

function defaultQueries() {
  const titles = [];
  const chunks = Math.ceil(meta.pages / meta.chunk);
  for (let i = 0; i < 8; i++) {
    const k = Math.floor((i * chunks) / 8);
    const rows = JSON.parse(readFileSync(join(out, `search/index/pages/${k}.json`), "utf8"));
    titles.push(rows[Math.floor(rows.length / 2)][1]);
  }
  return titles.map((t) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4).slice(1, 3).join(" ")).filter(Boolean);
}

const queries = process.argv.length > 3 ? process.argv.slice(3) : defaultQueries();
const perKey = [];
let worst = { kb: 0, query: "" };
for (const q of queries) {
  let bytes = 0;
  const get = (url, kind) => {
    let text;
    try {
      text = readFileSync(fileOf(url));
    } catch (e) {
      return Promise.reject(e);
    }
    bytes += gzipSync(text).length;
    text = text.toString("utf8");
    return Promise.resolve(kind === "json" ? JSON.parse(text) : text);
  };
  const eng = engine("/search/index/", get);
  for (let i = 1; i <= q.length; i++) {
    const typed = q.slice(0, i).trim();
    if (!typed) continue;
    bytes = 0;
    const found = await eng.search(typed);
    await results(eng, found, PANEL, PANEL);
    const kb = bytes / 1024;
    perKey.push(kb);
    if (kb > worst.kb) worst = { kb, query: typed };
  }
}
perKey.sort((a, b) => a - b);
const at = (p) => perKey[Math.min(perKey.length - 1, Math.floor(p * perKey.length))];
console.log(JSON.stringify({
  queries,
  keystrokes: perKey.length,
  median_kb: +at(0.5).toFixed(1),
  p95_kb: +at(0.95).toFixed(1),
  max_kb: +perKey[perKey.length - 1].toFixed(1),
  max_at: worst.query,
}));
