// Drives Debian's Chromium through the workbench, as a journalist would: log in, search
// 教育 and open a hit, open a record's row in its sheet, open a person and see the
// mugshot, browse the photos, decide three candidates by keyboard and one by form, see
// the chart, see a person's records with their photo, tag a person and note something,
// mark them for publication and preview it, see the case home, and read the workbench in
// Chinese; then checks every page visited for accessibility (axe-core, WCAG 2.1 AA: no
// serious or critical violation). Run by crates/cli/tests/web_e2e.rs, which starts the
// server and passes:
//   TROVE_URL, TROVE_USER, TROVE_PASSWORD, TROVE_CASE, TROVE_PERSON, TROVE_LIST,
//   TROVE_SHOTS (folder for screenshots), NODE_PATH (where playwright-core is installed).
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const base = env("TROVE_URL");
const casePath = `${base}/cases/${encodeURIComponent(env("TROVE_CASE"))}`;
const shots = env("TROVE_SHOTS");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const page = await browser.newPage();
const problems = [];
// Every page a step ends on, for the accessibility check at the end.
const visited = [];
// A Content-Security-Policy violation or a script error is a failure of the page.
page.on("console", (message) => {
  if (message.type() === "error") problems.push(message.text());
});
page.on("pageerror", (error) => problems.push(String(error)));
page.on("response", (response) => {
  if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
});

