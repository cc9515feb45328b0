import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { adoptGraphVersion, graphVersionsDir } from "@tinyllm/expansion";
import { describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 30_000, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

const GRAPH = `# A specialist without tools.
id: calc
version: 1.0.0
entry: start
exits: [done]
nodes:
  - id: start
    kind: entry
  - id: math
    kind: model
    config:
      prompt: math
  - id: done
    kind: exit
edges:
  - { from: start, to: math }
  - { from: math, to: done }
`;

/** A graph file with 1.0.0 (initial) and 1.1.0 (the calculator added to math) in force. */
async function versionedGraph(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-versions-"));
  const file = path.join(dir, "g.yaml");
  await writeFile(file, GRAPH);
  await adoptGraphVersion(file, GRAPH.replace("prompt: math", "prompt: math\n      tools: [calculator]"), {
    evidence: { strategy: "tool_augmentation", node: "math", summary: "math: tools + calculator", pValue: 0.0001 },
  });
  return file;
}

describe("tinyllm graph versions", () => {
  it("should print a table of the versions, newest first, the one in force marked", async () => {
    const file = await versionedGraph();
    const result = await cli(["graph", "versions", file]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\s+version\s+date\s+origin\s+strategy\s+node\s+summary$/);
    expect(lines[1]).toMatch(/^\*\s+1\.1\.0\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+adopted\s+tool_augmentation\s+math\s+math: tools \+ calculator$/);
    expect(lines[2]).toMatch(/^\s+1\.0\.0\s+\S+ \S+\s+initial\s+-\s+-\s+-$/);
  });

  it("should print the versions and their evidence as JSON", async () => {
    const file = await versionedGraph();
    const result = await cli(["graph", "versions", file, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { store: string; versions: { version: string; inForce: boolean; evidence?: { pValue?: number } }[] };
    expect(report.store).toBe(graphVersionsDir(file));
    expect(report.versions.map((v) => [v.version, v.inForce])).toEqual([
      ["1.1.0", true],
      ["1.0.0", false],
    ]);
    expect(report.versions[0]?.evidence?.pValue).toBe(0.0001);
  });
});

describe("tinyllm graph diff", () => {
  it("should print the unified diff on stdout and what changed on stderr", async () => {
    const file = await versionedGraph();
    const result = await cli(["graph", "diff", file, "1.0.0", "1.1.0"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--- g.yaml@1.0.0");
    expect(result.stdout).toContain("-version: 1.0.0");
    expect(result.stdout).toContain("+version: 1.1.0");
    expect(result.stdout).toContain("+      tools: [calculator]");
    expect(result.stdout).not.toContain("\x1b[");
    expect(result.stderr).toContain("node changed: math (config.tools)");
  });

  it("should print the structural summary with --json", async () => {
    const file = await versionedGraph();
    const result = await cli(["graph", "diff", file, "1.0.0", "current", "--json"]);
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout) as { summary: unknown; unified: string };
    expect(diff.summary).toMatchObject({ nodesChanged: [{ id: "math", keys: ["config.tools"] }], nodesAdded: [], nodesRemoved: [] });
    expect(diff.unified).toContain("+      tools: [calculator]");
  });

  it("should exit 2 with the known versions for a version that does not exist", async () => {
    const file = await versionedGraph();
    const result = await cli(["graph", "diff", file, "1.0.0", "7.0.0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("has no version 7.0.0");
    expect(result.stderr).toContain("→ known versions: 1.0.0, 1.1.0");
    noStack(result.stderr);
  });
});

describe("tinyllm graph rollback", () => {
  it("should change nothing without --yes, say what it would do, and exit 2", async () => {
    const file = await versionedGraph();
    const before = await readFile(file, "utf8");
    const result = await cli(["graph", "rollback", file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("would roll");
    expect(result.stdout).toContain("back from 1.1.0 to 1.0.0");
    expect(result.stderr).toContain("--yes");
    const json = await cli(["graph", "rollback", file, "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      rolledBack: false,
      from: "1.1.0",
      to: "1.0.0",
      error: { message: expect.stringContaining("needs --yes") },
    });
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("should restore the first version with --yes and roll forward again with --to", async () => {
    const file = await versionedGraph();
    const adopted = await readFile(file, "utf8");
    const back = await cli(["graph", "rollback", file, "--yes"]);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain("back from 1.1.0 to 1.0.0");
    expect(await readFile(file, "utf8")).toBe(GRAPH);
    const listed = await cli(["graph", "versions", file, "--json"]);
    expect((JSON.parse(listed.stdout) as { versions: { version: string; inForce: boolean }[] }).versions.find((v) => v.inForce)?.version).toBe("1.0.0");

    const forward = await cli(["graph", "rollback", file, "--to", "1.1.0", "--yes", "--json"]);
    expect(forward.code).toBe(0);
    expect(JSON.parse(forward.stdout)).toEqual({ ok: true, file, from: "1.0.0", to: "1.1.0", rolledBack: true });
    expect(await readFile(file, "utf8")).toBe(adopted);
  });

  it("should explain, without a stack, a graph with no versions, a missing file and a damaged store", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-versions-"));
    const plain = path.join(dir, "plain.yaml");
    await writeFile(plain, GRAPH);
    const none = await cli(["graph", "rollback", plain, "--yes"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("has no stored versions to roll back to");
    noStack(none.stderr);

    const missing = await cli(["graph", "versions", path.join(dir, "nope.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");

    const file = await versionedGraph();
    await writeFile(path.join(graphVersionsDir(file), "index.json"), "{");
    const damaged = await cli(["graph", "rollback", file, "--yes", "--json"]);
    expect(damaged.code).toBe(1);
    expect(JSON.parse(damaged.stdout)).toMatchObject({ ok: false, error: { code: "VERSION_STORE_FAILED", hint: expect.stringContaining("index.json") } });
  });
});
