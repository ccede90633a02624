// Search in the browser: typing a word that occurs on exactly one page shows
// that page first, with an excerpt, and its link works; keyboard navigation
// reaches the results. Checked on the flagship and on a site served under a
// sub-path (/guide/), where the index and assets must still load.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SITES, buildSite, serve, serveSites, launch, watchRequests, query, axe } from "./helpers.mjs";

let browser;
/** The flagship, built and served once for the tests that only read it. */
let flagship;
before(async () => {
  browser = await launch();
  [flagship] = await serveSites([SITES.find((s) => s.name === "flagship")]);
});
after(async () => {
  await browser?.close();
  await flagship?.server.close();
});

async function searchFor(siteName, word, expectedPath, expectedTitle) {
  const site = SITES.find((s) => s.name === siteName);
  const server = await serve(buildSite(site), site.basePath);
  try {
    const page = await browser.newPage();
    const offHost = watchRequests(page, server.origin);
    const failed = [];
    page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    // The header's search box on any page submits to the search page,
    // which runs the query it was given.
    await page.goto(server.origin + site.basePath);
    await page.fill("#site-search-q", word);
    await page.press("#site-search-q", "Enter");
    await page.waitForURL(server.origin + site.basePath + "search/?q=" + word);
    assert.equal(await page.inputValue("#search-input"), word);
    const first = page.locator("#search-results li > a:first-child").first();
    await first.waitFor({ timeout: 10000 });
    // The result links to the page, at the section where the word is.
    const href = await first.getAttribute("href");
    assert.equal(href.split("#")[0], site.basePath + expectedPath);
    assert.equal(await first.locator(".search-title").textContent(), expectedTitle);
    assert.match(await page.locator("#search-results li p").first().innerHTML(), /<mark>/i);
    assert.match(await page.locator(".search-status").textContent(), /result/);
    // Keyboard: down arrow from the box reaches the first result, Enter follows it.
    await page.focus("#search-input");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), href);
    await page.keyboard.press("Enter");
    await page.waitForURL(server.origin + href);
    assert.equal(await page.locator("h1").first().textContent(), expectedTitle);
    // A section link lands on its heading, scrolled into view.
    if (href.includes("#")) {
      const id = decodeURIComponent(href.split("#")[1]);
      const top = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, id);
      assert.ok(top >= -1 && top < 200, `heading #${id} at ${top} px`);
    }
    assert.deepEqual(failed, []);
    assert.deepEqual(offHost, []);
    await page.close();
  } finally {
    await server.close();
  }
}

test("flagship: a word on exactly one page finds that page first", async () => {
  await searchFor("flagship", "dissociative", "safety/", "Safety and side effects");
});

test("sub-path site (/guide/): search index and assets load under the base path", async () => {
  await searchFor("content-basic", "clenching", "safety/", "Safety");
});

test("flagship: ranking, several words, word variants, no results; only the needed index files load", async () => {
  const server = flagship.server;
  const page = await browser.newPage();
  const requested = [];
  const failed = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await page.goto(server.origin + "/search/");
  const search = (q) => query(page, q);
  // A word in one page's title ranks that page first.
  let found = await search("glossary");
  assert.equal(found.titles[0], "Glossary");
  // Every word must occur: adding a word narrows the results.
  const wide = await search("trial");
  const narrow = await search("trial dissociative");
  assert.ok(narrow.titles.length >= 1 && narrow.titles.length < wide.titles.length, `${narrow.titles} vs ${wide.titles}`);
  assert.ok(narrow.titles.every((t) => wide.titles.includes(t)));
  // Word variants: the plural finds pages that use the singular, and the
  // excerpt marks the variant it found.
  found = await search("therapies");
  assert.ok(found.titles.includes("What MDMA-assisted therapy is"), `${found.titles}`);
  assert.match(found.excerpts.join(" "), /<mark>[^<]*[Tt]herap/);
  // Page text is escaped, never markup.
  assert.ok(found.excerpts.every((e) => !/<(?!\/?mark>)/.test(e)), `${found.excerpts}`);
  found = await search("zqxjv");
  assert.match(found.status, /No results for “zqxjv”/);
  assert.deepEqual(found.titles, []);
  // Only the index files those queries needed: their terms' files (two
  // letters on a site this small), and none that does not exist (no word
  // starts with "zq").
  const termFiles = requested.filter((p) => p.startsWith("/search/index/terms/")).sort();
  const hex = (s) => Buffer.from(s).toString("hex");
  assert.deepEqual(termFiles, ["gl", "tr", "di", "th"].map((p) => `/search/index/terms/${hex(p)}.json`).sort());
  assert.deepEqual(failed, []);
  await page.close();
});

