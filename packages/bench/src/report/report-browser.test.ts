import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngColorCounts } from "../../../../scripts/browser-testing/png-color-counts";
import { testChromiumLaunchOptions } from "../../../../scripts/browser-testing/test-chromium";
import { writeReport } from "./render-report";
import { baselinesOnlyFixture, gsm8kFixture, mtBenchFixture } from "./report-fixture";

let browser: Browser | undefined;

/** The browser, launched on first use. Without Chromium every test fails (a failing beforeAll would only mark them skipped). */
async function theBrowser(): Promise<Browser> {
  browser ??= await chromium.launch(testChromiumLaunchOptions("the report's browser tests"));
  return browser;
}

/** A page that records script errors, console errors (a CSP violation shows up as one) and every request. */
async function openPage(): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await (await theBrowser()).newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("request", (request) => requests.push(request.url()));
  return { page, problems, requests };
}

let dir = "";
const reports: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bench-report-browser-"));
  for (const [name, fixture] of Object.entries({ gsm8k: gsm8kFixture(), baselines: baselinesOnlyFixture(), mt_bench: mtBenchFixture() }))
    reports[name] = (await writeReport(join(dir, name), fixture.summary, fixture.results)).htmlFile;
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("report.html in Chromium", () => {
  it.each([
    ["gsm8k", ["accuracy", "accuracy-latency", "accuracy-cost", "pass-rate-by-route", "pass-rate-by-tier", "second-chances", "latency-cdf"]],
    ["baselines", ["accuracy", "accuracy-latency", "accuracy-cost", "pass-rate-by-tier", "latency-cdf"]],
    [
      "mt_bench",
      ["accuracy", "accuracy-latency", "accuracy-cost", "mt-bench-categories", "pass-rate-by-route", "pass-rate-by-tier", "second-chances", "latency-cdf"],
    ],
  ])("should show every chart of the %s report, offline, with no error", async (name, charts) => {
    const { page, problems, requests } = await openPage();
    const url = pathToFileURL(reports[name]!).href;
    await page.goto(url);

    expect(await page.locator("[data-chart]").evaluateAll((figures) => figures.map((f) => f.getAttribute("data-chart")))).toEqual(charts);
    for (const chart of charts) {
      const svg = page.locator(`[data-chart="${chart}"] > svg`);
      expect(await svg.count(), chart).toBe(1);
      const box = await svg.boundingBox();
      expect(box, chart).not.toBeNull();
      expect(box!.width, chart).toBeGreaterThan(100);
      expect(box!.height, chart).toBeGreaterThan(50);
      const marks = await svg.locator("path, rect, circle, line").evaluateAll((elements) =>
        elements.filter((element) => {
          const rect = element.getBoundingClientRect();
          return rect.width > 0 || rect.height > 0;
        }),
      );
      expect(marks.length, chart).toBeGreaterThanOrEqual(5);
    }
    // The model's answer is text on the page, not a script.
    if (name === "gsm8k") {
      expect(await page.locator("script").count()).toBe(0);
      expect(await page.locator("td", { hasText: "<script>alert(1)</script>" }).count()).toBe(1);
    }

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it("should paint the charts: the screenshot holds the charts' colours, not a blank page", async () => {
    const { page, problems } = await openPage();
    await page.goto(pathToFileURL(reports.gsm8k!).href);
    await page.locator('[data-chart="accuracy"]').scrollIntoViewIfNeeded();
    const colors = pngColorCounts(await page.screenshot());
    const pixels = [...colors.values()].reduce((a, b) => a + b, 0);
    const shares = [...colors.values()].sort((a, b) => b - a).map((count) => count / pixels);
    // The background is the most common colour, but far from all of it.
    expect(shares[0]!).toBeLessThan(0.97);
    // Several colours each cover a visible part of the page: text, bars, error bars.
    expect(shares.filter((share) => share > 0.002).length).toBeGreaterThanOrEqual(4);
    // The graph's red and the baselines' blue bars are there, in area.
    const share = (hex: string) => (colors.get(Number.parseInt(hex, 16) * 256 + 255) ?? 0) / pixels;
    expect(share("e45756")).toBeGreaterThan(0.002);
    expect(share("4c78a8")).toBeGreaterThan(0.002);
    expect(problems).toEqual([]);
    await page.close();
  });
});
