// Reader experience at phone, tablet and desktop widths, in light and dark:
// the targets of the reader-experience issue, measured in Chromium on every
// page of the flagship site and the fixtures (not only screenshots, which
// are saved to tests/artifacts/screens/ for a person to look at).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { THEME_SITES, browserAndSites, axe, artifactPath } from "./helpers.mjs";

const WIDTHS = [320, 375, 768, 1280];
const SCHEMES = ["light", "dark"];
const env = browserAndSites(THEME_SITES);

/** Everything the targets need, measured in the page. */
function measure() {
  const root = document.documentElement;
  const box = (el) => el.getBoundingClientRect();
  const header = document.querySelector(".site-header");
  const h1 = document.querySelector("main h1");
  const wraps = [...document.querySelectorAll(".table-wrap")].map((w) => ({
    caption: (w.querySelector("caption")?.textContent || w.getAttribute("aria-label") || "").slice(0, 40),
    scroll: w.scrollWidth, client: w.clientWidth,
    stacked: !!w.closest(".data-table") && getComputedStyle(w.querySelector("table")).display === "block",
    data: !!w.closest(".data-table") && !w.closest(".chart-data"),
    labels: [...w.querySelectorAll("td")].map((td) => [td.dataset.label ?? null, getComputedStyle(td, "::before").content]),
  }));
  const charts = [...document.querySelectorAll(".chart")].map((c) => {
    const plot = c.querySelector(".chart-plot");
    const p = box(plot);
    const texts = [...c.querySelectorAll("figcaption, .chart-category, .chart-value")];
    const clipped = [...plot.querySelectorAll(".chart-value, .chart-track, .chart-category, rect")]
      .filter((el) => { const b = box(el); return b.left < p.left - 0.5 || b.right > p.right + 0.5; })
      .map((el) => el.className.baseVal ?? el.className);
    const bars = [...plot.querySelectorAll(".chart-track")].map((t) => {
      const rect = t.querySelector("rect");
      return { track: box(t).width, bar: box(rect).width, share: Number(rect.getAttribute("width")) / 100 };
    });
    return {
      minFont: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize))),
      clipped, bars, scroll: c.scrollWidth, client: c.clientWidth,
    };
  });
  return {
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
    header: header ? box(header).height : 0,
    h1Top: h1 ? box(h1).top + window.scrollY : null,
    wraps, charts,
  };
}

// Each page is loaded once per scheme and measured at every width in turn
// (the theme's layout is CSS only: no script reads the width), so a width
// costs a relayout, not a page load.
test(`${WIDTHS.join(", ")} px, light (and dark on the flagship): no sideways scrolling, title near the top, tables and charts fit`, async () => {
  const problems = [];
  const checked = Object.fromEntries(WIDTHS.map((w) => [w, 0]));
  const chartsSeen = Object.fromEntries(WIDTHS.map((w) => [w, 0]));
  let stackedAt320 = 0;
  for (const scheme of SCHEMES) {
    const context = await env.browser.newContext({ viewport: { width: WIDTHS[0], height: 800 }, colorScheme: scheme });
    const page = await context.newPage();
    // The dark scheme changes colours, not sizes: its layout is measured
    // on the flagship (every page, every width), the light one everywhere.
    for (const site of env.served.filter((s) => scheme === "light" || s.name === "flagship")) {
      for (const path of site.pages) {
        await page.goto(site.server.origin + path, { waitUntil: "load" });
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 800 });
          const m = await page.evaluate(measure);
          const where = `${site.name} ${path} @${width} ${scheme}`;
          checked[width]++;
          if (m.scrollWidth > m.clientWidth) problems.push(`${where}: document scrolls sideways (${m.scrollWidth} > ${m.clientWidth})`);
          if (m.header > 100) problems.push(`${where}: header is ${m.header} px tall (more than one row)`);
          if (width === 375 && !(m.h1Top <= 200)) problems.push(`${where}: page title starts at ${m.h1Top} px`);
          for (const w of m.wraps) {
            if (w.scroll > w.client + 1) problems.push(`${where}: table "${w.caption}" scrolls sideways (${w.scroll} > ${w.client})`);
            if (w.data && width === 320 && !w.stacked) problems.push(`${where}: table "${w.caption}" is not stacked at 320 px`);
            if (w.stacked) {
              if (width === 320) stackedAt320++;
              for (const [label, before] of w.labels) {
                if (!label || !before.includes(label)) problems.push(`${where}: stacked cell without its column label (${label}, ${before})`);
              }
            }
          }
          for (const c of m.charts) {
            chartsSeen[width]++;
            if (c.minFont < 12) problems.push(`${where}: chart text at ${c.minFont} px`);
            if (c.clipped.length) problems.push(`${where}: chart parts outside the chart: ${c.clipped}`);
            if (c.scroll > c.client + 1) problems.push(`${where}: chart scrolls sideways`);
            for (const b of c.bars) {
              if (Math.abs(b.bar - b.track * b.share) > 1.5) problems.push(`${where}: bar ${b.bar} px for ${b.share} of ${b.track} px`);
            }
          }
          const dir = join("screens", site.name, `${width}-${scheme}`);
          mkdirSync(artifactPath(dir), { recursive: true });
          const slug = path.replace(/^\/|\/$/g, "").replace(/[^A-Za-z0-9._-]+/g, "_") || "home";
          // Whole pages of the flagship in light, the first screen of the
          // rest; JPEG, as encoding whole pages as PNG took half the test.
          await page.screenshot({
            path: artifactPath(join(dir, `${slug}.jpg`)), type: "jpeg", quality: 80,
            fullPage: site.name === "flagship" && scheme === "light",
          });
        }
      }
    }
    await context.close();
  }
  for (const width of WIDTHS) {
    assert.ok(checked[width] >= 60, `only ${checked[width]} pages checked at ${width} px`);
    assert.ok(chartsSeen[width] >= 2, `the fixtures' chart was measured at ${width} px`);
  }
  assert.ok(stackedAt320 >= 3, `only ${stackedAt320} stacked tables seen at 320 px`);
  assert.deepEqual(problems, []);
});

