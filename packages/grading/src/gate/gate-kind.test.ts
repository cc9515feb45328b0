import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinNodeKinds, createNodeRegistry, defineNodeKind, loadGraph, runGraph, streamGraph } from "@tinyllm/core";
import {
  ANSWER_META_FIELD,
  REVISION_FIELD,
  createLlamaProvider,
  createModelKind,
  loadPrompts,
  type LlamaProvider,
  type PromptLibrary,
  type Revision,
} from "@tinyllm/models";
import { findRepoRoot, resolveTestModel } from "@tinyllm/models/testing";
import { loadRubrics } from "../rubric/load-rubrics";
import type { RubricSet } from "../rubric/rubric-set";
import type { VerdictRecordInput } from "../verdict-store/index";
import { createGateKind, type GateVerdict } from "./index";
import { createCalculator } from "@tinyllm/tools";

const calculator = createCalculator();

/**
 * A deterministic specialist for testing the gate: answers `answers[n]` on its n-th revision
 * (the last one after that), honours revisions like a model node, and notes what it was told.
 */
const scripted = defineNodeKind({
  kind: "scripted",
  description: "Answers from a script.",
  configSchema: z.strictObject({ answers: z.array(z.string()).min(1) }),
  writes: () => ["output", ANSWER_META_FIELD, "told"],
  create: (config) => (state, context) => {
    const revision = state[REVISION_FIELD] as Revision | null | undefined;
    const mine = revision?.node === context.nodeId ? revision : undefined;
    const index = Math.min((mine?.attempt ?? 1) - 1, config.answers.length - 1);
    const told = [...((state.told as string[] | undefined) ?? []), ...(mine ? [`${context.nodeId}@${mine.tier ?? "-"}: ${mine.feedback}`] : [])];
    return {
      patch: { output: config.answers[index], [ANSWER_META_FIELD]: { node: context.nodeId, model: "script", tier: mine?.tier ?? "T1", latencyMs: 1 }, told },
    };
  },
});

const repo = findRepoRoot({ from: import.meta.dirname }) ?? process.cwd();
let rubrics: RubricSet;
beforeAll(async () => {
  rubrics = await loadRubrics({ dir: path.join(repo, "rubrics") });
});

function graph(answers: string[], onFail: string, extra = "") {
  return `
id: gated
version: 1
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - { id: math, kind: scripted, config: { answers: ${JSON.stringify(answers)} } }
${onFail.includes("backup") ? '  - { id: backup, kind: scripted, config: { answers: ["17 * 24 = 408"] } }' : ""}
  - id: gate
    kind: gate
    maxVisits: 8
    config:
      pass: done
      retryTargets: [math]
      onFail: ${onFail}
      judge: { enabled: false }
${extra}
  - { id: done, kind: exit }
edges:
  - { from: start, to: math }
  - { from: math, to: gate }
${onFail.includes("backup") ? "  - { from: backup, to: gate }" : ""}
`;
}

async function run(source: string, records: VerdictRecordInput[] = []) {
  const registry = createNodeRegistry([...builtinNodeKinds, scripted, createGateKind({ rubrics, calculator, record: (r) => records.push(r) })]);
  const loaded = await loadGraph(source, { registry });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
  return runGraph(loaded.graph, { input: "What is 17 * 24?" });
}

