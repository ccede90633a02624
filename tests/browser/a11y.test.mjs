// Every page of the flagship site and the fixtures: axe-core WCAG 2.2 AA in
// light and dark schemes, no off-machine requests, TOC links that work, and
// a page usable without JavaScript. Widths and layout: layout.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SITES, serveSites, launch, watchRequests, axe } from "./helpers.mjs";

let browser;
let served = [];

before(async () => {
  browser = await launch();
  served = await serveSites(SITES);
});

after(async () => {
  await browser?.close();
  for (const s of served) await s.server.close();
});

for (const scheme of ["light", "dark"]) {
  test(`axe-core finds no WCAG A/AA violations (${scheme} scheme)`, async () => {
    const failures = [];
    let checked = 0;
    // Imported content-only sites use the same theme: its dark scheme is
    // checked on the others.
    for (const site of served.filter((s) => scheme === "light" || !s.contentOnly)) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      for (const path of site.pages) {
        await page.goto(site.server.origin + path);
        const violations = await axe(page);
        checked++;
        if (violations.length) failures.push({ site: site.name, path, violations });
      }
      await context.close();
    }
    assert.ok(checked >= 10, `only ${checked} pages checked`);
    assert.deepEqual(failures, [], JSON.stringify(failures, null, 2));
  });
}

test("reading never requests another host", async () => {
  const context = await browser.newContext();
  const offHost = [];
  let read = 0;
  // "networkidle" waits for half a second without requests on each page:
  // four tabs wait at once.
  for (const site of served.filter((s) => !s.contentOnly)) {
    const queue = [...site.pages];
    await Promise.all([0, 1, 2, 3].map(async () => {
      const page = await context.newPage();
      const seen = watchRequests(page, site.server.origin);
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        await page.goto(site.server.origin + path, { waitUntil: "networkidle" });
        await page.mouse.wheel(0, 4000);
        await page.waitForTimeout(50);
        read++;
      }
      await page.close();
      offHost.push(...seen);
    }));
  }
  await context.close();
  assert.deepEqual(offHost, []);
  assert.equal(read, served.filter((s) => !s.contentOnly).reduce((n, s) => n + s.pages.length, 0));
});

test("TOC links target existing ids and move there; short pages have no TOC", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  let withToc = 0;
  let withoutToc = 0;
  for (const site of served) {
    for (const path of site.pages) {
      await page.goto(site.server.origin + path);
      const info = await page.evaluate(() => {
        const tocs = [...document.querySelectorAll(".toc")];
        const hrefs = tocs.flatMap((t) => [...t.querySelectorAll("a")].map((a) => a.getAttribute("href")));
        const missing = hrefs.filter((h) => !document.getElementById(decodeURIComponent(h.slice(1))));
        const headings = document.querySelectorAll(".prose h2, .prose h3").length;
        return { tocs: tocs.length, hrefs: hrefs.length, missing, headings };
      });
      assert.deepEqual(info.missing, [], `${site.name} ${path}: TOC links without a target`);
      if (info.headings >= 2 && !path.includes("preparation")) {
        assert.equal(info.tocs, 1, `${site.name} ${path} has ${info.headings} headings but not one TOC`);
        withToc++;
        // Wide screens show the TOC beside the article, open, without a click.
        assert.ok(!(await page.isVisible(".toc > summary")), `${site.name} ${path}: TOC summary shown at 1280 px`);
        // Its links are exposed to assistive technology although the <details> is closed.
        assert.match(await page.locator(".toc").ariaSnapshot(), /link "/, `${site.name} ${path}: TOC links not in the accessibility tree`);
        const link = page.locator(".toc a").last();
        // (Ids in any script: the address bar percent-encodes them.)
        const target = decodeURIComponent((await link.getAttribute("href")).slice(1));
        await link.click();
        await page.waitForFunction((id) => decodeURIComponent(location.hash) === "#" + id, target);
        // The target is at the top of the viewport, or the page is scrolled as far as it goes.
        const pos = await page.evaluate((id) => ({
          top: document.getElementById(id).getBoundingClientRect().top,
          atEnd: scrollY + innerHeight >= document.documentElement.scrollHeight - 2,
          scrolled: scrollY > 0 || document.documentElement.scrollHeight <= innerHeight,
        }), target);
        assert.ok((pos.top >= -1 && pos.top < 100) || (pos.atEnd && pos.scrolled && pos.top < 800),
          `${site.name} ${path}: #${target} not scrolled into view ${JSON.stringify(pos)}`);
      } else if (info.headings < 2) {
        assert.equal(info.tocs, 0, `${site.name} ${path} has a TOC with < 2 headings`);
        withoutToc++;
      }
      const text = await page.textContent("body");
      assert.ok(!text.includes("Add a header to begin generating"));
    }
  }
  await context.close();
  assert.ok(withToc >= 3 && withoutToc >= 2, `with TOC ${withToc}, without ${withoutToc}`);
});

