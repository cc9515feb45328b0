import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "./render-report";
import { baselinesOnlyFixture, gsm8kFixture, mtBenchFixture } from "./report-fixture";

const chromiumPath = "/usr/bin/chromium";
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let browser: Browser | undefined;

/** The browser, launched on first use. Without Chromium every test fails (a failing beforeAll would only mark them skipped). */
async function theBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath}: run \`apt-get install -y chromium\` (Debian) to run the report's browser tests`);
  browser ??= await chromium.launch({ executablePath: chromiumPath, args: flags, headless: true });
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
    const colors = colorCounts(await page.screenshot());
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

/** Pixels per RGBA colour of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are). */
function colorCounts(png: Buffer): Map<number, number> {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error("only 8-bit, non-interlaced PNGs");
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      if (!channels) throw new Error(`PNG colour type ${body[9]} is not RGB or RGBA`);
    } else if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  let previous = Buffer.alloc(stride);
  const colors = new Map<number, number>();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? line[i - channels]! : 0;
      const up = previous[i]!;
      const upLeft = i >= channels ? previous[i - channels]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const add = [0, left, up, (left + up) >> 1, filter === 4 ? paeth() : 0][filter]!;
      line[i] = (line[i]! + add) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const at = x * channels;
      const color = ((line[at]! << 16) | (line[at + 1]! << 8) | line[at + 2]!) * 256 + (channels === 4 ? line[at + 3]! : 255);
      colors.set(color, (colors.get(color) ?? 0) + 1);
    }
    previous = line;
  }
  return colors;
}
