import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TinyLLMError } from "@tinyllm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SUITES } from "../suites/suites";
import type { BenchItem } from "../suites/bench-item";
import type { BenchConfiguration } from "./bench-configuration";
import type { BenchEvent } from "./bench-event";
import { runBench } from "./run-bench";

const sample = path.resolve(import.meta.dirname, "../../test-data");
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-run-bench-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A deterministic configuration for testing the harness: it answers GSM8K with the reference's
 * final number when `right(item)` says so, else with a wrong one, and counts its calls.
 */
function arithmetic(name: string, right: (item: BenchItem) => boolean, options: { failOn?: string; onCall?: () => void } = {}) {
  const calls: string[] = [];
  const configuration: BenchConfiguration = {
    name,
    kind: name === "graph" ? "graph" : "baseline",
    model: `${name}-model`,
    tier: "T1",
    async answer(item) {
      calls.push(item.id);
      options.onCall?.();
      if (item.id === options.failOn)
        return { answers: [], latencyMs: 1, tokensIn: 0, tokensOut: 0, retries: 0, escalations: 0, error: { code: "MODEL_FAILED", message: "boom" } };
      const final = /####\s*(\S+)/.exec(item.reference ?? "")?.[1] ?? "0";
      const answer = right(item) ? `#### ${final}` : `#### ${Number(final) + 1}`;
      return {
        answers: [answer],
        latencyMs: 10 + calls.length,
        tokensIn: 100,
        tokensOut: 20,
        retries: name === "graph" && item.id === "gsm8k/1" ? 1 : 0,
        escalations: 0,
        ...(name === "graph" ? { route: "math", tier: "T1", gate: { pass: true, decidedBy: "math.reference" } } : {}),
      };
    },
  };
  return { configuration, calls };
}

describe("runBench", () => {
  it("answers every item with every configuration, scores it and appends it to the results file", async () => {
    const items = await SUITES.gsm8k.load(sample);
    const graph = arithmetic("graph", () => true);
    const baseline = arithmetic("T1", (item) => item.id !== "gsm8k/2", { failOn: "gsm8k/3" });
    const events: BenchEvent[] = [];
    const file = path.join(dir, "results.jsonl");
    const { results, resumed, interrupted } = await runBench({
      suite: SUITES.gsm8k,
      items,
      configurations: [graph.configuration, baseline.configuration],
      resultsFile: file,
      onEvent: (e) => events.push(e),
    });
    expect(resumed).toBe(0);
    expect(interrupted).toBe(false);
    expect(results.map((r) => `${r.config}:${r.item}:${r.pass}`)).toEqual([
      "graph:gsm8k/0:true",
      "T1:gsm8k/0:true",
      "graph:gsm8k/1:true",
      "T1:gsm8k/1:true",
      "graph:gsm8k/2:true",
      "T1:gsm8k/2:false",
      "graph:gsm8k/3:true",
      "T1:gsm8k/3:false",
    ]);
    const failed = results.find((r) => r.config === "T1" && r.item === "gsm8k/3")!;
    expect(failed).toMatchObject({ scoredBy: "no answer: MODEL_FAILED", error: { code: "MODEL_FAILED" } });
    expect(results[0]).toMatchObject({ suite: "gsm8k", route: "math", tier: "T1", cost: 0.36, gate: { pass: true } });
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(8);
    expect(events[0]).toEqual({ type: "start", total: 8, resumed: 0, configs: ["graph", "T1"] });
    expect(events.at(-1)).toEqual({ type: "end", done: 8, total: 8, interrupted: false });
    expect(events.filter((e) => e.type === "result").at(-1)).toMatchObject({ done: 8, passed: 6, scored: 8 });
  });

  it("stops on abort keeping what is done, then resumes with only the rest, giving the same results", async () => {
    const items = await SUITES.gsm8k.load(sample);
    const file = path.join(dir, "results.jsonl");
    const controller = new AbortController();
    let calls = 0;
    const first = arithmetic("T1", (item) => item.id !== "gsm8k/1", { onCall: () => ++calls === 3 && controller.abort() });
    const stopped = await runBench({ suite: SUITES.gsm8k, items, configurations: [first.configuration], resultsFile: file, abortSignal: controller.signal });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.results.map((r) => r.item)).toEqual(["gsm8k/0", "gsm8k/1"]);
    // A crash mid-write leaves half a line: it is dropped, not an error.
    await writeFile(file, `${await readFile(file, "utf8")}{"config":"T1","sui`);
    const second = arithmetic("T1", (item) => item.id !== "gsm8k/1");
    const resumed = await runBench({ suite: SUITES.gsm8k, items, configurations: [second.configuration], resultsFile: file });
    expect(resumed.resumed).toBe(2);
    expect(second.calls).toEqual(["gsm8k/2", "gsm8k/3"]);
    expect(resumed.results.map((r) => `${r.item}:${r.pass}`)).toEqual(["gsm8k/0:true", "gsm8k/1:false", "gsm8k/2:true", "gsm8k/3:true"]);
    expect(
      (await readFile(file, "utf8"))
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { item: string }).item),
    ).toEqual(["gsm8k/0", "gsm8k/1", "gsm8k/2", "gsm8k/3"]);
  });

  it("runs answers concurrently up to the limit", async () => {
    const items = await SUITES.gsm8k.load(sample);
    let inFlight = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const slow: BenchConfiguration = {
      name: "slow",
      kind: "baseline",
      model: "m",
      async answer() {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise<void>((resolve) => {
          gates.push(resolve);
          if (gates.length >= 2 || inFlight >= 2) for (const open of gates.splice(0)) open();
        });
        inFlight--;
        return { answers: ["#### 1"], latencyMs: 1, tokensIn: 1, tokensOut: 1, retries: 0, escalations: 0 };
      },
    };
    const { results } = await runBench({ suite: SUITES.gsm8k, items, configurations: [slow], concurrency: 2 });
    expect(results).toHaveLength(4);
    expect(most).toBe(2);
  });

  it("refuses a results file of another suite, a duplicate name and no configuration", async () => {
    const items = await SUITES.gsm8k.load(sample);
    const file = path.join(dir, "results.jsonl");
    await writeFile(file, `${JSON.stringify({ config: "T1", suite: "mbpp", item: "mbpp/2" })}\n`);
    const other = await runBench({ suite: SUITES.gsm8k, items, configurations: [arithmetic("T1", () => true).configuration], resultsFile: file }).catch(
      (e: unknown) => e as TinyLLMError,
    );
    expect(other).toMatchObject({ code: "BENCH_RESULTS_INVALID" });
    expect((other as TinyLLMError).hint).toMatch(/--out/);
    const twice = arithmetic("T1", () => true).configuration;
    await expect(runBench({ suite: SUITES.gsm8k, items, configurations: [twice, twice] })).rejects.toMatchObject({ code: "BENCH_INPUT_INVALID" });
    await expect(runBench({ suite: SUITES.gsm8k, items, configurations: [] })).rejects.toMatchObject({ code: "BENCH_INPUT_INVALID" });
  });
});
