import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adoptGraphVersion } from "./adopt-graph-version";
import { diffGraphVersions } from "./diff-graph-versions";
import { listGraphVersions, readGraphVersion } from "./list-graph-versions";
import { planRollback, rollbackGraph } from "./rollback-graph";
import { tempGraph, TEST_GRAPH } from "./test-graph";
import { graphVersionsDir } from "./version-store";

const withTier = (text: string, tier: string) => text.replace(/tier: T\d/, `tier: ${tier}`);

/** A graph with versions 1.0.0 (initial), 1.1.0 (calculator) and 1.2.0 (tier T1); 1.2.0 in force. */
async function versionedGraph(): Promise<string> {
  const file = await tempGraph();
  let clock = 1_000;
  const now = () => (clock += 1_000);
  await adoptGraphVersion(file, TEST_GRAPH.replace("tier: T0", "tier: T0\n      tools: [calculator]"), {
    evidence: { strategy: "tool_augmentation", node: "math" },
    now,
  });
  await adoptGraphVersion(file, withTier(await readFile(file, "utf8"), "T1"), { evidence: { strategy: "tier_upgrade", node: "math" }, now });
  return file;
}

const versionOfFile = async (file: string) => /version: (\S+)/.exec(await readFile(file, "utf8"))?.[1];

describe("listGraphVersions", () => {
  it("should give one unversioned entry for a graph with no store", async () => {
    const file = await tempGraph();
    expect(await listGraphVersions(file)).toEqual([
      { version: "1.0.0", createdAtMs: expect.any(Number), sha256: expect.any(String), origin: "unversioned", inForce: true },
    ]);
  });

  it("should list the versions newest first with the one in force marked", async () => {
    const file = await versionedGraph();
    const versions = await listGraphVersions(file);
    expect(versions.map((v) => [v.version, v.origin, v.inForce, v.evidence?.strategy])).toEqual([
      ["1.2.0", "adopted", true, "tier_upgrade"],
      ["1.1.0", "adopted", false, "tool_augmentation"],
      ["1.0.0", "initial", false, undefined],
    ]);
    expect(versions[0]).toMatchObject({ createdAtMs: 3_000, parent: "1.1.0", path: join(graphVersionsDir(file), "1.2.0.yaml") });
  });

  it("should put a hand edit made since the last version first, as unrecorded and in force", async () => {
    const file = await versionedGraph();
    await writeFile(file, withTier(await readFile(file, "utf8"), "T3"));
    const versions = await listGraphVersions(file);
    expect(versions.map((v) => [v.version, v.origin, v.inForce])).toEqual([
      ["1.2.0", "unrecorded", true],
      ["1.2.0", "adopted", false],
      ["1.1.0", "adopted", false],
      ["1.0.0", "initial", false],
    ]);
  });
});