test("headings link to themselves, named by their text; the # hint shows on focus but is not in the name", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const site = served.find((s) => s.name === "flagship");
  await page.goto(site.server.origin + "/safety/");
  const heading = page.locator(".prose h2").first();
  const text = (await heading.textContent()).trim();
  const id = await heading.getAttribute("id");
  const link = heading.locator("a.heading-link");
  assert.equal(await link.getAttribute("href"), "#" + id);
  await link.focus();
  const hint = await link.evaluate((a) => getComputedStyle(a, "::after").content);
  assert.match(hint, /"#"/, "the # hint shows on focus");
  assert.equal((await heading.ariaSnapshot()).trim(), `- heading "${text}" [level=2]:\n  - link "${text}":\n    - /url: "#${id}"`);
  await context.close();
});

test("usable without JavaScript: nav, TOC and form are there", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const site = served.find((s) => s.name === "theme-newsletter");
  await page.goto(site.server.origin + site.basePath);
  // The menu is a <details>: it opens without a script.
  assert.ok(!(await page.isVisible(".site-nav a")));
  await page.click(".site-menu > summary");
  assert.ok(await page.isVisible(".site-nav a"));
  // Narrow screens: the TOC is a closed <details> after the article header.
  assert.ok(await page.isVisible(".toc > summary"));
  assert.ok(!(await page.isVisible(".toc a")));
  await page.click(".toc > summary");
  assert.ok(await page.isVisible(".toc a"));
  assert.ok(await page.isVisible("form.newsletter-form input[type=email]"));
  assert.ok(!(await page.isVisible(".theme-toggle")), "the JS-only toggle stays hidden");
  await context.close();
});

test("theme toggle switches to dark and remembers it", async () => {
  const context = await browser.newContext({ colorScheme: "light" });
  const page = await context.newPage();
  const site = served.find((s) => s.name === "flagship");
  await page.goto(site.server.origin + "/");
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  // Wide screens: the toggle under the sidebar navigation.
  await page.click(".sidebar .theme-toggle");
  assert.equal(await page.getAttribute(".sidebar .theme-toggle", "aria-pressed"), "true");
  assert.notEqual(await bg(), light);
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.notEqual(await bg(), light);
  await context.close();
});

test("print: no navigation, TOC or form; external link URLs shown; tables whole", async () => {
  const context = await browser.newContext({ viewport: { width: 800, height: 1000 } });
  const page = await context.newPage();
  const site = served.find((s) => s.name === "theme-newsletter");
  await page.goto(site.server.origin + site.basePath);
  await page.emulateMedia({ media: "print" });
  for (const sel of [".site-nav", ".site-search", ".toc", ".newsletter", ".theme-toggle", ".skip-link"]) {
    assert.ok(!(await page.isVisible(sel)), `${sel} is printed`);
  }
  assert.ok(await page.isVisible("main h1"));
  const flagship = served.find((s) => s.name === "flagship");
  await page.goto(flagship.server.origin + "/evidence/ptsd/");
  await page.emulateMedia({ media: "print" });
  // Every external link prints its address after it (a DOI link too).
  const printed = await page.evaluate(() =>
    [...document.querySelectorAll(".prose a[href^='http']")].map((a) => [a.getAttribute("href"), getComputedStyle(a, "::after").content]));
  assert.ok(printed.some(([href]) => href.startsWith("https://doi.org/")), "a DOI link on the page");
  for (const [href, after] of printed) {
    assert.ok(after.includes(href), `${href} prints as ${after}`);
  }
  const overflow = await page.evaluate(() => getComputedStyle(document.querySelector(".table-wrap")).overflowX);
  assert.equal(overflow, "visible");
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("table")).breakInside), "avoid");
  // A long address printed after its link wraps on a narrow page (A5, or
  // a phone's print) instead of running off the paper.
  await page.setViewportSize({ width: 560, height: 800 });
  const basic = served.find((s) => s.name === "content-basic");
  await page.goto(basic.server.origin + basic.basePath + "treatment/long-words/");
  await page.emulateMedia({ media: "print" });
  const wide = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(wide[0] <= wide[1], `the printed page is ${wide[0]} px wide in ${wide[1]}`);
  await context.close();
});
