// No layout shift after first paint, on every page of the flagship and
// the fixtures, at phone and desktop widths. Layout shift depends on when
// things happen, like Lighthouse's timings: scripts/test runs this file
// alone, after the others (which run two at a time), so another test's
// load does not move what it measures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { THEME_SITES, browserAndSites } from "./helpers.mjs";

const env = browserAndSites(THEME_SITES);

/** Layout shift since navigation (buffered), after the page has settled. */
function layoutShift() {
  return new Promise((done) => {
    let sum = 0;
    const shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        sum += e.value;
        shifts.push(e.sources?.map((s) => s.node?.className || s.node?.nodeName).join(","));
      }
    }).observe({ type: "layout-shift", buffered: true });
    setTimeout(() => done({ sum, shifts }), 100);
  });
}

test("no layout shift after first paint (phone and desktop, every page)", async () => {
  const problems = [];
  for (const width of [375, 1280]) {
    const context = await env.browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const site of env.served) {
      for (const path of site.pages) {
        // Chromium's parser is time-sliced: on a busy machine it may paint
        // a page it has not finished reading (a header without its menu
        // button yet), and what arrives next moves what was painted. Such
        // a shift comes and goes with the machine's load; a shift the page
        // makes (an image without a size, a script inserting something)
        // happens on every load. So a page is loaded again when it shifts,
        // and a shift counts when it happens on three loads in a row.
        let cls;
        for (let load = 0; load < 3; load++) {
          await page.goto(site.server.origin + path, { waitUntil: "load" });
          cls = await page.evaluate(layoutShift);
          if (cls.sum === 0) break;
        }
        if (cls.sum > 0) problems.push(`${site.name} ${path} @${width}: CLS ${cls.sum.toFixed(4)} (${cls.shifts})`);
      }
    }
    await context.close();
  }
  assert.deepEqual(problems, []);
});
