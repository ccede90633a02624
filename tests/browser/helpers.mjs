// Shared helpers for the browser tests: build a site with the docent binary,
// serve it on 127.0.0.1, and drive Debian's Chromium through playwright-core
// (never a browser that a test tool downloaded).
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, readdirSync, existsSync, mkdirSync, cpSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve, relative, sep } from "node:path";
import { createRequire } from "node:module";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

export const REPO = resolve(import.meta.dirname, "..", "..");
export const ARTIFACTS = join(REPO, "tests", "artifacts");
const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve("axe-core/axe.min.js");
export const VNU_JAR = join(REPO, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

const DOCENT = process.env.DOCENT_BIN || join(REPO, "target", "debug", process.platform === "win32" ? "docent.exe" : "docent");

/** Sites the browser tests cover: the flagship and the fixtures with a theme-visible feature. */
export const SITES = [
  { name: "flagship", root: REPO, basePath: "/" },
  { name: "content-basic", root: join(REPO, "tests/fixtures/content/basic"), basePath: "/guide/" },
  { name: "theme-newsletter", root: join(REPO, "tests/fixtures/theme/newsletter"), basePath: "/sub/" },
  { name: "components-all", root: join(REPO, "tests/fixtures/components/all"), basePath: "/" },
  { name: "science-math", root: join(REPO, "tests/fixtures/science/math"), basePath: "/" },
  { name: "science-topics", root: join(REPO, "tests/fixtures/science/topics"), basePath: "/learn/" },
  // English, Spanish and Arabic (right to left), under a sub-path.
  { name: "i18n-clinic", root: join(REPO, "tests/fixtures/i18n/clinic"), basePath: "/clinic/" },
  // A Jupyter Book-style handbook in MyST Markdown, built unchanged.
  { name: "myst-book", root: join(REPO, "tests/fixtures/myst/book"), basePath: "/" },
  // Projects of other tools, brought over with `docent import` first:
  // content only (the theme is the one the other sites test), so they
  // get the Nu Html Checker and axe, not the layout and request tests.
  ...[
    ["mkdocs", "/handbook/"],
    ["jupyter-book", "/course/"],
    ["mdbook", "/notes/"],
    ["hugo", "/notes/"],
    ["zola", "/"],
  ].map(([tool, basePath]) => ({
    name: `import-${tool}`,
    root: join(REPO, "tests/fixtures/import", tool),
    importFrom: tool,
    basePath,
    contentOnly: true,
  })),
  // The same site minified (needs docent built with the `minify` feature, as scripts/test does).
  { name: "components-minified", root: join(REPO, "tests/fixtures/components/all"), basePath: "/", minify: true },
];

/**
 * The stress site (src/stress.rs): odd file names, folders without
 * _index.md, pages without front matter, written by the `stress` example.
 */
export const STRESS = { name: "stress", stress: ["220", "flat"], basePath: "/docs/" };
const STRESS_BIN = join(REPO, "target", "debug", "examples", process.platform === "win32" ? "stress.exe" : "stress");

/** The sites that exercise the theme's layout and behaviour (all but the
 * content-only imports). */
export const THEME_SITES = SITES.filter((s) => !s.contentOnly);

/** Build `site.root` into a fresh temp folder; returns the output folder. */
export function buildSite(site) {
  const out = mkdtempSync(join(tmpdir(), `docent-${site.name}-`));
  let root = site.root;
  if (site.stress) {
    root = mkdtempSync(join(tmpdir(), `docent-src-${site.name}-`));
    execFileSync(STRESS_BIN, [root, ...site.stress], { stdio: ["ignore", "inherit", "inherit"] });
  }
  if (site.importFrom) {
    const dir = mkdtempSync(join(tmpdir(), `docent-src-${site.name}-`));
    root = join(dir, "site");
    execFileSync(DOCENT, ["import", "--quiet", "--from", site.importFrom, site.root, root], { stdio: ["ignore", "inherit", "inherit"] });
  }
  if (site.minify) {
    root = mkdtempSync(join(tmpdir(), `docent-src-${site.name}-`));
    cpSync(site.root, root, { recursive: true });
    appendFileSync(join(root, "site.yaml"), "minify: true\n");
  }
  execFileSync(DOCENT, ["build", "--quiet", "--root", root, "--output", out], { stdio: ["ignore", "inherit", "ignore"] });
  return out;
}

/** Every generated HTML file, as URL paths under the base path (not the
 * pages at aliases, which send the browser on at once: the Nu Html Checker
 * reads those from the folder). */
export function htmlPages(outDir, basePath) {
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".html") && !readFileSync(p, "utf8").includes('http-equiv="refresh"')) {
        let rel = relative(outDir, p).split(sep).join("/");
        rel = rel === "index.html" ? "" : rel.replace(/(^|\/)index\.html$/, "$1");
        pages.push(basePath + rel);
      }
    }
  };
  walk(outDir);
  return pages.sort();
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp", ".json": "application/json", ".xml": "application/xml",
};