describe("diffGraphVersions", () => {
  it("should give the unified diff and what changed, node by node", async () => {
    const file = await versionedGraph();
    const diff = await diffGraphVersions(file, "1.0.0", "1.1.0");
    expect(diff.identical).toBe(false);
    expect(diff.unified).toContain("--- g.yaml@1.0.0");
    expect(diff.unified).toContain("+++ g.yaml@1.1.0");
    expect(diff.unified).toContain("-version: 1.0.0 # raised by each adoption");
    expect(diff.unified).toContain("+      tools: [calculator]");
    expect(diff.summary).toEqual({
      versions: { from: "1.0.0", to: "1.1.0" },
      nodesAdded: [],
      nodesRemoved: [],
      nodesChanged: [{ id: "math", keys: ["config.tools"] }],
      edgesAdded: [],
      edgesRemoved: [],
      fieldsChanged: [],
    });
    const back = await diffGraphVersions(file, "1.2.0", "1.0.0");
    expect(back.summary?.nodesChanged).toEqual([{ id: "math", keys: ["config.tier", "config.tools"] }]);
    expect((await diffGraphVersions(file, "1.2.0", "current")).identical).toBe(true);
  });

  it("should name added and removed nodes and edges and other changed fields", async () => {
    const file = await tempGraph();
    const split = TEST_GRAPH.replace("exits: [done]", "description: split\nexits: [done]")
      .replace("  - id: math\n", "  - id: algebra\n")
      .replace("{ from: start, to: math }", "{ from: start, to: algebra }")
      .replace("{ from: math, to: done }", "{ from: algebra, to: done, on: error }");
    await adoptGraphVersion(file, split, { evidence: { strategy: "split", node: "math" } });
    const diff = await diffGraphVersions(file, "1.0.0", "1.1.0");
    expect(diff.summary).toMatchObject({
      nodesAdded: ["algebra"],
      nodesRemoved: ["math"],
      edgesAdded: [
        { from: "start", to: "algebra" },
        { from: "algebra", to: "done", on: "error" },
      ],
      edgesRemoved: [
        { from: "start", to: "math" },
        { from: "math", to: "done" },
      ],
      fieldsChanged: ["description"],
    });
  });

  it("should fail with VERSION_NOT_FOUND listing the known versions", async () => {
    const file = await versionedGraph();
    await expect(diffGraphVersions(file, "1.0.0", "9.9.9")).rejects.toMatchObject({
      code: "VERSION_NOT_FOUND",
      message: expect.stringContaining("no version 9.9.9"),
      hint: expect.stringContaining("1.0.0, 1.1.0, 1.2.0"),
    });
    const plain = await tempGraph();
    expect((await diffGraphVersions(plain, "1.0.0", "current")).identical).toBe(true);
    await expect(readGraphVersion(plain, "1.1.0")).rejects.toMatchObject({ code: "VERSION_NOT_FOUND", hint: expect.stringContaining("1.0.0") });
  });
});

describe("rollbackGraph", () => {
  it("should go back one version at a time, then forward with to, never deleting versions", async () => {
    const file = await versionedGraph();
    expect(await planRollback(file)).toEqual({ file, from: "1.2.0", to: "1.1.0", changed: true });
    expect(await versionOfFile(file)).toBe("1.2.0");
    expect(await rollbackGraph(file)).toMatchObject({ from: "1.2.0", to: "1.1.0", changed: true });
    expect(await readFile(file, "utf8")).toBe(await readGraphVersion(file, "1.1.0"));
    expect(await rollbackGraph(file)).toMatchObject({ from: "1.1.0", to: "1.0.0" });
    expect(await readFile(file, "utf8")).toBe(TEST_GRAPH);
    await expect(rollbackGraph(file)).rejects.toMatchObject({ code: "VERSION_NOT_FOUND", message: expect.stringContaining("no version before 1.0.0") });

    expect(await rollbackGraph(file, { to: "1.2.0" })).toMatchObject({ from: "1.0.0", to: "1.2.0" });
    expect(await versionOfFile(file)).toBe("1.2.0");
    expect(await rollbackGraph(file, { to: "v1.2.0" })).toMatchObject({ changed: false });
    const versions = await listGraphVersions(file);
    expect(versions.map((v) => [v.version, v.inForce])).toEqual([
      ["1.2.0", true],
      ["1.1.0", false],
      ["1.0.0", false],
    ]);
    const index = JSON.parse(await readFile(join(graphVersionsDir(file), "index.json"), "utf8")) as { history: { action: string; version: string }[] };
    expect(index.history.filter((h) => h.action === "rollback").map((h) => h.version)).toEqual(["1.1.0", "1.0.0", "1.2.0"]);
  });

  it("should number a change adopted after a rollback past every version, and roll it back to its parent", async () => {
    const file = await versionedGraph();
    await rollbackGraph(file, { to: "1.0.0" });
    const adopted = await adoptGraphVersion(file, withTier(TEST_GRAPH, "T2"), { evidence: { node: "math" } });
    expect(adopted).toMatchObject({ version: "1.3.0", previousVersion: "1.0.0" });
    expect(await rollbackGraph(file)).toMatchObject({ from: "1.3.0", to: "1.0.0" });
  });

  it("should fail with VERSION_NOT_FOUND for an unknown version and change nothing", async () => {
    const file = await versionedGraph();
    const before = await readFile(file, "utf8");
    await expect(rollbackGraph(file, { to: "0.9.0" })).rejects.toMatchObject({
      code: "VERSION_NOT_FOUND",
      hint: expect.stringContaining("1.0.0, 1.1.0, 1.2.0"),
    });
    expect(await readFile(file, "utf8")).toBe(before);
    const plain = await tempGraph();
    await expect(rollbackGraph(plain)).rejects.toMatchObject({ code: "VERSION_NOT_FOUND", message: expect.stringContaining("no stored versions") });
  });

  it("should store a hand edit before rolling back, so it can be rolled forward to", async () => {
    const file = await versionedGraph();
    const edited = withTier(await readFile(file, "utf8"), "T3");
    await writeFile(file, edited);
    expect(await planRollback(file)).toMatchObject({ from: "1.2.0 (edited, not stored yet)", to: "1.2.0" });
    const result = await rollbackGraph(file);
    expect(result).toMatchObject({ from: expect.stringMatching(/^1\.2\.0\+edit\./), to: "1.2.0" });
    expect(await readGraphVersion(file, result.from)).toBe(edited);
    await rollbackGraph(file, { to: result.from });
    expect(await readFile(file, "utf8")).toBe(edited);
  });

  it("should fail with GRAPH_CHANGED_ON_DISK when the file is not the one expected", async () => {
    const file = await versionedGraph();
    await expect(rollbackGraph(file, { expectedSha256: "0".repeat(64) })).rejects.toMatchObject({ code: "GRAPH_CHANGED_ON_DISK" });
  });
});

