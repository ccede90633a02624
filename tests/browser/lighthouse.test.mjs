// Lighthouse 12 (mobile: emulated phone, simulated slow 4G and CPU) on every
// page of the flagship site: performance, accessibility, best practices and
// SEO must all score 100. The HTML reports are saved to
// tests/artifacts/lighthouse/ for a person to read.
//
// Performance is timed, so it varies with the machine: a page whose first
// run scores below 100 is run twice more and judged by the median of the
// three runs' scores, as Lighthouse's guidance on variability recommends
// (the other three categories do not depend on timing). Observed on 2
// cores: total blocking time from unattributable browser work varies by
// ~100 ms between runs of the same page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lighthouse from "lighthouse";
import { SITES, buildSite, htmlPages, serve, artifactPath } from "./helpers.mjs";

let chrome;
let port;
let server;
let pages;

/** Debian's Chromium with a debugging port for Lighthouse (same flags as launch()). */
async function startChromium() {
  const profile = mkdtempSync(join(tmpdir(), "docent-lighthouse-"));
  const proc = spawn(process.env.CHROMIUM || "/usr/bin/chromium", [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--proxy-server=http://127.0.0.1:9",
    `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank",
  ], { stdio: "ignore" });
  const portFile = join(profile, "DevToolsActivePort");
  for (let i = 0; i < 200 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
  let text = "";
  for (let i = 0; i < 50 && !text.includes("\n"); i++) {
    text = readFileSync(portFile, "utf8");
    await new Promise((r) => setTimeout(r, 20));
  }
  return { proc, port: Number(text.split("\n")[0]) };
}

before(async () => {
  const site = SITES.find((s) => s.name === "flagship");
  const out = buildSite(site);
  server = await serve(out, site.basePath);
  // 404.html is audited at its own address: Lighthouse does not score a
  // document whose status is 404.
  pages = htmlPages(out, site.basePath);
  ({ proc: chrome, port } = await startChromium());
});

after(async () => {
  chrome?.kill();
  await server?.close();
});

test("Lighthouse mobile scores 100/100/100/100 on every flagship page", async () => {
  const dir = artifactPath("lighthouse");
  mkdirSync(dir, { recursive: true });
  const below = [];
  const summary = [];
  for (const path of pages) {
    const run = () => lighthouse(server.origin + path, { port, logLevel: "error", output: "html" });
    let result = await run();
    if (result.lhr.categories.performance.score < 1) {
      const runs = [result, await run(), await run()];
      // The run with the median performance score (its report is saved).
      result = runs.slice().sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score)[1];
      summary.push(`${path} performance in three runs: ${runs.map((r) => Math.round(r.lhr.categories.performance.score * 100)).join(", ")}`);
    }
    const lhr = result.lhr;
    const slug = path.replace(/^\/|\/$/g, "").replace(/[^A-Za-z0-9._-]+/g, "_") || "home";
    writeFileSync(join(dir, `${slug}.html`), result.report);
    const scores = Object.fromEntries(Object.entries(lhr.categories).map(([k, c]) => [k, Math.round(c.score * 100)]));
    summary.push(`${path} ${JSON.stringify(scores)}`);
    assert.equal(lhr.configSettings.formFactor, "mobile");
    assert.deepEqual(Object.keys(scores).sort(), ["accessibility", "best-practices", "performance", "seo"]);
    for (const [name, score] of Object.entries(scores)) {
      if (score < 100) {
        const failing = lhr.categories[name].auditRefs
          .map((ref) => lhr.audits[ref.id])
          .filter((a) => a.score !== null && a.score < 1 && ["binary", "numeric"].includes(a.scoreDisplayMode))
          .map((a) => `${a.id} ${a.displayValue || a.score}`);
        below.push(`${path}: ${name} ${score} (${failing.join("; ")})`);
      }
    }
  }
  writeFileSync(join(dir, "summary.txt"), summary.join("\n") + "\n");
  assert.ok(pages.length >= 15, `only ${pages.length} pages`);
  assert.deepEqual(below, []);
});
