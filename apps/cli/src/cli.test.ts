import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
const graphs = path.resolve(here, "../../../graphs");

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-"));
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("tinyllm graph validate", () => {
  it("should accept every example graph", async () => {
    const files = ["chain", "fanout", "loop", "shout", "subgraph"].map((g) => path.join(graphs, `${g}.yaml`));
    const result = await cli(["graph", "validate", ...files]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("5 graphs valid");
  });

  it("should print every problem with file:line:col and exit 1", async () => {
    const file = await tempFile(
      "bad.yaml",
      "id: x\nversion: 1\nentry: a\nexits: [b]\nnodes:\n  - { id: a, kind: entri }\n  - { id: b, kind: exit }\nedges:\n  - { from: a, to: c }\n",
    );
    const result = await cli(["graph", "validate", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:6:`);
    expect(result.stderr).toContain("did you mean 'entry'");
    expect(result.stderr).toContain(`${file}:9:`);
    noStack(result.stderr);
  });

  it("should report machine-readable problems with --json", async () => {
    const file = await tempFile(
      "cond.yaml",
      "id: x\nversion: 1\nentry: a\nexits: [b]\nnodes:\n  - { id: a, kind: entry }\n  - { id: b, kind: exit }\nedges:\n  - { from: a, to: b, condition: 'x >' }\n",
    );
    const result = await cli(["graph", "validate", file, "--json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; files: { problems: { code: string; line: number }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.files[0]?.problems.map((p) => p.code)).toContain("invalid-condition");
    expect(report.files[0]?.problems[0]?.line).toBe(9);
  });

  it.each([
    ["not YAML", "{{{ ]]] :::"],
    ["a 10 MB file", `# ${"x".repeat(10 * 1024 * 1024)}\n`],
    ["a list", "- a\n- b\n"],
    ["binary junk", "\u0000\u0001\u0002\uFFFD"],
  ])("should explain %s without a stack trace", async (_name, content) => {
    const file = await tempFile("junk.yaml", content);
    const result = await cli(["graph", "validate", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: /);
    noStack(result.stderr);
  });

  it("should say when a file does not exist", async () => {
    const result = await cli(["graph", "validate", "/no/such/graph.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("does not exist");
  });
});

describe("tinyllm graph show", () => {
  it("should print Mermaid, a tree and JSON", async () => {
    const file = path.join(graphs, "fanout.yaml");
    const mermaid = await cli(["graph", "show", file, "--format", "mermaid"]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.startsWith("flowchart TD\n")).toBe(true);
    expect(mermaid.stdout).toMatch(/n1 --> n2/);
    const tree = await cli(["graph", "show", file]);
    expect(tree.stdout).toContain("└─ start [entry]");
    const json = await cli(["graph", "show", file, "--json"]);
    expect((JSON.parse(json.stdout) as { id: string }).id).toBe("fanout");
  });

  it("should exit 2 on an unknown format", async () => {
    const result = await cli(["graph", "show", path.join(graphs, "chain.yaml"), "--format", "svg"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("svg");
  });
});

describe("tinyllm graph run", () => {
  it("should run a graph and print its output", async () => {
    const result = await cli(["graph", "run", path.join(graphs, "subgraph.yaml"), "--input", "hi there"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("[HI THERE!]");
  });

  it("should print the result and trace with --json", async () => {
    const result = await cli(["graph", "run", path.join(graphs, "loop.yaml"), "--state", '{"goal": 4}', "--json"]);
    const parsed = JSON.parse(result.stdout) as { status: string; output: string; trace: { spans: unknown[] } };
    expect(parsed.status).toBe("ok");
    expect(parsed.output).toBe("counted to 4: ****");
    expect(parsed.trace.spans.length).toBeGreaterThan(5);
  });

  it("should take the input from --state when --input is not given, and refuse it given twice", async () => {
    const fromState = await cli(["graph", "run", path.join(graphs, "shout.yaml"), "--state", '{"input": "from state"}']);
    expect(fromState.code).toBe(0);
    expect(fromState.stdout.trim()).toBe("FROM STATE!");
    const twice = await cli(["graph", "run", path.join(graphs, "shout.yaml"), "--state", '{"input": "a"}', "--input", "b"]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("the input is given twice");
  });

  it("should reject a bad --state as a usage error", async () => {
    const result = await cli(["graph", "run", path.join(graphs, "loop.yaml"), "--state", "[1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--state must be a JSON object");
  });
});

describe("tinyllm", () => {
  it("should print help and exit 0", async () => {
    const result = await cli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("graph");
  });

  it("should exit 2 on usage errors", async () => {
    expect((await cli(["nope"])).code).toBe(2);
    expect((await cli(["graph", "validate"])).code).toBe(2);
    expect((await cli(["graph", "show", "x.yaml", "--bogus"])).code).toBe(2);
  });
});
