/**
 * The behaviour every code runner (the JavaScript and Python sandboxes) shares, as one suite each
 * runner passes through its public API. Test-only.
 *
 * @module
 */
import type { CodeRunner } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The time limit of the suite's runner: long enough to start a program on a loaded machine, short enough to wait for. */
const SHORT_TIMEOUT_MS = 500;

/** The programs a runner's language needs for the suite. */
export interface CodeRunnerFixtures<TSuite> {
  /** Prints `hello` once. */
  print: string;
  /** Does not parse; the problem is on line 2. */
  syntaxError: string;
  /** Parses, and fails on line 2 at run time. */
  runtimeError: string;
  /** Never ends. */
  endlessLoop: string;
  /** Prints far more than the runner keeps. */
  floodOutput: string;
  /** Defines `add(a, b)`. */
  add: string;
  /** Tests `add(1, 2) == 3`. */
  passingSuite: TSuite;
  /** Tests `add(1, 2) == 4`. */
  failingSuite: TSuite;
}

/** Options of {@link describeCodeRunnerConformance}. */
export interface CodeRunnerConformanceOptions<TSuite> {
  name: string;
  /**
   * A runner with `timeoutMs` as its time limit per run and an output cap under 5,000 characters.
   * The suite asks for a short limit (under a second) and, for the abort case, a minute.
   */
  create: (limits: { timeoutMs: number }) => CodeRunner<TSuite> & { dispose(): Promise<void> };
  fixtures: CodeRunnerFixtures<TSuite>;
  /** Why the suite cannot run here (e.g. no python3), or undefined to run it. */
  skipReason?: string;
}

/** Registers the shared code-runner suite for one runner. */
export function describeCodeRunnerConformance<TSuite>({ name, create, fixtures, skipReason }: CodeRunnerConformanceOptions<TSuite>): void {
  describe.skipIf(skipReason !== undefined)(`${name} meets the code-runner contract${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let runner: ReturnType<typeof create>;
    beforeAll(() => {
      runner = create({ timeoutMs: SHORT_TIMEOUT_MS });
    });
    afterAll(async () => {
      await runner?.dispose();
    });

    it("runs a program and returns what it printed", async () => {
      const result = await runner.run(fixtures.print);
      expect(result.ok).toBe(true);
      expect(result.stdout.trim()).toBe("hello");
      expect(result.truncated).toBe(false);
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
    });

    it("reports a syntax error with its line, as a result", async () => {
      const result = await runner.run(fixtures.syntaxError);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("CODE_SYNTAX");
      expect(result.error.line).toBe(2);
    });

    it("reports a runtime error with its line, and keeps the output before it", async () => {
      const result = await runner.run(fixtures.runtimeError);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe("CODE_RUNTIME");
      expect(result.error.line).toBe(2);
      expect(result.stdout).toContain("before");
    });

    it("stops an endless loop with CODE_TIMEOUT, and the next run works", async () => {
      const result = await runner.run(fixtures.endlessLoop);
      expect(result).toMatchObject({ ok: false, error: { code: "CODE_TIMEOUT" } });
      expect((await runner.run(fixtures.print)).ok).toBe(true);
    });

    it("does not start a run whose abortSignal has aborted, or one aborted as it starts", async () => {
      expect(await runner.run(fixtures.endlessLoop, { abortSignal: AbortSignal.abort() })).toMatchObject({ ok: false, error: { code: "CODE_ABORTED" } });
      const controller = new AbortController();
      const running = runner.run(fixtures.endlessLoop, { abortSignal: controller.signal });
      controller.abort();
      expect(await running).toMatchObject({ ok: false, error: { code: "CODE_ABORTED" } });
    });

    it("stops a running program when its abortSignal aborts, long before its time limit", async () => {
      const patient = create({ timeoutMs: 60_000 });
      try {
        const controller = new AbortController();
        const running = patient.run(fixtures.endlessLoop, { abortSignal: controller.signal });
        // Let the program reach its loop; the runner's limit is a minute, past the test's timeout.
        setTimeout(() => controller.abort(), 300);
        expect(await running).toMatchObject({ ok: false, error: { code: "CODE_ABORTED" } });
        expect((await patient.run(fixtures.print)).stdout.trim()).toBe("hello");
      } finally {
        await patient.dispose();
      }
    });

    it("caps printed output and says so", async () => {
      const result = await runner.run(fixtures.floodOutput);
      expect(result.truncated).toBe(true);
      expect(result.stdout.length).toBeLessThan(10_000);
    });

    it("runs tests against the code: a right answer passes, a wrong one fails", async () => {
      const pass = await runner.runTests(fixtures.add, fixtures.passingSuite);
      expect(pass.ok).toBe(true);
      expect(pass.passed).toBe(pass.total);
      expect(pass.total).toBeGreaterThan(0);
      const fail = await runner.runTests(fixtures.add, fixtures.failingSuite);
      expect(fail.ok).toBe(false);
      expect(fail.failed).toBeGreaterThan(0);
    });

    it("fails every test when the code does not load", async () => {
      const report = await runner.runTests(fixtures.syntaxError, fixtures.passingSuite);
      expect(report.ok).toBe(false);
      expect(report.passed).toBe(0);
      expect(report.loadError?.code).toBe("CODE_SYNTAX");
    });

    it("refuses runs and tests after dispose with CODE_UNAVAILABLE", async () => {
      const disposed = create({ timeoutMs: SHORT_TIMEOUT_MS });
      await disposed.dispose();
      await expect(disposed.run(fixtures.print)).rejects.toMatchObject({ code: "CODE_UNAVAILABLE", message: expect.any(String) });
      await expect(disposed.runTests(fixtures.add, fixtures.passingSuite)).rejects.toMatchObject({ code: "CODE_UNAVAILABLE" });
    });
  });
}