async function step(name, run) {
  try {
    await run();
    visited.push(page.url());
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
    console.log(`ok   ${name}`);
  } catch (error) {
    await page.screenshot({ path: path.join(shots, `${name}-failed.png`), fullPage: true }).catch(() => {});
    console.log(`FAIL ${name}: ${error.message}`);
    throw error;
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

try {
  await step("01-login", async () => {
    await page.goto(`${base}/login`);
    await page.fill("#name", env("TROVE_USER"));
    await page.fill("#password", env("TROVE_PASSWORD"));
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    expect(!page.url().includes("/login"), `still on the login page: ${page.url()}`);
  });

  await step("02-search", async () => {
    await page.goto(`${casePath}/search`);
    await page.fill("input[name=q]", "教育");
    await Promise.all([page.waitForNavigation(), page.press("input[name=q]", "Enter")]);
    const marks = await page.locator("mark").count();
    expect(marks > 0, "no highlighted snippet among the hits for 教育");
  });

  await step("03-document", async () => {
    const hit = page.locator("a[href*='/documents/']").first();
    await Promise.all([page.waitForNavigation(), hit.click()]);
    expect(page.url().includes("/documents/"), `not on a document page: ${page.url()}`);
    expect((await page.locator("h1").count()) > 0, "the document page has no heading");
  });

  await step("04-sheet", async () => {
    await page.goto(`${casePath}/records`);
    const record = page.locator("table.records tbody a[href*='/records/']").first();
    await Promise.all([page.waitForNavigation(), record.click()]);
    const whole = page.locator("a", { hasText: "The whole sheet, opened on this row" });
    await Promise.all([page.waitForNavigation(), whole.click()]);
    expect((await page.locator("table.grid tr.current").count()) === 1, "the record's row is not marked in its sheet");
    expect((await page.locator("table.grid thead th", { hasText: /^A$/ }).count()) === 1, "the sheet has no column letters");
  });

  await step("05-person", async () => {
    await page.goto(`${casePath}/persons/${encodeURIComponent(env("TROVE_PERSON"))}`);
    const photo = page.locator("img[src*='preview']").first();
    await photo.waitFor();
    const width = await photo.evaluate((img) => img.complete ? img.naturalWidth : 0);
    expect(width > 0, "the mugshot did not load");
    const heading = await page.textContent("h1");
    expect(!heading.startsWith("Person "), `the person page is headed by a key: ${heading}`);
  });

  await step("06-photos", async () => {
    await page.goto(`${casePath}/photos?linked=yes`);
    const thumbnail = page.locator("ul.gallery img").first();
    await thumbnail.waitFor();
    await thumbnail.scrollIntoViewIfNeeded();
    await page.waitForFunction((img) => img.complete, await thumbnail.elementHandle());
    const width = await thumbnail.evaluate((img) => img.naturalWidth);
    expect(width > 0, "a thumbnail did not load");
  });

  await step("07-review-by-keyboard", async () => {
    const queue = `${casePath}/review?list=${encodeURIComponent(env("TROVE_LIST"))}&status=unreviewed`;
    const reviewed = async () => {
      const text = await page.textContent("p.progress strong");
      return Number(/^(\d+) of/.exec(text.trim())[1]);
    };
    await page.goto(queue);
    const before = await reviewed();
    for (let i = 0; i < 3; i += 1) {
      await Promise.all([page.waitForNavigation(), page.keyboard.press("a")]);
      await page.goto(queue);
    }
    const after = await reviewed();
    expect(after === before + 3, `three key presses reviewed ${after - before} candidates`);
  });

  await step("08-review", async () => {
    // A decision can be revised: the form of the first candidate, whatever its review.
    await page.goto(`${casePath}/review?list=${encodeURIComponent(env("TROVE_LIST"))}`);
    const form = page.locator("form:has(input[name=decision][value=accept])").first();
    await form.waitFor();
    await form.locator("input[name=decision][value=accept]").check();
    await form.locator("textarea, input[name=note]").first().fill("Checked against the family's report (e2e test).");
    await Promise.all([page.waitForNavigation(), form.locator("button[type=submit]").click()]);
    const body = await page.textContent("body");
    expect(/accepted/i.test(body), "the page does not show the candidate as accepted");
  });

  await step("09-stats", async () => {
    await page.goto(`${casePath}/stats?by=township&adults=1`);
    const chart = page.locator("img[src*='stats.svg']").first();
    await chart.waitFor();
    const width = await chart.evaluate((img) => img.complete ? img.naturalWidth : 0);
    expect(width > 0, "the chart did not load");
  });

  await step("09b-records-with-photos", async () => {
    await page.goto(`${casePath}/records?q=${encodeURIComponent(`id:${env("TROVE_PERSON")}`)}`);
    const thumbnail = page.locator("table.records img.thumb").first();
    await thumbnail.waitFor();
    await thumbnail.scrollIntoViewIfNeeded();
    await page.waitForFunction((img) => img.complete, await thumbnail.elementHandle());
    expect((await thumbnail.evaluate((img) => img.naturalWidth)) > 0, "the records list's thumbnail did not load");
    const noWrap = await page.locator("table.records td").first().evaluate((td) => getComputedStyle(td).whiteSpace);
    expect(noWrap === "nowrap", `record cells wrap (${noWrap}): ID numbers and words would break`);
  });

  await step("10-tags-and-notes", async () => {
    const person = `${casePath}/persons/${encodeURIComponent(env("TROVE_PERSON"))}`;
    await page.goto(person);
    await page.fill("#annotation-tag", "e2e-seen");
    await Promise.all([page.waitForNavigation(), page.locator("form:has(#annotation-tag) button[type=submit]").click()]);
    await page.fill("#annotation-note", "Seen in the 2018 list too (e2e test).");
    await Promise.all([page.waitForNavigation(), page.locator("form:has(#annotation-note) button[type=submit]").click()]);
    expect((await page.textContent("body")).includes("Seen in the 2018 list too"), "the note does not show");
    await page.goto(`${casePath}/tags/e2e-seen`);
    const tagged = await page.locator(`a[href*='/persons/']`).count();
    expect(tagged > 0, "the tag's page lists nobody");
  });

  await step("11-publication", async () => {
    await page.goto(`${casePath}/persons/${encodeURIComponent(env("TROVE_PERSON"))}`);
    const form = page.locator("form[action$='/publication/decision']");
    await form.locator("input[name=publish]").check();
    await form.locator("select[name=consent]").selectOption("family_consent");
    await form.locator("textarea[name=note]").fill("The family asked for publication (e2e test).");
    await Promise.all([page.waitForNavigation(), form.locator("button[type=submit]").click()]);
    expect((await page.textContent("#publication")).includes("Marked for publication."), "the decision does not show");
    await page.goto(`${casePath}/publication`);
    expect((await page.locator("h1").textContent()).length > 0, "the publication page has no heading");
  });

  await step("12-case-home", async () => {
    await page.goto(casePath);
    expect((await page.locator("h2").count()) >= 3, "the case home shows no dashboard");
  });

  await step("13-chinese", async () => {
    await page.goto(`${base}/account`);
    await page.selectOption("#language", "zh-Hans");
    await Promise.all([page.waitForNavigation(), page.locator("form[action='/account/language'] button").click()]);
    await page.goto(casePath);
    expect((await page.getAttribute("html", "lang")) === "zh-Hans", "the page is not marked as Chinese");
    expect((await page.textContent("nav")).includes("案件"), "the navigation is not in Chinese");
  });

  expect(problems.length === 0, `the browser reported errors: ${problems.join(" | ")}`);

  // Accessibility: axe-core on every page visited, and the case home and authenticity page.
  // axe is injected as a script, which the pages' Content-Security-Policy forbids, so this
  // pass runs in a context that bypasses it (the steps above ran under it).
  const axePath = require.resolve("axe-core/axe.min.js");
  const checking = await browser.newContext({
    bypassCSP: true,
    storageState: await page.context().storageState(),
  });
  const checker = await checking.newPage();
  const failures = [];
  for (const url of [...new Set([...visited, casePath, `${casePath}/authenticity`])]) {
    await checker.goto(url);
    await checker.addScriptTag({ path: axePath });
    const violations = await checker.evaluate(async () => {
      const result = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.nodes[0].target.join(" ")}`);
    });
    if (violations.length > 0) failures.push(`${url}: ${violations.join("; ")}`);
    else console.log(`ok   accessibility ${new URL(url).pathname}`);
  }
  await checking.close();
  expect(failures.length === 0, `accessibility violations: ${failures.join(" | ")}`);
} finally {
  await browser.close();
}
