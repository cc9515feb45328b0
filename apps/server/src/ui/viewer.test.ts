import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngColorCounts } from "../../../../scripts/browser-testing/png-color-counts";
import { testChromiumLaunchOptions } from "../../../../scripts/browser-testing/test-chromium";
import { startTestServer, type TestServer } from "../testing/start-test-server";

const waitMs = 120_000;

let browser: Browser | undefined;

/** The browser, launched on first use. Without Chromium every test fails (a failing beforeAll would only mark them skipped). */
async function theBrowser(): Promise<Browser> {
  browser ??= await chromium.launch(testChromiumLaunchOptions("the viewer's browser tests"));
  return browser;
}

afterAll(async () => {
  await browser?.close();
});

/** A page that fails the test on any script error or console error (a CSP violation shows up as one). */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await (await theBrowser()).newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return { page, problems };
}

/**
 * Records, in the page, each distinct (waterfall rows, status, output length) state the run page
 * goes through, so the test can check what it showed while the run was live without racing it.
 */
const recordStates = `
  window.__states = [];
  new MutationObserver(() => {
    const status = document.querySelector("[data-testid=run-status]");
    const output = document.querySelector("[data-testid=output]");
    const state = {
      rows: document.querySelectorAll("[data-testid=waterfall-row]").length,
      status: status ? status.textContent : null,
      output: output ? output.textContent.length : 0,
    };
    const last = window.__states[window.__states.length - 1];
    if (!last || last.rows !== state.rows || last.status !== state.status || (last.output === 0) !== (state.output === 0)) window.__states.push(state);
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

describe("the trace viewer in Chromium", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("starts a run from the form, follows it live, then shows it finished from the list", async () => {
    const { page, problems } = await openPage();
    await page.addInitScript({ content: recordStates });
    await page.goto(`${server.url}/ui/`);
    const form = page.getByTestId("start-form");
    await form.waitFor();
    expect(await form.locator("select option").allTextContents()).toEqual(server.server.graphIds);
    await form.locator("select").selectOption("multi_domain");
    await form.locator("textarea").fill("Tell me a story about a cat.");
    await form.locator("button[type=submit]").click();

    await page.waitForURL(/\/ui\/runs\/run_[0-9a-f]+$/, { timeout: waitMs });
    const runId = page.url().split("/").at(-1)!;
    await page.getByTestId("waterfall-row").first().waitFor({ timeout: waitMs });
    await expect.poll(() => page.getByTestId("run-status").textContent(), { timeout: waitMs, interval: 250 }).toBe("ok");

    // While the status said running, rows were there and the answer was streaming in.
    const states = (await page.evaluate("window.__states")) as Array<{ rows: number; status: string | null; output: number }>;
    expect(states.some((state) => state.status === "running" && state.rows > 0)).toBe(true);
    expect(states.some((state) => state.status === "running" && state.output > 0)).toBe(true);

    // The finished run: trace, output, route, verdicts and the path through the graph.
    expect(await page.getByTestId("waterfall-row").count()).toBeGreaterThanOrEqual(5);
    expect((await page.getByTestId("output").textContent())!.length).toBeGreaterThan(0);
    expect(await page.getByTestId("route").textContent()).toContain("general");
    expect(await page.getByTestId("verdict").count()).toBeGreaterThan(0);
    const svg = page.getByTestId("graph-svg");
    const visited = await svg.locator("[data-visited=true]").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-node")));
    expect(visited).toEqual(expect.arrayContaining(["start", "router", "general", "gate", "done"]));
    expect(visited).not.toContain("code");
    expect(await svg.locator("[data-edge='router->general'].taken").count()).toBe(1);
    expect(await svg.locator("[data-edge='router->code'].taken").count()).toBe(0);

    // Back to the list, and into the finished run from its row.
    await page.getByRole("link", { name: "TinyLLM runs" }).click();
    const row = page.locator(`[data-testid=run-row][data-run-id=${runId}]`);
    await row.waitFor({ timeout: waitMs });
    expect(await row.textContent()).toContain("general");
    await row.getByRole("link").click();
    await page.waitForURL(`**/ui/runs/${runId}`);
    await expect.poll(() => page.getByTestId("run-status").textContent(), { timeout: waitMs }).toBe("ok");
    await page.getByTestId("waterfall-row").nth(4).waitFor({ timeout: waitMs });
    await page.getByTestId("verdict").first().waitFor({ timeout: waitMs });
    await svg.locator("[data-visited=true]").first().waitFor({ timeout: waitMs });
    const modelRows = await page.getByTestId("waterfall-row").evaluateAll((rows) => rows.filter((row) => row.querySelector(".bar.model")).length);
    expect(modelRows).toBeGreaterThan(0);

    const shot = await page.screenshot();
    const blankPage = await (await theBrowser()).newPage({ viewport: { width: 1280, height: 900 } });
    await blankPage.setContent("<html></html>");
    const blank = await blankPage.screenshot();
    await blankPage.close();
    expect(pngColorCounts(blank).size).toBeLessThanOrEqual(2);
    expect(pngColorCounts(shot).size).toBeGreaterThan(50);
    expect(shot.length).toBeGreaterThan(blank.length * 5);

    expect(problems).toEqual([]);
    await page.close();
  });

  it("escapes what it shows: markup in a run's input stays text", async () => {
    const { page, problems } = await openPage();
    const input = `<img src=x onerror="window.__pwned=1"><b>bold</b>`;
    const started = await fetch(`${server.url}/v1/runs`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ input }) });
    const { id } = (await started.json()) as { id: string };
    await page.goto(`${server.url}/ui/`);
    const row = page.locator(`[data-testid=run-row][data-run-id=${id}]`);
    await row.waitFor({ timeout: waitMs });
    expect(await row.textContent()).toContain("<b>bold</b>");
    expect(await page.locator("[data-testid=runs-table] img, [data-testid=runs-table] b").count()).toBe(0);
    await row.getByRole("link").click();
    await page.getByTestId("run-status").waitFor({ timeout: waitMs });
    await expect.poll(() => page.locator("main").textContent(), { timeout: waitMs }).toContain("<b>bold</b>");
    expect(await page.locator("main img, main b").count()).toBe(0);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
    await fetch(`${server.url}/v1/runs/${id}`, { method: "DELETE" });
  });
});

describe("the trace viewer behind API keys", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ apiKeys: ["k1"] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("sends /ui/ to the sign-in page; once signed in, the list loads and a run streams with the cookie", async () => {
    const { page, problems } = await openPage();
    await page.goto(`${server.url}/ui/`);
    expect(new URL(page.url()).pathname).toBe("/ui/login");
    await page.locator("input[name=key]").fill("wrong");
    await page.locator("button[type=submit]").click();
    expect(await page.getByRole("alert").textContent()).toContain("not one of this server's keys");
    await page.locator("input[name=key]").fill("k1");
    await page.locator("button[type=submit]").click();
    await page.waitForURL(`${server.url}/ui/`);
    await page.locator("[data-testid=runs-table][data-loaded=true]").waitFor({ timeout: waitMs });

    await page.getByTestId("start-form").locator("textarea").fill("What is 2+2?");
    await page.getByTestId("start-form").locator("button[type=submit]").click();
    await page.waitForURL(/\/ui\/runs\/run_/, { timeout: waitMs });
    await expect.poll(() => page.getByTestId("run-status").textContent(), { timeout: waitMs }).toBe("ok");
    expect(await page.getByTestId("waterfall-row").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("verdict").count()).toBeGreaterThan(0);
    // The console shows the login page's 401 for the wrong key; nothing else may fail.
    expect(problems.filter((problem) => !problem.includes("401"))).toEqual([]);
    await page.close();
  });
});