describe("the gate kind", () => {
  it("passes a right answer to `pass` and records one verdict", async () => {
    const records: VerdictRecordInput[] = [];
    const result = await run(graph(["17 * 24 = 408"], "[{ retry: 1 }]"), records);
    expect(result.status).toBe("ok");
    const verdict = result.state.verdict as GateVerdict;
    expect(verdict).toMatchObject({ pass: true, attempt: 1, action: "pass", decidedBy: "math.calculator", answeredBy: "math" });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      nodeId: "gate",
      answeredBy: "math",
      pass: true,
      decidedBy: "math.calculator",
      query: "What is 17 * 24?",
      attempt: 1,
      model: "script",
    });
  });

  it("retries the specialist with the verdict's feedback", async () => {
    const result = await run(graph(["17 * 24 = 418", "17 * 24 = 408"], "[{ retry: 2 }]"));
    const verdict = result.state.verdict as GateVerdict;
    expect(verdict.history.map((h) => h.action)).toEqual(["retry", "pass"]);
    expect(result.state.output).toBe("17 * 24 = 408");
    expect(result.state.told).toEqual([expect.stringMatching(/^math@T1: The final result is wrong \(final number 418 ≠ 17 \* 24 = 408\)/)]);
    expect(result.state[REVISION_FIELD]).toBeNull();
    // The trace shows each attempt and each verdict.
    const spans = result.trace.spans.filter((s) => s.kind === "node" && (s.name === "gate" || s.name === "math"));
    expect(spans.map((s) => s.name)).toEqual(["math", "gate", "math", "gate"]);
    expect(spans.filter((s) => s.name === "gate").map((s) => (s.attributes?.verdict as { pass: boolean }).pass)).toEqual([false, true]);
  });

  it("climbs the ladder: retry, escalate, then fall back", async () => {
    const records: VerdictRecordInput[] = [];
    const result = await run(graph(["It is 418."], "[{ retry: 1 }, { escalate: T2 }, { fallback: backup }]"), records);
    const verdict = result.state.verdict as GateVerdict;
    expect(verdict.history.map((h) => `${h.answeredBy}:${h.action}`)).toEqual(["math:retry", "math:escalate", "math:fallback", "backup:pass"]);
    expect(result.state.told).toEqual([expect.stringMatching(/^math@T1:/), expect.stringMatching(/^math@T2:/)]);
    expect(records.map((r) => [r.attempt, r.pass, r.tier])).toEqual([
      [1, false, "T1"],
      [2, false, "T1"],
      [3, false, "T2"],
      [4, true, "T1"],
    ]);
  });

  it("delivers the last answer marked failed when the ladder is used up, or fails the run when told to", async () => {
    const delivered = await run(graph(["It is 418."], "[{ retry: 1 }]"));
    expect(delivered.status).toBe("ok");
    expect(delivered.state.verdict).toMatchObject({ pass: false, action: "exhausted", attempt: 2 });
    const failed = await run(graph(["It is 418."], "[]\n      exhausted: error"));
    expect(failed.status).toBe("failed");
    expect(failed.error?.code).toBe("GATE_FAILED");
  });

  it("streams a verdict event per attempt", async () => {
    const registry = createNodeRegistry([...builtinNodeKinds, scripted, createGateKind({ rubrics, calculator })]);
    const loaded = await loadGraph(graph(["17 * 24 = 418", "17 * 24 = 408"], "[{ retry: 1 }]"), { registry });
    if (!loaded.ok) throw new Error("graph");
    const verdicts: unknown[] = [];
    const stream = streamGraph(loaded.graph, { input: "What is 17 * 24?" });
    for await (const event of stream) if (event.type === "node-info" && event.name === "verdict") verdicts.push(event.data);
    expect(verdicts).toMatchObject([
      { attempt: 1, pass: false, action: "retry", next: "math" },
      { attempt: 2, pass: true, action: "pass", next: "done" },
    ]);
  });

  it("reports config mistakes when the graph loads", async () => {
    const registry = createNodeRegistry([...builtinNodeKinds, scripted, createGateKind({ rubrics, calculator })]);
    const loaded = await loadGraph(
      graph(["x"], "[{ retry: 1 }]")
        .replace("retryTargets: [math]", "retryTargets: []")
        .replace("judge: { enabled: false }", "judge: { enabled: false }\n      rubric: nope"),
      { registry },
    );
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      const messages = loaded.problems.map((p) => p.message).join("\n");
      expect(messages).toMatch(/retryTargets lists no node/);
      expect(messages).toMatch(/unknown rubric 'nope'/);
    }
  });

  it("reports a ladder longer than the visit limits allow, and targets that cannot answer", async () => {
    const registry = createNodeRegistry([...builtinNodeKinds, scripted, createGateKind({ rubrics, calculator })]);
    const tooShort = await loadGraph(graph(["x"], "[{ retry: 3 }]").replace("maxVisits: 8", "maxVisits: 2"), { registry });
    expect(tooShort.ok).toBe(false);
    if (!tooShort.ok) expect(tooShort.problems.map((p) => p.message).join("\n")).toMatch(/maxVisits 2 lets the gate grade 2 answers, and onFail has 3 steps/);
    const specialistLimit = await loadGraph(
      graph(["x"], "[{ retry: 2 }]").replace("{ id: math, kind: scripted,", "{ id: math, maxVisits: 2, kind: scripted,"),
      { registry },
    );
    expect(specialistLimit.ok).toBe(false);
    if (!specialistLimit.ok)
      expect(specialistLimit.problems.map((p) => p.message).join("\n")).toMatch(
        /'math' may be entered 2 times, and the gate may send an answer back to it 2 times/,
      );
    const selfish = await loadGraph(graph(["x"], "[{ retry: 1 }]").replace("retryTargets: [math]", "retryTargets: [math, gate, start]"), { registry });
    expect(selfish.ok).toBe(false);
    if (!selfish.ok) {
      const messages = selfish.problems.map((p) => p.message).join("\n");
      expect(messages).toMatch(/retry target 'gate' is the gate itself/);
      expect(messages).toMatch(/retry target 'start' is a 'entry' node/);
    }
  });
});