/** Serve `dir` at `basePath` on 127.0.0.1 on a free port. */
export async function serve(dir, basePath = "/") {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(basePath)) { res.writeHead(404); res.end("outside base path"); return; }
    path = path.slice(basePath.length);
    let file = resolve(dir, path);
    if (!file.startsWith(resolve(dir))) { res.writeHead(403); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(existsSync(join(dir, "404.html")) ? readFileSync(join(dir, "404.html")) : "not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((ok) => server.close(ok)) };
}

/** Debian's Chromium, headless, with a fresh profile; off-machine requests fail at once. */
export async function launch() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  return chromium.launch({
    executablePath,
    headless: true,
    chromiumSandbox: false,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync",
      "--proxy-server=http://127.0.0.1:9",
    ],
  });
}

/** Record every request that leaves the local server (the tests' own axe-core script aside). */
export function watchRequests(page, origin) {
  const offHost = [];
  page.on("request", (r) => {
    const u = r.url();
    if (u === axeScript) return;
    if (!u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("about:")) offHost.push(`${r.method()} ${u}`);
  });
  return offHost;
}

let axeUrl;
/** The URL axe-core is served from, once the server runs (see watchRequests). */
let axeScript;

/**
 * axe-core's script served from 127.0.0.1 with a long cache lifetime: the
 * browser then compiles it once, not for every page it checks (passing its
 * 500 KB text into each page took about 80 ms a page, this about 30). The
 * server does not keep the test process alive.
 */
function axeScriptUrl() {
  axeUrl ??= new Promise((ok) => {
    const body = readFileSync(AXE_PATH);
    const server = createServer((req, res) => {
      res.writeHead(200, { "content-type": TYPES[".js"], "cache-control": "max-age=86400" });
      res.end(body);
    });
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      axeScript = `http://127.0.0.1:${server.address().port}/axe.min.js`;
      ok(axeScript);
    });
  });
  return axeUrl;
}

/**
 * A test file's Chromium and its sites served on 127.0.0.1: registers the
 * `before` hook that launches and serves them and the `after` hook that
 * closes them; `browser` and `served` are set once the hook has run.
 */
export function browserAndSites(sites) {
  const env = { browser: null, served: [] };
  before(async () => {
    env.browser = await launch();
    env.served = await serveSites(sites);
  });
  after(async () => {
    await env.browser?.close();
    for (const s of env.served) await s.server.close();
  });
  return env;
}

/** Run axe-core for WCAG 2.0/2.1/2.2 A and AA; returns the violations. */
export async function axe(page) {
  await page.addScriptTag({ url: await axeScriptUrl() });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
      resultTypes: ["violations"],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary) }));
  });
}

export function artifactPath(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** Build and serve each of `sites`; each entry gains `out`, `server` and `pages`. */
export async function serveSites(sites) {
  const served = [];
  for (const site of sites) {
    const out = buildSite(site);
    const server = await serve(out, site.basePath);
    served.push({ ...site, out, server, pages: htmlPages(out, site.basePath) });
  }
  return served;
}

/**
 * Type `q` into the search page open in `page` and wait for its results:
 * the status line, each result's main link, title and excerpt.
 */
export async function query(page, q) {
  await page.fill("#search-input", q);
  await page.waitForFunction((q) => document.querySelector(".search-status").textContent.includes(`“${q}”`), q);
  return page.evaluate(() => {
    const links = [...document.querySelectorAll("#search-results li > a:first-child")];
    return {
      status: document.querySelector(".search-status").textContent,
      hrefs: links.map((a) => a.getAttribute("href")),
      titles: links.map((a) => a.querySelector(".search-title")?.textContent ?? ""),
      excerpts: [...document.querySelectorAll("#search-results li > p")].map((p) => p.innerHTML),
    };
  });
}
