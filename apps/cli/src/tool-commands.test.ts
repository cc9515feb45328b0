import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveTestModel } from "@tinyllm/models/testing";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let dir: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9" };
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function script(name: string, code: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, code);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-tool-cli-"));
});

describe("tinyllm tool calc", () => {
  it("should print the value to at least six decimals", async () => {
    const result = await cli(["tool", "calc", "1000*(1+0.05)^10"]);
    expect(result.code).toBe(0);
    expect(Number(result.stdout.trim()).toFixed(6)).toBe("1628.894627");
  });

  it("should refuse a hostile expression with a clear error and exit 1", async () => {
    const result = await cli(["tool", "calc", "zeros(20000, 20000)"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: /);
    const json = await cli(["tool", "calc", "createUnit('foo', '1 m')", "--json"]);
    expect((JSON.parse(json.stdout) as { ok: boolean; error: { code: string } }).error.code).toBe("CALC_FORBIDDEN");
  });
});

describe("tinyllm tool exec", () => {
  it("should print what the code printed", async () => {
    const result = await cli(["tool", "exec", await script("ok.js", "for (let i = 0; i < 3; i++) console.log('line', i);")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("line 0\nline 1\nline 2\n");
  });

  // The memory bomb gets a generous CPU limit so that, on a loaded machine, memory runs out first.
  it.each([
    ["an endless loop", "while (true) {}", "CODE_TIMEOUT", "300"],
    ["a memory bomb", "const a = []; for (;;) a.push(new Array(1e6).fill(1));", "CODE_MEMORY", "20000"],
    ["a host escape", "this.constructor.constructor('return process')().exit(3)", "CODE_RUNTIME", "300"],
    ["a throw", "const x = 1;\nthrow new Error('nope');", "CODE_RUNTIME", "300"],
  ])("should stop %s within its limits and exit 1 with the reason", async (_name, code, expected, timeoutMs) => {
    const result = await cli(["tool", "exec", await script("bad.js", code), "--timeout", timeoutMs, "--memory", "32"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(expected);
  });

  it("should report the line of an error", async () => {
    const result = await cli(["tool", "exec", await script("line.js", "const a = 1;\nconst b = 2;\nnull.x;\n"), "--json"]);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; error: { line: number } };
    expect(parsed.ok).toBe(false);
    expect(parsed.error.line).toBe(3);
  });
});

describe("tinyllm tool search", () => {
  it("should find the passage in a folder of markdown", async () => {
    const docs = path.join(dir, "docs");
    await mkdir(docs, { recursive: true });
    await writeFile(
      path.join(docs, "retry.md"),
      "# Retries\n\nRetries use exponential backoff with jitter, capped at ten seconds.\n\n# Logging\n\nLogs go to stderr.\n",
    );
    await writeFile(path.join(docs, "other.txt"), "Bread needs flour, water and salt.\n");
    const result = await cli(["tool", "search", "exponential backoff", "--dir", docs, "--json"]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; output: { results: { title: string; source: string }[] } };
    expect(parsed.output.results[0]?.source).toMatch(/^retry\.md#L\d+$/);
    expect((await cli(["tool", "search", "x"])).code).toBe(2);
  });
});

describe("tinyllm run with tools", () => {
  it("should answer 'What is 2+2?' with the calculator on any model, the calculator in the trace", async () => {
    const model = (await resolveTestModel()).path;
    const result = await cli(["run", "What is 2+2?", "--model-file", model, "--trace"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("4");
    expect(result.stderr).toMatch(/tool calculator .*toolFirst=true/);
  });
});

describe("tinyllm run with search configured", () => {
  it("should offer the general specialist the search tool only when a search source is set", async () => {
    const model = (await resolveTestModel()).path;
    const docs = path.join(dir, "kb");
    await mkdir(docs, { recursive: true });
    await writeFile(path.join(docs, "paris.md"), "# France\n\nThe capital of France is Paris.\n");
    const config = path.join(dir, "with-search.yaml");
    await writeFile(config, `search:\n  dir: ${docs}\n`);
    const withSearch = await cli(["run", "What is the capital of France?", "--model-file", model, "--config", config, "--trace"]);
    expect(withSearch.code).toBe(0);
    expect(withSearch.stderr).toMatch(/prompt=general .*toolMode=(json|native)/);
    const without = await cli(["run", "What is the capital of France?", "--model-file", model, "--trace"]);
    expect(without.code).toBe(0);
    expect(without.stderr).toMatch(/prompt=general/);
    expect(without.stderr).not.toMatch(/toolMode=/);
  });
});