describe("a damaged version store", () => {
  it("should fail with VERSION_STORE_FAILED and a hint when index.json is not JSON or not an index", async () => {
    const file = await versionedGraph();
    const index = join(graphVersionsDir(file), "index.json");
    await writeFile(index, "{ not json");
    await expect(listGraphVersions(file)).rejects.toMatchObject({
      code: "VERSION_STORE_FAILED",
      message: expect.stringContaining("not valid JSON"),
      hint: expect.stringContaining("index.json"),
    });
    await writeFile(index, JSON.stringify({ format: 1, graph: "g.yaml", inForce: "1.0.0", versions: [] }));
    await expect(rollbackGraph(file)).rejects.toMatchObject({ code: "VERSION_STORE_FAILED", message: expect.stringContaining("versions") });
    await rm(index);
    await expect(diffGraphVersions(file, "1.0.0", "1.1.0")).rejects.toMatchObject({
      code: "VERSION_STORE_FAILED",
      message: expect.stringContaining("missing"),
    });
  });

  it("should refuse a stored version whose text was changed after it was stored", async () => {
    const file = await versionedGraph();
    await writeFile(join(graphVersionsDir(file), "1.0.0.yaml"), "id: tampered\n");
    await expect(rollbackGraph(file, { to: "1.0.0" })).rejects.toMatchObject({
      code: "VERSION_STORE_FAILED",
      message: expect.stringContaining("changed after it was stored"),
    });
    expect(await versionOfFile(file)).toBe("1.2.0");
  });

  it("should fail with GRAPH_NOT_FOUND when the graph file is missing", async () => {
    const file = await versionedGraph();
    await rm(file);
    await expect(listGraphVersions(file)).rejects.toMatchObject({ code: "GRAPH_NOT_FOUND" });
    await expect(rollbackGraph(file)).rejects.toMatchObject({ code: "GRAPH_NOT_FOUND" });
    expect(await readdir(graphVersionsDir(file))).toContain("index.json");
  });
});
