// Responsive images in the browser (issue 23): a phone downloads a small
// variant (WebP), every image has its size before it loads (no
// layout shift), the first image loads at once and later ones lazily, and
// no image request fails or leaves the site.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SITES, serveSites, launch, watchRequests } from "./helpers.mjs";

let browser;
let site;

before(async () => {
  browser = await launch();
  [site] = await serveSites(SITES.filter((s) => s.name === "science-topics"));
});

after(async () => {
  await browser?.close();
  await site?.server.close();
});

/** What the page shows of each image. */
function images() {
  return [...document.querySelectorAll("main img")].map((img) => ({
    current: img.currentSrc.split("/").pop(),
    natural: img.naturalWidth,
    shown: img.getBoundingClientRect().width,
    ratio: img.getBoundingClientRect().height / img.getBoundingClientRect().width,
    attrs: [img.getAttribute("width"), img.getAttribute("height"), img.getAttribute("loading")],
  }));
}

test("a phone gets small variants, a wide screen larger ones; sizes are reserved", async () => {
  // At 375 px (1x) the image is shown 375 px wide: the 480 px WebP copies
  // (WebP is offered first, for the JPEG and the PNG). At 1280 px (2x) it
  // is shown 960 px wide (sizes), 1920 device pixels: the largest WebP
  // copies, at the originals' widths (1200 and 1000 px).
  const cases = [
    [375, 1, /^clinic\.[0-9a-f]{16}\.480w\.webp$/, /^timeline\.[0-9a-f]{16}\.480w\.webp$/],
    [1280, 2, /^clinic\.[0-9a-f]{16}\.1200w\.webp$/, /^timeline\.[0-9a-f]{16}\.1000w\.webp$/],
  ];
  for (const [width, scale, photoFile, diagramFile] of cases) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: scale });
    const page = await context.newPage();
    const failed = [];
    const off = watchRequests(page, site.server.origin);
    page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(site.server.origin + "/learn/guide/sleep/", { waitUntil: "load" });
    // Scroll the lazy image into view and let it load.
    await page.evaluate(() => document.querySelector("figure img").scrollIntoView());
    await page.waitForFunction(() => [...document.querySelectorAll("main img")].every((i) => i.complete && i.naturalWidth > 0));
    const imgs = await page.evaluate(images);
    assert.equal(imgs.length, 2);
    const [photo, diagram] = imgs;
    assert.deepEqual(photo.attrs, ["1200", "750", "eager"]);
    assert.deepEqual(diagram.attrs, ["1000", "500", "lazy"]);
    assert.match(photo.current, photoFile, `${width}px x${scale}`);
    assert.match(diagram.current, diagramFile, `${width}px x${scale}`);
    for (const img of imgs) assert.ok(img.shown <= width, "fits the screen");
    assert.ok(Math.abs(photo.ratio - 750 / 1200) < 0.01, "shown in its own proportions");
    assert.deepEqual(failed, []);
    assert.deepEqual(off, []);
    await context.close();
  }
});

test("images take their place before they load: no layout shift", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  // Hold every image response back until the layout has settled.
  await page.route(/\.(jpg|png|webp)$/, async (route) => { await new Promise((r) => setTimeout(r, 300)); await route.continue(); });
  await page.goto(site.server.origin + "/learn/guide/sleep/", { waitUntil: "domcontentloaded" });
  const before = await page.evaluate(() => document.querySelector("figure").getBoundingClientRect().top);
  await page.waitForFunction(() => document.querySelector("main img").complete);
  const shift = await page.evaluate(() => new Promise((done) => {
    let sum = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) sum += e.value; }).observe({ type: "layout-shift", buffered: true });
    setTimeout(() => done(sum), 100);
  }));
  const after = await page.evaluate(() => document.querySelector("figure").getBoundingClientRect().top);
  assert.equal(after, before, "the figure below the photo did not move");
  assert.equal(shift, 0);
  await context.close();
});
