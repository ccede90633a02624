// The search engine of search.js without a browser (node loads the built
// script; it exports its engine when there is no document): query terms
// split and fold like the indexer, edit distance and typo candidates,
// words matched through the index's stems, and pages with most of the
// words when none has all. The browser tests cover the same through the
// page; these pin the pieces.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SITES, buildSite } from "./helpers.mjs";

let out;
let api;
before(() => {
  out = buildSite(SITES.find((s) => s.name === "flagship"));
  delete globalThis.docentSearch;
  new Function(readFileSync(join(out, "search/search.js"), "utf8"))();
  api = globalThis.docentSearch;
});

/** The engine over the built index, reading files instead of fetching. */
function engine(fetched = []) {
  return api.engine("/search/index/", (url, kind) => {
    fetched.push(url);
    try {
      const text = readFileSync(join(out, url.endsWith("/") ? url + "index.html" : url), "utf8");
      return Promise.resolve(kind === "json" ? JSON.parse(text) : text);
    } catch (e) {
      return Promise.reject(e);
    }
  });
}

test("query words split and fold as the indexer's do", () => {
  assert.deepEqual(api.termsOf("MDMA-assisted Café, naïve a 3,4"), ["mdma", "assisted", "cafe", "naive"]);
  assert.equal(api.termsOf("x".repeat(40))[0].length, 32);
});

test("edit distance counts a swap of neighbours as one and gives up past the limit", () => {
  const d = api.distance;
  assert.equal(d("therapy", "therapy", 1), 0);
  assert.equal(d("theraphy", "therapy", 1), 1); // one extra letter
  assert.equal(d("serotnin", "serotonin", 1), 1); // one missing
  assert.equal(d("hteraphy", "theraphy", 1), 1); // neighbours swapped
  assert.equal(d("thrapy", "therapy", 1), 1);
  assert.equal(d("trhapy", "therapy", 1), 2); // two edits: past the limit of 1
  assert.equal(d("xxxxxxxxxx", "therapy", 2), 3, "length gap alone gives up");
  assert.equal(d("café", "cafe", 1), 1, "characters, not bytes");
});

test("a typo is read as the closest index word, from the term files a typo could hide it in", async () => {
  // A swap in the first two letters: the word lives in another term file.
  const fetched = [];
  const found = await engine(fetched).search("hteraphy");
  assert.equal(found.suggestion, "therapy");
  assert.ok(found.count > 0);
  const files = fetched.filter((u) => u.includes("/terms/")).map((u) => u.split("/").pop());
  assert.ok(files.includes(Buffer.from("ht").toString("hex") + ".json"), files.join());
  assert.ok(files.includes(Buffer.from("th").toString("hex") + ".json"), files.join());
  // Eight letters or more: two edits allowed.
  assert.equal((await engine().search("antidepresents")).suggestion, "antidepressants");
  assert.equal((await engine().search("serotnin")).suggestion, "serotonin");
  // A word the index has is never "corrected".
  assert.equal((await engine().search("therapy")).suggestion, null);
  // Nothing within reach: no suggestion, no results.
  const none = await engine().search("zqxjvw");
  assert.equal(none.count, 0);
  assert.equal(none.suggestion, null);
});

test("other forms of a word match through the index's stems; prefixes match as typed", async () => {
  const found = await engine().search("retraction");
  assert.ok([...found.perTerm[0]].some((w) => w.startsWith("retract")), [...found.perTerm[0]].join());
  assert.ok(found.count > 0);
  // A query word the index has matches its own stem's forms only:
  // "placebo" is not a form of "places" (stem "place").
  const placebo = [...(await engine().search("placebo")).perTerm[0]];
  assert.ok(placebo.includes("placebo") && !placebo.includes("places"), placebo.join());
  const typed = await engine().search("thera");
  assert.ok([...typed.perTerm[0]].includes("therapy"));
});

test("when no page has every word, pages with most of them come first, marked partial", async () => {
  const all = await engine().search("blood pressure");
  assert.equal(all.partial, false);
  const some = await engine().search("pressure zqxjvw");
  assert.equal(some.partial, true);
  assert.equal(some.count, (await engine().search("pressure")).count);
  // Equal scores come in navigation order: page numbers ascending.
  for (let i = 1; i < all.ranked.length; i++) {
    const [pa, sa] = all.ranked[i - 1];
    const [pb, sb] = all.ranked[i];
    assert.ok(sa > sb || (sa === sb && pa < pb), `rank ${i}`);
  }
});