test("first paint needs the HTML and one stylesheet (inline rules stay small); no request fails", async () => {
  const problems = [];
  let highlighted = null;
  const context = await env.browser.newContext();
  const page = await context.newPage();
  // Favicon included: the console stays free of failed requests and errors.
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  for (const site of env.served) {
    for (const path of site.pages) {
      await page.goto(site.server.origin + path, { waitUntil: "load" });
      const icon = await page.evaluate(() => document.querySelector("link[rel=icon]")?.href);
      if (!icon) problems.push(`${site.name} ${path}: no icon link`);
      const blocking = await page.evaluate(() => [
        ...[...document.querySelectorAll("link[rel~=stylesheet]")].filter((l) => !l.media || l.media === "all").map((l) => l.href),
        ...[...document.querySelectorAll("head script[src]")].filter((s) => !s.defer && !s.async && s.type !== "module").map((s) => s.src),
        ...[...document.querySelectorAll("style")].filter((s) => s.textContent.length > 8192).map(() => "a large inline <style>"),
      ]);
      if (blocking.length !== 1) problems.push(`${site.name} ${path}: ${blocking.join(", ")}`);
      if (path.endsWith("/safety/") && site.name === "content-basic") {
        highlighted = await page.evaluate(() => getComputedStyle(document.querySelector("pre .hl-a0, pre [class^=hl-a]")).color);
      }
    }
  }
  await context.close();
  assert.deepEqual(problems, []);
  // Highlighted code still has its colours (the rules are inline).
  assert.ok(highlighted && highlighted !== "rgb(27, 27, 31)", `code colour ${highlighted}`);
});

test("phones: header menu and search work without JavaScript; wide screens: sidebar and search box", async () => {
  const site = env.served.find((s) => s.name === "flagship");
  const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(site.server.origin + "/safety/");
  assert.ok(!(await page.isVisible(".site-menu .site-nav a")), "menu starts closed");
  assert.ok(!(await page.isVisible(".sidebar")), "no sidebar on a phone");
  const titleTop = await page.evaluate(() => document.querySelector(".site-title").getBoundingClientRect().top);
  for (const sel of [".site-menu > summary", ".header-search > summary"]) {
    const top = await page.evaluate((s) => document.querySelector(s).getBoundingClientRect().top, sel);
    assert.ok(Math.abs(top - titleTop) < 30, `${sel} is on the title's row`);
  }
  await page.click(".site-menu > summary");
  assert.ok(await page.isVisible(".site-menu .site-nav a[aria-current=page]"), "the open menu shows the current page");
  await page.click(".header-search > summary");
  await page.fill("#site-search-q", "heart rate");
  await page.press("#site-search-q", "Enter");
  await page.waitForURL(/\/search\/\?q=heart\+rate$/);
  assert.ok(await page.isVisible("h1"));
  await context.close();

  const wide = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const desk = await wide.newPage();
  await desk.goto(site.server.origin + "/safety/");
  assert.ok(await desk.isVisible(".sidebar .site-nav a[aria-current=page]"));
  assert.ok(!(await desk.isVisible(".site-menu")));
  assert.ok(await desk.isVisible("#site-search-q"), "a search box in the header");
  assert.ok(await desk.isVisible(".toc .toc-title"), "TOC in its column");
  const [article, toc] = await desk.evaluate(() => [".prose", ".toc"].map((s) => document.querySelector(s).getBoundingClientRect().right));
  assert.ok(toc > article, "the TOC sits beside the article");
  const header = await desk.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().height);
  assert.ok(header < 80, `header is ${header} px: one row`);
  await wide.close();
});

test("phones: axe-core finds nothing in the stacked tables and menus (light; dark on the flagship)", async () => {
  const failures = [];
  for (const scheme of SCHEMES) {
    const context = await env.browser.newContext({ viewport: { width: 320, height: 800 }, colorScheme: scheme });
    const page = await context.newPage();
    // Every page at 1280 px in both schemes is a11y.test.mjs's job.
    for (const site of env.served.filter((s) => scheme === "light" || s.name === "flagship")) {
      for (const path of site.pages) {
        await page.goto(site.server.origin + path);
        await page.evaluate(() => document.querySelectorAll(".site-header details").forEach((d) => { d.open = true; }));
        const violations = await axe(page);
        if (violations.length) failures.push({ site: site.name, path, scheme, violations });
      }
    }
    await context.close();
  }
  assert.deepEqual(failures, [], JSON.stringify(failures, null, 2));
});

test("charts and stacked tables print within the page", async () => {
  const site = env.served.find((s) => s.name === "components-all");
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  await page.goto(site.server.origin + "/evidence/");
  await page.emulateMedia({ media: "print" });
  const m = await page.evaluate(measure);
  assert.ok(m.charts.length >= 1);
  for (const c of m.charts) {
    assert.deepEqual(c.clipped, []);
    assert.ok(c.minFont >= 12);
  }
  assert.ok(m.scrollWidth <= m.clientWidth);
  const fill = await page.evaluate(() => getComputedStyle(document.querySelector(".chart-bar")).fill);
  assert.equal(fill, "rgb(85, 85, 85)");
  await context.close();
});
