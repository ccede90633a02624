// With `markdown.raw_html: false`, Markdown in any field cannot run script
// (issue 17): the fixture markdown/xss puts <script>, an onerror handler and
// javascript:/vbscript:/data: links and images in the body, every component
// field, front-matter takeaways, data files and the glossary. In Chromium,
// no dialog opens, no element carries an on… handler from content, no
// inline script runs, and no link or image has a script URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO, buildSite, htmlPages, serve, launch } from "./helpers.mjs";

test("raw_html: false: no dialog, no handler, no script URL on any page", async () => {
  const site = { name: "xss", root: join(REPO, "tests/fixtures/markdown/xss"), basePath: "/" };
  const out = buildSite(site);
  const server = await serve(out, site.basePath);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const dialogs = [];
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    for (const path of htmlPages(out, site.basePath)) {
      await page.goto(server.origin + path);
      await page.waitForLoadState("load");
      const found = await page.evaluate(() => {
        const bad = [];
        for (const el of document.querySelectorAll("*")) {
          for (const a of el.attributes) {
            if (a.name.startsWith("on")) bad.push(`${el.tagName} ${a.name}`);
            if ((a.name === "href" || a.name === "src") && /^\s*(javascript|vbscript|data:text)/i.test(a.value)) {
              bad.push(`${el.tagName} ${a.name}=${a.value}`);
            }
          }
        }
        for (const s of document.querySelectorAll("script:not([src]):not([type='application/ld+json'])")) {
          bad.push(`inline script: ${s.textContent.slice(0, 40)}`);
        }
        return bad;
      });
      assert.deepEqual(found, [], path);
    }
    assert.deepEqual(dialogs, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
