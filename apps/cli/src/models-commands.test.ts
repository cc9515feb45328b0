import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveTestModel, startOllamaTestServer, type OllamaTestServer } from "@tinyllm/models/testing";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let modelFile: string;
let cwd: string;

/** An environment with no provider: a closed Ollama port, no model file, no config. */
const bareEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9", HOME: cwd, XDG_CACHE_HOME: path.join(cwd, ".cache") };
  for (const key of ["TINYLLM_MODEL_FILE", "TINYLLM_PROVIDER", "TINYLLM_CONFIG", "TINYLLM_GRAPH", "OPENAI_BASE_URL"]) delete env[key];
  return env;
};

function cli(args: string[], env: NodeJS.ProcessEnv = bareEnv()): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr, ms: performance.now() - started });
    });
  });
}

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  cwd = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-models-"));
});

describe("tinyllm run", () => {
  it("should explain how to get a model and exit 1 when there is no provider", async () => {
    const result = await cli(["run", "What is 2+2?"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no model provider is available");
    expect(result.stderr).toContain("--model-file");
    expect(result.stderr).toContain("ollama serve");
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it("should route and stream an answer on the embedded engine, with the decision in the trace", async () => {
    const result = await cli(["run", "Write a Python function to check if a number is prime", "--model-file", modelFile, "--trace"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/route: (code|code_math) \(labels .+, decided by (fast|llm)/);
    expect(result.stderr).toMatch(/node router .*decidedBy=(fast|llm)/);
    expect(result.stderr).toMatch(/model .*tokens \d+→\d+/);
  });

  it("should print the result and the full trace with --json", async () => {
    const result = await cli(["run", "What is the capital of France?", "--model-file", modelFile, "--json"]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      status: string;
      state: { route: string; decidedBy: string };
      trace: { spans: { name: string; kind: string; tokens?: { output: number } }[] };
    };
    expect(parsed.status).toBe("ok");
    expect(parsed.state.route).toBe("general");
    const call = parsed.trace.spans.find((s) => s.kind === "model");
    expect(call?.tokens?.output).toBeGreaterThan(0);
  });

  it("should reject an empty query as a usage error", async () => {
    const result = await cli(["run", "  ", "--model-file", modelFile]);
    expect(result.code).toBe(2);
  });

  it("should say when the model file does not exist", async () => {
    const result = await cli(["run", "hello", "--model-file", path.join(cwd, "missing.gguf")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/missing\.gguf/);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});

describe("tinyllm run on Ollama", () => {
  let server: OllamaTestServer;
  beforeAll(async () => {
    server = await startOllamaTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should answer through the official client against an Ollama-protocol server, with tiers from tinyllm.yaml", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-ollama-"));
    const name = server.modelName;
    await writeFile(
      path.join(dir, "tinyllm.yaml"),
      `provider: ollama\nollama:\n  host: ${server.url}\ntiers:\n  T0: { ollama: "${name}" }\n  T1: { ollama: "${name}" }\n`,
    );
    // OLLAMA_HOST would override the file's host (flag > env > file), so leave it unset here.
    const { OLLAMA_HOST: _unset, ...env } = bareEnv();
    const result = await cli(["run", "Tell me a story", "--config", path.join(dir, "tinyllm.yaml"), "--json"], env);
    expect(result.stderr + result.stdout.slice(0, 2000)).not.toMatch(/"status": "failed"|error:/);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { status: string; output: string };
    expect(parsed.status).toBe("ok");
    expect(parsed.output.length).toBeGreaterThan(0);
    expect(server.requests.some((r) => r.path === "/api/chat")).toBe(true);
  });

  it("should tell the user to pull a tier model Ollama does not have", async () => {
    const result = await cli(["run", "Tell me a story", "--provider", "ollama", "--ollama-host", server.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ollama pull qwen2\.5/);
  });
});

describe("tinyllm route", () => {
  it("should print one JSON line per query with labels, confidences, route and decidedBy", async () => {
    const file = path.join(cwd, "queries.txt");
    await writeFile(file, "integrate x^2 from 0 to 1\nwhat is the capital of peru\n\nfix this TypeError in my javascript\n");
    const result = await cli(["route", "--file", file, "--json", "--fast-only"]);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { labels: string[]; confidences: Record<string, number>; route: string; decidedBy: string });
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.route)).toEqual(["math", "general", "code"]);
    for (const line of lines) {
      expect(line.decidedBy).toBe("fast");
      expect(Object.keys(line.confidences).sort()).toEqual(["code", "general", "math"]);
      expect(line.labels.length).toBeGreaterThan(0);
    }
  });

  it("should exit 2 without a query", async () => {
    expect((await cli(["route"])).code).toBe(2);
  });
});

describe("tinyllm doctor", () => {
  it("should exit 1 with what to do when there is no provider", async () => {
    const result = await cli(["doctor"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("✓ node");
    expect(result.stdout).toMatch(/✗ provider: .*\n {2}→ start Ollama/);
  });

  it("should load the embedded model and exit 0", async () => {
    const result = await cli(["doctor", "--model-file", modelFile, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toContain("llama");
  });
});

describe("tinyllm init", () => {
  it("should write a starter file and refuse to overwrite it without --force", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-init-"));
    const file = path.join(dir, "tinyllm.yaml");
    expect((await cli(["init", "--path", file])).code).toBe(0);
    const text = await readFile(file, "utf8");
    expect(text).toMatch(/^#/m);
    const again = await cli(["init", "--path", file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("--force");
    expect((await cli(["init", "--path", file, "--force"])).code).toBe(0);
    const check = await cli(["doctor", "--config", file, "--model-file", modelFile]);
    expect(check.stdout).toContain(`✓ config: read ${file}`);
  });
});

describe("tinyllm models", () => {
  it("should fail fast with a clear message when a download cannot reach the network", async () => {
    const result = await cli(["models", "pull", "https://127.0.0.1:9/model.gguf", "--connect-timeout", "5000"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot download .* is not reachable/);
    expect(result.ms).toBeLessThan(60_000);
  });

  it("should list the embedded model", async () => {
    const result = await cli(["models", "list", "--model-file", modelFile, "--json"]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { provider: string; models: { name: string }[] };
    expect(parsed.provider).toBe("llama");
    expect(parsed.models.length).toBeGreaterThan(0);
  });
});
