// Opens a site `trove publish` built, in Debian's Chromium, twice: from file:// and from a
// static server on loopback. Each time: the gallery, a person page with its photo, search
// by a Chinese name and by a Latin spelling without its accents, the statistics chart;
// no console error, no Content-Security-Policy violation, no request to any other place;
// the time the first search takes to answer;
// then axe-core (WCAG 2.1 AA) on each page, no serious or critical violation. Run by
// crates/cli/tests/publish_site.rs, which passes:
//   TROVE_SITE (the site folder), TROVE_NAME (a published name in Chinese characters),
//   TROVE_LATIN (a Latin spelling of it), TROVE_SHOTS, NODE_PATH.
import { createRequire } from "node:module";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const site = env("TROVE_SITE");
const shots = env("TROVE_SHOTS");
const expect = (condition, message) => {
  if (!condition) throw new Error(message);
};

// A static server over the site folder: what any static host does, nothing more.
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".json": "application/json", ".csv": "text/csv" };
const server = http.createServer((request, response) => {
  const wanted = path.normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
  const file = path.join(site, wanted.endsWith("/") ? `${wanted}index.html` : wanted);
  if (!file.startsWith(site) || !fs.existsSync(file)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  fs.createReadStream(file).pipe(response);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const served = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function visit(base, label) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith(base)) problems.push(`request to ${r.url()}`); });
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
  const visited = [];
  const step = async (name, run) => {
    await run();
    visited.push(page.url());
    await page.screenshot({ path: path.join(shots, `site-${label}-${name}.png`), fullPage: true });
    console.log(`ok   ${label} ${name}`);
  };

  // The first search of a fresh visit: page, index and search, until the answer shows.
  await step("first-search", async () => {
    const started = Date.now();
    await page.goto(`${base}search.html?q=${encodeURIComponent(env("TROVE_NAME"))}`);
    await page.waitForSelector("#persons li a");
    console.log(`${label}: first search answered in ${Date.now() - started} ms`);
  });
  await step("gallery", async () => {
    await page.goto(`${base}index.html`);
    const cards = await page.locator(".gallery li").count();
    expect(cards > 0, "the gallery lists no person");
    await page.waitForLoadState("load");
    const loaded = await page.locator(".gallery img:not([loading=lazy])").evaluateAll((imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0));
    expect(loaded, "a gallery photo did not load");
  });
  await step("person", async () => {
    // The person may be on a later gallery page: open them from a search, as a reader would.
    await page.goto(`${base}search.html?q=${encodeURIComponent(env("TROVE_NAME"))}`);
    await page.locator("#persons li a").first().click();
    await page.waitForSelector("h1");
    expect((await page.textContent("h1")).includes(env("TROVE_NAME")), "the person page is not headed by the name");
    expect(await page.locator("img.photo").evaluate((i) => i.naturalWidth > 0), "the photo did not load");
  });
  for (const [name, query] of [["search-chinese", env("TROVE_NAME")], ["search-latin", env("TROVE_LATIN")]]) {
    await step(name, async () => {
      await page.goto(`${base}search.html`);
      await page.fill("#q", query);
      await page.click("button[type=submit]");
      await page.waitForSelector("#persons li a");
      const found = await page.locator("#persons li a").allTextContents();
      expect(found.some((t) => t.includes(env("TROVE_NAME"))), `searching ${query} found ${found.join(", ")}`);
    });
  }
  await step("statistics", async () => {
    await page.goto(`${base}statistics.html`);
    const charts = await page.locator("img.chart").evaluateAll((imgs) => imgs.map((i) => i.naturalWidth));
    expect(charts.length > 0 && charts.every((w) => w > 0), "a statistics chart did not load");
  });
  expect(problems.length === 0, `${label}: ${problems.join(" | ")}`);

  // Accessibility, in a context that lets axe's injected script run.
  const axePath = require.resolve("axe-core/axe.min.js");
  const checking = await browser.newContext({ bypassCSP: true });
  const checker = await checking.newPage();
  const failures = [];
  for (const url of new Set(visited)) {
    await checker.goto(url);
    await checker.addScriptTag({ path: axePath });
    const violations = await checker.evaluate(async () => {
      const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes[0].target.join(" ")}`);
    });
    if (violations.length > 0) failures.push(`${url}: ${violations.join("; ")}`);
  }
  expect(failures.length === 0, `accessibility: ${failures.join(" | ")}`);
  console.log(`ok   ${label} accessibility`);
  await checking.close();
  await context.close();
}

try {
  await visit(pathToFileURL(site + "/").href, "file");
  await visit(served, "served");
} finally {
  await browser.close();
  server.close();
}
