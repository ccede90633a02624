// The newsletter form is a plain HTML form: it matches site.yaml and sends
// exactly one POST to the provider when submitted (intercepted here; nothing
// leaves the machine), and nothing before that.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SITES, buildSite, serve, launch, watchRequests } from "./helpers.mjs";

test("submitting the signup form sends one POST to the configured provider", async () => {
  const site = SITES.find((s) => s.name === "theme-newsletter");
  const out = buildSite(site);
  const server = await serve(out, site.basePath);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const offHost = watchRequests(page, server.origin);
    const posts = [];
    await page.route("https://newsletter.example.net/**", async (route) => {
      const r = route.request();
      posts.push({ method: r.method(), url: r.url(), body: r.postData() });
      await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Thanks</title><p>Thanks" });
    });
    await page.goto(server.origin + site.basePath);
    const form = page.locator("form.newsletter-form");
    assert.equal(await form.getAttribute("action"), "https://newsletter.example.net/subscribe");
    assert.equal(await form.getAttribute("method"), "post");
    const email = form.locator("input[type=email]");
    assert.equal(await email.getAttribute("name"), "EMAIL");
    assert.equal(await email.getAttribute("required"), "");
    assert.equal(await email.getAttribute("autocomplete"), "email");
    assert.equal(await page.locator("label[for=newsletter-email]").textContent(), "Email address");
    assert.deepEqual(offHost, [], "no request to the provider before submitting");

    // The browser refuses an empty required field.
    await form.locator("button[type=submit]").click();
    await page.waitForTimeout(100);
    assert.equal(posts.length, 0);

    await email.fill("reader@example.com");
    await Promise.all([page.waitForURL("https://newsletter.example.net/subscribe"), form.locator("button[type=submit]").click()]);
    assert.equal(posts.length, 1, JSON.stringify(posts));
    assert.equal(posts[0].method, "POST");
    assert.equal(posts[0].url, "https://newsletter.example.net/subscribe");
    const body = new URLSearchParams(posts[0].body);
    assert.equal(body.get("EMAIL"), "reader@example.com");
    assert.equal(body.get("list"), "explainer-updates");
    assert.equal(body.get("source"), "footer");
  } finally {
    await browser.close();
    await server.close();
  }
});
