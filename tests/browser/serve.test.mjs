// docent serve in a real browser: a broken edit (or a page that crashes
// docent) shows the error overlay with the located message over the last
// good page, and the fix clears it; a tab reloads only for changes to its
// page or the files it uses, and a stylesheet change swaps in place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, launch } from "./helpers.mjs";

const DOCENT = process.env.DOCENT_BIN || join(REPO, "target", "debug", "docent");

/** A copy of the newsletter fixture in a fresh folder. */
function fixtureSite() {
  const root = mkdtempSync(join(tmpdir(), "docent-serve-"));
  cpSync(join(REPO, "tests/fixtures/theme/newsletter"), root, { recursive: true });
  return root;
}

/** The address `docent serve` prints once it listens. */
function originOf(server) {
  return new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) resolve(`http://${m[1]}`);
    });
    server.on("exit", () => reject(new Error("docent serve exited")));
  });
}

test("the error overlay appears on a broken build and goes away when fixed", async () => {
  const root = fixtureSite();
  const server = spawn(DOCENT, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "ignore"] });
  const browser = await launch();
  try {
    const origin = await originOf(server);
    const page = await browser.newPage();
    await page.goto(origin + "/privacy/");
    assert.equal(await page.locator("h1").textContent(), "Privacy");
    // Give the deferred reload script a moment to open its event stream.
    await page.waitForLoadState("load");
    await page.waitForTimeout(500);

    const file = join(root, "content/privacy.md");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, good.replace("title: Privacy", "title: Privacy\ntags: [broken"));
    const overlay = page.locator("#docent-error-overlay");
    await overlay.waitFor({ timeout: 10000 });
    assert.match(await overlay.textContent(), /content\/privacy\.md:\d+:\d+/);
    assert.equal(await page.locator("h1").textContent(), "Privacy", "the last good page stays underneath");

    writeFileSync(file, good.replace("title: Privacy", "title: Privacy, fixed"));
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Privacy, fixed", null, { timeout: 10000 });
    assert.equal(await overlay.count(), 0);
  } finally {
    await browser.close();
    server.kill();
  }
});

test("a tab reloads only for its own changes, and a stylesheet change swaps in place", async () => {
  const root = fixtureSite();
  mkdirSync(join(root, "static"), { recursive: true });
  writeFileSync(join(root, "static/style.css"), "h1 { color: rgb(1, 2, 3); }\n");
  const server = spawn(DOCENT, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "ignore"] });
  const browser = await launch();
  try {
    const origin = await originOf(server);
    const page = await browser.newPage();
    await page.goto(origin + "/privacy/");
    await page.waitForLoadState("load");
    // A marker that a reload would wipe, and a listener for the next event.
    const arm = () =>
      page.evaluate(() => {
        window.__marker = "still here";
        window.__next = new Promise((resolve) => {
          const es = new EventSource("/__docent/events");
          es.addEventListener("reload", (e) => { es.close(); resolve(e.data); });
        });
        return new Promise((r) => setTimeout(r, 300));
      });
    const color = () => page.evaluate(() => getComputedStyle(document.querySelector("h1")).color);
    assert.equal(await color(), "rgb(1, 2, 3)");

    // Another page changes: this tab stays as it is.
    await arm();
    const home = join(root, "content/_index.md");
    writeFileSync(home, readFileSync(home, "utf8") + "\nA new paragraph on the home page.\n");
    const data = JSON.parse(await page.evaluate(() => window.__next));
    assert.ok(data.changed.includes("/"), JSON.stringify(data));
    assert.ok(!data.changed.includes("/privacy/"), JSON.stringify(data));
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__marker), "still here");

    // The stylesheet changes: swapped without a reload.
    await arm();
    writeFileSync(join(root, "static/style.css"), "h1 { color: rgb(4, 5, 6); }\n");
    await page.evaluate(() => window.__next);
    await page.waitForFunction(() => getComputedStyle(document.querySelector("h1")).color === "rgb(4, 5, 6)", null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.__marker), "still here");

    // This page changes: it reloads.
    await arm();
    const file = join(root, "content/privacy.md");
    writeFileSync(file, readFileSync(file, "utf8").replace("title: Privacy", "title: Privacy, edited"));
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Privacy, edited", null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.__marker), undefined);
  } finally {
    await browser.close();
    server.kill();
  }
});

test("a page that crashes docent shows as an error, and the next change recovers", async () => {
  const root = fixtureSite();
  // Debug builds only: this page panics while rendering.
  const server = spawn(DOCENT, ["serve", "--port", "0", "--root", root], {
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, DOCENT_TEST_PANIC_PAGE: "boom.md" },
  });
  const browser = await launch();
  try {
    const origin = await originOf(server);
    const page = await browser.newPage();
    await page.goto(origin + "/privacy/");
    await page.waitForLoadState("load");
    await page.waitForTimeout(500);
    writeFileSync(join(root, "content/boom.md"), "---\ntitle: Boom\n---\n\nText.\n");
    const overlay = page.locator("#docent-error-overlay");
    await overlay.waitFor({ timeout: 10000 });
    assert.match(await overlay.textContent(), /internal error[\s\S]*content\/boom\.md/);
    renameSync(join(root, "content/boom.md"), join(root, "content/fine.md"));
    await overlay.waitFor({ state: "detached", timeout: 10000 });
    assert.equal(await page.locator("h1").textContent(), "Privacy");
  } finally {
    await browser.close();
    server.kill();
  }
});
