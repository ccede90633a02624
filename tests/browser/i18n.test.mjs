// A multilingual site in the browser (tests/fixtures/i18n/clinic: English,
// Spanish, Arabic): Arabic pages lay out right to left, the language
// switcher leads to the same page in another language, and the header
// search box of a Spanish page searches only the Spanish pages and speaks
// Spanish. axe, the Nu Html Checker and the layout widths cover the
// fixture through SITES (a11y, validate and layout tests).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SITES, serveSites, launch, watchRequests, axe } from "./helpers.mjs";

let browser;
let site;
before(async () => {
  browser = await launch();
  [site] = await serveSites([SITES.find((s) => s.name === "i18n-clinic")]);
});
after(async () => {
  await browser?.close();
  await site?.server.close();
});

test("Arabic pages run right to left: the sidebar and the text start on the right", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.origin + "/clinic/ar/safety/");
  const box = await page.evaluate(() => {
    const r = (sel) => document.querySelector(sel).getBoundingClientRect();
    const h1 = document.querySelector("h1");
    return {
      dir: document.documentElement.dir,
      lang: document.documentElement.lang,
      sidebar: r(".sidebar"),
      main: r("main"),
      h1Right: h1.getBoundingClientRect().right,
      mainRight: r("main").right,
      callout: getComputedStyle(document.querySelector(".callout")).borderRightWidth,
    };
  });
  assert.equal(box.dir, "rtl");
  assert.equal(box.lang, "ar");
  assert.ok(box.sidebar.left > box.main.left, `sidebar at ${box.sidebar.left}, main at ${box.main.left}`);
  assert.ok(Math.abs(box.h1Right - box.mainRight) < 40, `heading ends ${box.h1Right}, main ${box.mainRight}`);
  // The callout's accent border is on the side the text starts.
  assert.equal(box.callout, "6px");
  await page.close();
});

test("the language switcher leads to the same page in another language", async () => {
  const page = await browser.newPage();
  await page.goto(site.server.origin + "/clinic/treatment/sessions/");
  await page.click(".language-switcher a[hreflang=es]");
  await page.waitForURL(site.server.origin + "/clinic/es/treatment/sessions/");
  assert.equal(await page.locator("h1").textContent(), "Sesiones");
  assert.equal(await page.getAttribute(".language-switcher a[aria-current=page]", "hreflang"), "es");
  // No Arabic version of this page: the Arabic home.
  await page.click(".language-switcher a[hreflang=ar]");
  await page.waitForURL(site.server.origin + "/clinic/ar/");
  assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
  await page.close();
});

test("a Spanish page's search box finds Spanish pages only, in Spanish", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  const offHost = watchRequests(page, site.server.origin);
  await page.goto(site.server.origin + "/clinic/es/treatment/sessions/");
  await page.locator("#site-search-q").focus();
  await page.keyboard.type("efectos", { delay: 30 });
  const panel = page.locator("#site-search-q-panel");
  await panel.waitFor({ state: "visible" });
  await page.waitForFunction(() => /resultados? para «efectos»/.test(document.querySelector("#site-search-q-panel .search-status").textContent));
  const hrefs = await panel.locator(".search-results li > a:first-child").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.length >= 1);
  assert.ok(hrefs.every((h) => h.startsWith("/clinic/es/")), hrefs.join(", "));
  assert.ok(hrefs[0].startsWith("/clinic/es/safety/"), hrefs[0]);
  // Only the Spanish index was read.
  const indexes = requested.filter((p) => p.includes("/search/index/"));
  assert.ok(indexes.length > 0 && indexes.every((p) => p.startsWith("/clinic/es/search/index/")), indexes.join(", "));
  // A typo is answered in Spanish too.
  await page.fill("#site-search-q", "");
  await page.keyboard.type("efctos", { delay: 30 });
  await page.waitForFunction(() => /¿Quisiste decir «efectos»\?/.test(document.querySelector("#site-search-q-panel .search-status").textContent));
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(offHost, []);
  await page.close();
});

test("an English word finds nothing on the Arabic search page, an Arabic one finds the Arabic page", async () => {
  const page = await browser.newPage();
  await page.goto(site.server.origin + "/clinic/ar/search/?q=" + encodeURIComponent("الطوارئ"));
  await page.waitForFunction(() => document.querySelector(".search-status").textContent.includes("«الطوارئ»"));
  const hrefs = await page.locator("#search-results li > a:first-child").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.length >= 1 && hrefs[0].startsWith("/clinic/ar/safety/"), hrefs.join(", "));
  // Arabic has its own plural forms: no English stands in for "one".
  assert.equal(await page.locator(".search-status").textContent(), "عدد النتائج لـ «الطوارئ»: 1");
  await page.fill("#search-input", "headache");
  await page.waitForFunction(() => document.querySelector(".search-status").textContent.includes("«headache»"));
  assert.equal(await page.locator("#search-results li").count(), 0);
  assert.equal(await page.locator(".search-status").textContent(), "لا نتائج لـ «headache»");
  await page.close();
});
