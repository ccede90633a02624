import { serve, launch } from "./helpers.mjs";
const [dir, ...paths] = process.argv.slice(2);
const srv = await serve(dir, "/");
const browser = await launch();
for (const w of [320, 375, 768, 1280]) {
  for (const scheme of ["light"]) {
    const ctx = await browser.newContext({ viewport: { width: w, height: 800 }, colorScheme: scheme });
    const page = await ctx.newPage();
    for (const p of paths) {
      await page.goto(srv.origin + p);
      const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth, h1: document.querySelector("h1")?.getBoundingClientRect().top, header: document.querySelector(".site-header").getBoundingClientRect().height }));
      console.log(w, p, JSON.stringify(m));
      await page.screenshot({ path: `/tmp/shot-${w}-${p.replace(/\//g, "_")}.png`, fullPage: false });
    }
    await ctx.close();
  }
}
await browser.close(); await srv.close();