describe("the gate after a real model node", () => {
  let provider: LlamaProvider;
  let modelPath: string;
  let prompts: PromptLibrary;
  beforeAll(async () => {
    modelPath = (await resolveTestModel()).path;
    provider = createLlamaProvider({ modelPath, threads: 1 });
    prompts = await loadPrompts({ dir: path.join(repo, "prompts") });
  });
  afterAll(async () => provider?.close());

  /** A code specialist on the test model followed by a gate with `gateConfig`. */
  async function realGraph(gateConfig: string, { maxTokens, missingTier, judge }: { maxTokens: number; missingTier?: string; judge: boolean }) {
    const resolveModel = (ref: { tier?: string }) => {
      if (missingTier !== undefined && ref.tier === missingTier) throw new Error(`tier ${missingTier} has no model (not pulled)`);
      return { provider, model: modelPath, ...(ref.tier ? { tier: ref.tier } : {}) };
    };
    const registry = createNodeRegistry([
      ...builtinNodeKinds,
      createModelKind({ resolveModel, prompts }),
      createGateKind({ rubrics, calculator, ...(judge ? { resolveModel } : {}) }),
    ]);
    const loaded = await loadGraph(
      `
id: real
version: 1
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - { id: code, kind: model, config: { prompt: code, maxTokens: ${maxTokens} } }
  - id: gate
    kind: gate
    maxVisits: 4
    config: ${gateConfig}
  - { id: done, kind: exit }
edges:
  - { from: start, to: code }
  - { from: code, to: gate }
`,
      { registry },
    );
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
    return loaded.graph;
  }

  it("grades a real model's answer, retries it once and delivers it marked", async () => {
    const graph = await realGraph("{ pass: done, retryTargets: [code], onFail: [{ retry: 1 }] }", { maxTokens: 24, judge: true });
    const result = await runGraph(graph, { input: "Write a Python function to check if a number is prime", state: { route: "code" } });
    expect(result.status).toBe("ok");
    const verdict = result.state.verdict as GateVerdict;
    // The story model writes no code, so the rule check fails it; the gate retries once, then delivers.
    expect(verdict.history.map((h) => h.action)).toEqual(["retry", "exhausted"]);
    expect(verdict.history.every((h) => h.decidedBy === "rules.has_code" || h.decidedBy === "rules.empty")).toBe(true);
    const modelSpans = result.trace.spans.filter((s) => s.kind === "model");
    expect(modelSpans.length).toBeGreaterThanOrEqual(2);
  });

  it("answers on the node's own tier when the escalation tier cannot answer", async () => {
    const graph = await realGraph("{ pass: done, retryTargets: [code], onFail: [{ escalate: T2 }], judge: { enabled: false } }", {
      maxTokens: 16,
      missingTier: "T2",
      judge: false,
    });
    const events: { name: string; data: Record<string, unknown> }[] = [];
    const stream = streamGraph(graph, { input: "Write a Python function to check if a number is prime", state: { route: "code" } });
    for await (const event of stream) if (event.type === "node-info") events.push({ name: event.name, data: event.data });
    const result = await stream.result;
    expect(result.status).toBe("ok");
    expect((result.state.verdict as GateVerdict).history.map((h) => h.action)).toEqual(["escalate", "exhausted"]);
    expect(events.find((e) => e.name === "revision-failed")?.data).toMatchObject({ tier: "T2", message: expect.stringMatching(/not pulled/) });
    expect((result.state[ANSWER_META_FIELD] as { tier?: string }).tier).toBe("T1");
  });
});