test("any page: the header box shows results as you type, by keyboard, with a live count", async () => {
  const origin = flagship.server.origin;
  for (const width of [1280, 375]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    const requested = [];
    const failed = [];
    const offHost = watchRequests(page, origin);
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(origin + "/therapy/");
    // A page that is only read never loads the search script.
    assert.ok(!requested.includes("/search/search.js"), "search.js loaded before any search");
    // On a phone the box is behind the Search button.
    if (width < 768) await page.click(".header-search > summary");
    const input = page.locator("#site-search-q");
    await input.focus();
    await page.keyboard.type("blood pressure", { delay: 30 });
    const panel = page.locator("#site-search-q-panel");
    await panel.waitFor({ state: "visible" });
    const status = panel.locator(".search-status");
    await page.waitForFunction(() => /results? for “blood pressure”/.test(document.querySelector("#site-search-q-panel .search-status").textContent));
    assert.equal(await status.getAttribute("role"), "status");
    assert.equal(await status.getAttribute("aria-live"), "polite");
    assert.equal(await input.getAttribute("aria-controls"), "site-search-q-panel");
    const links = panel.locator(".search-results li > a:first-child");
    const count = await links.count();
    assert.ok(count >= 1 && count <= 5, `${count} results in the panel`);
    // The best result is the section that answers it.
    const href = await links.first().getAttribute("href");
    assert.equal(href, "/safety/#effects-on-the-heart-and-body");
    assert.match(await panel.locator(".search-results li p").first().innerHTML(), /<mark>/);
    // A link to every result on the search page.
    assert.equal(await panel.locator(".search-all").getAttribute("href"), "/search/?q=blood%20pressure");
    // The open panel is accessible.
    assert.deepEqual(await axe(page), [], `axe at ${width}px with the panel open`);
    // Arrows move through the results and back to the box; Escape closes.
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), href);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    assert.equal(await page.evaluate(() => document.activeElement.id), "site-search-q");
    await page.keyboard.press("Escape");
    assert.ok(await panel.isHidden(), "Escape closes the panel");
    assert.equal(await page.evaluate(() => document.activeElement.id), "site-search-q");
    // Typing again reopens it; Enter on a result goes to its section, in view.
    await page.keyboard.type("s");
    await page.waitForFunction(() => /results? for “blood pressures”/.test(document.querySelector("#site-search-q-panel .search-status").textContent));
    await page.keyboard.press("ArrowDown");
    const target = await page.evaluate(() => document.activeElement.getAttribute("href"));
    await page.keyboard.press("Enter");
    await page.waitForURL(origin + target);
    const id = decodeURIComponent(target.split("#")[1]);
    const top = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, id);
    assert.ok(top >= -1 && top < 200, `heading #${id} at ${top} px`);
    assert.deepEqual(failed, []);
    assert.deepEqual(offHost, []);
    await page.close();
  }
});

test("search page without JavaScript explains and lists every page", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(flagship.server.origin + "/search/?q=safety");
  assert.match(await page.locator(".search-nojs").textContent(), /Search needs JavaScript/);
  assert.ok(await page.isVisible(".search-nojs"));
  assert.ok((await page.locator(".site-index a").count()) >= 10);
  await context.close();
});

test("flagship: other word forms through the index's stems; accents and case fold", async () => {
  const page = await browser.newPage();
  await page.goto(flagship.server.origin + "/search/");
  const first = async (q) => {
    const r = await query(page, q);
    return { href: r.hrefs[0] ? r.hrefs[0].split("#")[0] : null, excerpt: r.excerpts[0] ?? "" };
  };
  // "retraction" is not on any page; "retracted" is (stem "retract").
  const r = await first("retraction");
  assert.equal(r.href, "/evidence/ptsd/");
  assert.match(r.excerpt, /<mark>[Rr]etracted<\/mark>/);
  // "vouchers" finds "voucher"; "antidepressant" finds "antidepressants".
  assert.equal((await first("vouchers")).href, "/regulatory-status/");
  assert.ok((await first("antidepressant")).href, "a result for the singular");
  // Accents and capitals do not matter.
  assert.equal((await first("SÉROTONÍN")).href, (await first("serotonin")).href);
  await page.close();
});

test("flagship: a typo finds the word it meant, and says so", async () => {
  const server = flagship.server;
  const page = await browser.newPage();
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(server.origin + "/search/");
  const search = async (q) => {
    const r = await query(page, q);
    return { status: r.status, first: r.hrefs[0] ? r.hrefs[0].split("#")[0] : null, excerpt: r.excerpts[0] ?? "" };
  };
  // One letter missing, one extra, two swapped, one wrong.
  for (const [typo, word, href] of [
    ["serotnin", "serotonin", null],
    ["austrailia", "australia", "/regulatory-status/"],
    ["newsleter", "newsletter", "/about/privacy/"],
    ["plcaebo", "placebo", null],
    ["dosimg", "dosing", "/therapy/treatment/"],
  ]) {
    const r = await search(typo);
    assert.match(r.status, new RegExp(`^Did you mean “${word}”\\? \\d+ results? for “${word}” \\(you typed “${typo}”\\)`), r.status);
    if (href) assert.equal(r.first, href, typo);
    assert.match(r.excerpt, new RegExp(`<mark>${word}`, "i"), r.excerpt);
  }
  // A typo in the first two letters: the swapped pair's file is tried.
  assert.match((await search("esrotonin")).status, /^Did you mean “serotonin”/);
  // Two letters wrong in a short word is too far: nothing is guessed.
  assert.match((await search("plazebp")).status, /^No results for “plazebp”/);
  // A word that exists is never "corrected".
  assert.doesNotMatch((await search("dosing")).status, /Did you mean/);
  // Only term files near the typos were fetched (at most four for each
  // word), never the whole index.
  const termFiles = new Set(requested.filter((p) => p.startsWith("/search/index/terms/")));
  const meta = await (await fetch(server.origin + "/search/index/meta.json")).json();
  assert.ok(termFiles.size <= 8 * 4 && termFiles.size < meta.shards.length / 4, `${termFiles.size} of ${meta.shards.length} term files`);
  await page.close();
});
