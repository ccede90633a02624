// Search quality on a labelled query set (tests/browser/data/search-queries.json):
// each query is typed into the flagship's search page in Chromium, as a
// reader would, and the results are compared with the page and section
// that answer it. The figures are printed with the test (top-1 and top-3,
// by page and by section, per kind of query) and written to
// tests/artifacts/search-quality.json.
//
// The search issue's target is the right section first for >= 90% of the
// queries and in the top three for all; not met yet. This test guards the
// figures measured when the code last improved them (a floor: search must
// not get worse) and reports them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SITES, buildSite, serve, launch, artifactPath, query, REPO } from "./helpers.mjs";

const SET = JSON.parse(readFileSync(join(REPO, "tests/browser/data/search-queries.json"), "utf8"));
/** Figures on 30 Nov 2026 (headings weighted, listings demoted, Snowball stems, folding, typos, section links): a floor. */
const FLOOR = { pageTop1: 43 / 48, pageTop3: 45 / 48, sectionTop1: 40 / 48, sectionTop3: 42 / 48 };

let browser;
let server;
before(async () => {
  browser = await launch();
  const site = SITES.find((s) => s.name === "flagship");
  server = await serve(buildSite(site), site.basePath);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("labelled reader queries: the right page and section come first", async (t) => {
  assert.ok(SET.queries.length >= 40, "at least 40 labelled queries");
  const page = await browser.newPage();
  await page.goto(server.origin + "/search/");
  const rows = [];
  for (const item of SET.queries) {
    const { hrefs } = await query(page, item.q);
    const urls = hrefs.map((h) => new URL(h, "http://x"));
    const pageRank = urls.findIndex((u) => u.pathname === item.page);
    const sectionRank = urls.findIndex((u) => u.pathname === item.page && decodeURIComponent(u.hash.slice(1)) === item.section);
    rows.push({ ...item, first: hrefs[0] ?? null, pageRank, sectionRank });
  }
  await page.close();
  const share = (list, pick) => (list.length ? list.filter(pick).length / list.length : 0);
  const figures = (list) => ({
    queries: list.length,
    pageTop1: share(list, (r) => r.pageRank === 0),
    pageTop3: share(list, (r) => r.pageRank >= 0 && r.pageRank < 3),
    sectionTop1: share(list, (r) => r.sectionRank === 0),
    sectionTop3: share(list, (r) => r.sectionRank >= 0 && r.sectionRank < 3),
  });
  const all = figures(rows);
  const byKind = Object.fromEntries([...new Set(rows.map((r) => r.kind))].map((k) => [k, figures(rows.filter((r) => r.kind === k))]));
  const pct = (x) => `${Math.round(x * 100)}%`;
  t.diagnostic(`all ${all.queries} queries: page first ${pct(all.pageTop1)}, top 3 ${pct(all.pageTop3)}; section first ${pct(all.sectionTop1)}, top 3 ${pct(all.sectionTop3)}`);
  for (const [kind, f] of Object.entries(byKind)) {
    t.diagnostic(`${kind} (${f.queries}): page first ${pct(f.pageTop1)}, top 3 ${pct(f.pageTop3)}; section first ${pct(f.sectionTop1)}`);
  }
  const missed = rows.filter((r) => r.pageRank !== 0).map((r) => `${r.q} → ${r.first ?? "nothing"} (wanted ${r.page})`);
  t.diagnostic(`page not first: ${missed.join("; ")}`);
  const sectionMissed = rows.filter((r) => r.pageRank === 0 && r.sectionRank !== 0).map((r) => `${r.q} → ${r.first} (wanted #${r.section})`);
  t.diagnostic(`right page, other section: ${sectionMissed.join("; ")}`);
  writeFileSync(artifactPath("search-quality.json"), JSON.stringify({ all, byKind, rows }, null, 2));
  assert.ok(all.pageTop1 >= FLOOR.pageTop1, `page first ${pct(all.pageTop1)} < floor ${pct(FLOOR.pageTop1)}`);
  assert.ok(all.pageTop3 >= FLOOR.pageTop3, `page top 3 ${pct(all.pageTop3)} < floor ${pct(FLOOR.pageTop3)}`);
  assert.ok(all.sectionTop1 >= FLOOR.sectionTop1, `section first ${pct(all.sectionTop1)} < floor ${pct(FLOOR.sectionTop1)}`);
  assert.ok(all.sectionTop3 >= FLOOR.sectionTop3, `section top 3 ${pct(all.sectionTop3)} < floor ${pct(FLOOR.sectionTop3)}`);
});
