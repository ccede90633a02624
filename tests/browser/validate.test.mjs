// Every generated HTML file is valid HTML5 according to the Nu Html Checker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { SITES, STRESS, buildSite, VNU_JAR } from "./helpers.mjs";

test("Nu Html Checker reports zero errors on every generated page", () => {
  // The stress site too: odd file names, flat folders, pages without front matter.
  const dirs = [...SITES, STRESS].map(buildSite);
  const r = spawnSync("java", ["-jar", VNU_JAR, "--errors-only", "--format", "json", "--skip-non-html", ...dirs], { encoding: "utf8" });
  assert.equal(r.error, undefined, `could not run java: ${r.error}`);
  const report = JSON.parse(r.stderr || "{\"messages\":[]}");
  const errors = report.messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(errors.map((m) => `${m.url}:${m.lastLine}: ${m.message}`), []);
  assert.equal(r.status, 0);
});
