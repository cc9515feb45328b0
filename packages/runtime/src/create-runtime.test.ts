import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineGraph, type GraphInput, type RunEvent } from "@tinyllm/core";
import type { LlamaProvider } from "@tinyllm/models";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "./create-runtime";
import type { Runtime } from "./runtime";

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let modelFile: string;
let runtime: Runtime;

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-runtime-"));
  runtime = await createRuntime({ cwd: dir, env: {}, flags: { modelFile, provider: "llama", threads: 1 } });
});

afterAll(async () => {
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("createRuntime", () => {
  it("runs the default graph: the router picks a route, the gate grades the answer, and the verdict is recorded with the graph", async () => {
    const events: RunEvent[] = [];
    const result = await runtime.run("What is 2+2?", { onEvent: (event) => events.push(event) });
    expect(result.status).toBe("ok");
    expect(String(result.output)).toBe("4");
    expect(result.state.route).toBe("math");
    expect(events.some((event) => event.type === "node-info" && event.name === "route")).toBe(true);
    expect(events.some((event) => event.type === "node-info" && event.name === "verdict")).toBe(true);
    const store = runtime.verdictStore();
    expect(store).toBeDefined();
    const stats = store!.stats({ groupBy: "node", graphId: "multi_domain" });
    expect(stats.length).toBeGreaterThan(0);
  });

  it("keeps the model loaded from one run to the next", async () => {
    const first = await runtime.run("Tell me a story about a cat.", { state: {} });
    expect(first.status).toBe("ok");
    const backend = await runtime.backend();
    const loaded = await (backend.provider as LlamaProvider).loadedModels();
    expect(loaded).toHaveLength(1);
    const second = await runtime.run("Tell me a story about a dog.");
    expect(second.status).toBe("ok");
    expect(await runtime.backend()).toBe(backend);
    const after = await (backend.provider as LlamaProvider).loadedModels();
    expect(after).toEqual(loaded);
  });

  it("streams tokens and ends with the same result", async () => {
    const stream = runtime.stream("Tell me a story about a bird.");
    let tokens = "";
    for await (const event of stream) if (event.type === "token-delta") tokens += event.text;
    const result = await stream.result;
    expect(result.status).toBe("ok");
    expect(tokens.length).toBeGreaterThan(0);
  });

  it("repeats a sampled run given a seed, whatever ran before", async () => {
    // Without long-term memory: a run that passes its gate would teach the next one something.
    const forgetful = await createRuntime({ cwd: dir, env: {}, flags: { modelFile, provider: "llama", threads: 1 }, memoryStore: false });
    const ask = () => forgetful.run("Tell me a story about a fox.", { sampling: { seed: 3, temperature: 1 } });
    const first = await ask();
    await forgetful.run("Tell me a story about a frog.");
    const second = await ask();
    await forgetful.close();
    expect(first.status).toBe("ok");
    expect(String(first.output).length).toBeGreaterThan(0);
    expect(second.output).toEqual(first.output);
  });

  it("runs a graph built in code", async () => {
    const definition = defineGraph({
      id: "in_code",
      version: 2,
      entry: "begin",
      exits: ["end"],
      nodes: [
        { id: "begin", kind: "entry" },
        { id: "end", kind: "exit", config: { output: "{{ input | upper }}" } },
      ],
      edges: [{ from: "begin", to: "end" }],
    });
    const result = await runtime.run("quiet", { graph: definition });
    expect(result).toMatchObject({ status: "ok", output: "QUIET", graphId: "in_code" });
  });

  it("reports an invalid graph with its problems, and a missing file", async () => {
    await expect(
      runtime.loadGraph({
        id: "broken",
        version: "1",
        entry: "start",
        exits: ["done"],
        nodes: [{ id: "start", kind: "entry" }],
        edges: [],
      } as unknown as GraphInput),
    ).rejects.toMatchObject({
      code: "GRAPH_INVALID",
    });
    const checked = await runtime.checkGraph(path.join(dir, "nope.yaml"));
    expect(checked.ok).toBe(false);
    await expect(runtime.loadGraph(path.join(dir, "nope.yaml"))).rejects.toMatchObject({ code: "GRAPH_NOT_FOUND" });
  });

  it("grades an answer with the cheap checks and no model", async () => {
    const right = await runtime.grade({ query: "What is 17 * 24?", answer: "17 × 24 = 408" }, { judge: false, record: false });
    expect(right).toMatchObject({ pass: true, decidedBy: "math.calculator" });
    const wrong = await runtime.grade({ query: "Natalia sold clips…", answer: "She sold 73 clips.", reference: "#### 72" }, { judge: false, record: false });
    expect(wrong).toMatchObject({ pass: false, decidedBy: "math.reference" });
  });
});

describe("a runtime without a model", () => {
  it("says how to get one, and runs graphs that need none", async () => {
    const bare = await createRuntime({ cwd: dir, env: {}, flags: { ollamaHost: "http://127.0.0.1:9" }, verdictStore: false, probeTimeoutMs: 300 });
    try {
      await expect(bare.backend()).rejects.toMatchObject({ code: "NO_PROVIDER", hint: expect.stringContaining("--model-file") });
      const result = await bare.run("hi", { graph: path.resolve(here, "../../../graphs/chain.yaml") });
      expect(result.status).toBe("ok");
      // The default graph has model nodes: running it needs a model, and says how to get one.
      await expect(bare.run("Tell me a story")).rejects.toMatchObject({ code: "NO_PROVIDER" });
    } finally {
      await bare.close();
    }
  });

  it("refuses work after close, and close can be called twice", async () => {
    const closing = await createRuntime({ cwd: dir, env: {}, verdictStore: false });
    await closing.close();
    await closing.close();
    expect(() => closing.stream("hi")).toThrow(expect.objectContaining({ code: "RUNTIME_CLOSED" }));
    await expect(closing.loadGraph("x.yaml")).rejects.toMatchObject({ code: "RUNTIME_CLOSED" });
  });
});

describe("close()", () => {
  it("lets a process that used models and sandboxes exit on its own", async () => {
    const script = [
      `const { createRuntime } = await import(${JSON.stringify(path.resolve(here, "index.ts"))});`,
      `const runtime = await createRuntime({ cwd: ${JSON.stringify(dir)}, env: {}, flags: { modelFile: ${JSON.stringify(modelFile)}, provider: "llama", threads: 1 }, verdictStore: false });`,
      `const result = await runtime.run("Write a JavaScript function that adds two numbers");`,
      `await runtime.tools.call("run_javascript", { code: "1 + 1" });`,
      `console.log(JSON.stringify({ status: result.status }));`,
      `await runtime.close();`,
    ].join("\n");
    const file = path.join(dir, "close-exits.mts");
    await writeFile(file, script);
    const child = spawn(process.execPath, ["--conditions=@tinyllm/source", "--import", "tsx", file], { cwd: here, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Bounds only a hang: the child takes a few seconds; a leaked handle would keep it alive forever.
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 120_000);
      child.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({ status: "ok" });
  }, 150_000);
});
