import { lstat, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getDefaultRegistry, TinyLLMError } from "@tinyllm/core";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { adoptGraphVersion } from "./adopt-graph-version";
import { lastAdoptedAtMs } from "./last-adopted-at";
import { tempGraph, TEST_GRAPH } from "./test-graph";
import { graphFileSha256, graphVersionsDir, sha256 } from "./version-store";

type Graph = { version: string; nodes: { id: string; config?: Record<string, unknown> }[] };

/** The test graph with the calculator added to `math`. */
function withCalculator(text = TEST_GRAPH): Graph {
  const graph = parse(text) as Graph;
  graph.nodes[1]!.config = { ...graph.nodes[1]!.config, tools: ["calculator"] };
  return graph;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(TinyLLMError.isInstance(error), String(error)).toBe(true);
  return (error as TinyLLMError).code;
}

describe("adoptGraphVersion", () => {
  it("should store the initial and the new version, then replace the graph file with the new one", async () => {
    const file = await tempGraph();
    const adopted = await adoptGraphVersion(file, withCalculator(), {
      evidence: { strategy: "tool_augmentation", node: "math", pValue: 0.001 },
      now: () => 1_000,
    });
    expect(adopted).toMatchObject({ version: "1.1.0", previousVersion: "1.0.0", file, createdAtMs: 1_000 });
    const text = await readFile(file, "utf8");
    expect(parse(text)).toMatchObject({ version: "1.1.0", nodes: [{}, { id: "math", config: { tools: ["calculator"] } }, {}] });
    expect(text).toContain("# The specialist that cannot compute.");
    expect(adopted.sha256).toBe(sha256(text));

    const dir = graphVersionsDir(file);
    expect(dir).toBe(join(file, "..", "g.versions"));
    expect((await readdir(dir)).sort()).toEqual(["1.0.0.yaml", "1.1.0.yaml", "index.json"]);
    expect(await readFile(join(dir, "1.0.0.yaml"), "utf8")).toBe(TEST_GRAPH);
    expect(await readFile(adopted.storedAt, "utf8")).toBe(text);
    const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as Record<string, unknown>;
    expect(index).toEqual({
      format: 1,
      graph: "g.yaml",
      inForce: "1.1.0",
      versions: [
        { version: "1.0.0", file: "1.0.0.yaml", createdAtMs: 1_000, sha256: sha256(TEST_GRAPH), origin: "initial" },
        {
          version: "1.1.0",
          file: "1.1.0.yaml",
          createdAtMs: 1_000,
          sha256: sha256(text),
          origin: "adopted",
          parent: "1.0.0",
          evidence: { strategy: "tool_augmentation", node: "math", pValue: 0.001 },
        },
      ],
      history: [
        { atMs: 1_000, action: "record", version: "1.0.0" },
        { atMs: 1_000, action: "adopt", version: "1.1.0", from: "1.0.0" },
      ],
    });
  });

  it("should take YAML text and change only its version", async () => {
    const file = await tempGraph();
    const next = TEST_GRAPH.replace("tier: T0", "tier: T1");
    await adoptGraphVersion(file, next, { evidence: { strategy: "tier_upgrade", node: "math" } });
    expect(await readFile(file, "utf8")).toBe(next.replace("version: 1.0.0", "version: 1.1.0"));
  });

  it("should fail with GRAPH_CHANGED_ON_DISK when the file no longer has the expected hash, and change nothing", async () => {
    const file = await tempGraph();
    const expectedSha256 = await graphFileSha256(file);
    await writeFile(file, TEST_GRAPH.replace("tier: T0", "tier: T2"));
    const error = await adoptGraphVersion(file, withCalculator(), { evidence: {}, expectedSha256 }).catch((e: unknown) => e as TinyLLMError);
    expect(error).toMatchObject({
      code: "GRAPH_CHANGED_ON_DISK",
      message: expect.stringContaining("the graph changed on disk since the analysis; run analyze again"),
    });
    expect(await readFile(file, "utf8")).toContain("tier: T2");
    expect(await readdir(join(file, ".."))).toEqual(["g.yaml"]);
  });

  it("should refuse an invalid graph with GRAPH_INVALID and leave no store behind", async () => {
    const file = await tempGraph();
    const broken = withCalculator() as Graph & { edges: unknown[] };
    broken.edges.push({ from: "math", to: "nowhere" });
    const error = await adoptGraphVersion(file, broken, { evidence: {} }).catch((e: unknown) => e as TinyLLMError);
    expect(error).toMatchObject({ code: "GRAPH_INVALID", message: expect.stringContaining("'nowhere'") });
    expect(await readFile(file, "utf8")).toBe(TEST_GRAPH);
    expect(await readdir(join(file, ".."))).toEqual(["g.yaml"]);
    expect(await codeOf(adoptGraphVersion(file, "id: [", { evidence: {} }))).toBe("GRAPH_INVALID");
  });

  it("should run core's whole check with a registry, and the caller's validate", async () => {
    const file = await tempGraph();
    // `model` is not a built-in kind: with the built-in registry alone, the graph is invalid.
    expect(await codeOf(adoptGraphVersion(file, withCalculator(), { evidence: {}, registry: getDefaultRegistry() }))).toBe("GRAPH_INVALID");
    const seen: string[] = [];
    const error = await adoptGraphVersion(file, withCalculator(), {
      evidence: {},
      validate: (text) => {
        seen.push(text);
        return [{ severity: "error", code: "unknown-tool", message: "no tool 'calculator' here", path: ["nodes", 1] }];
      },
    }).catch((e: unknown) => e as TinyLLMError);
    expect(error).toMatchObject({ code: "GRAPH_INVALID", message: expect.stringContaining("no tool 'calculator' here") });
    expect(seen[0]).toContain("version: 1.1.0");
    const warned = await adoptGraphVersion(file, withCalculator(), {
      evidence: {},
      validate: () => [{ severity: "warning", code: "w", message: "just a warning", path: [] }],
    });
    expect(warned.version).toBe("1.1.0");
  });

  it("should fail with GRAPH_NOT_FOUND for a missing file", async () => {
    const file = await tempGraph();
    await rm(file);
    expect(await codeOf(adoptGraphVersion(file, withCalculator(), { evidence: {} }))).toBe("GRAPH_NOT_FOUND");
  });

  it("should let one of two concurrent adoptions win and fail the other with GRAPH_CHANGED_ON_DISK", async () => {
    const file = await tempGraph();
    const results = await Promise.allSettled([
      adoptGraphVersion(file, withCalculator(), { evidence: { node: "math" } }),
      adoptGraphVersion(file, TEST_GRAPH.replace("tier: T0", "tier: T1"), { evidence: { node: "math" } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected?.reason).toMatchObject({ code: "GRAPH_CHANGED_ON_DISK" });
    const index = JSON.parse(await readFile(join(graphVersionsDir(file), "index.json"), "utf8")) as { versions: unknown[] };
    expect(index.versions).toHaveLength(2);
  });

  it("should store a hand edit made since the last version before adopting, so it is not lost", async () => {
    const file = await tempGraph();
    await adoptGraphVersion(file, withCalculator(), { evidence: { node: "math" } });
    const edited = (await readFile(file, "utf8")).replace("tier: T0", "tier: T1");
    await writeFile(file, edited);
    const adopted = await adoptGraphVersion(file, withCalculator(edited), { evidence: { node: "math" } });
    expect(adopted).toMatchObject({ version: "1.2.0", previousVersion: expect.stringMatching(/^1\.1\.0\+edit\.[0-9a-f]{8}$/) });
    const index = JSON.parse(await readFile(join(graphVersionsDir(file), "index.json"), "utf8")) as { versions: { origin: string; file: string }[] };
    expect(index.versions.map((v) => v.origin)).toEqual(["initial", "adopted", "edited", "adopted"]);
    expect(await readFile(join(graphVersionsDir(file), index.versions[2]!.file), "utf8")).toBe(edited);
  });

  it("should give, per node, when a change to it was last adopted", async () => {
    const file = await tempGraph();
    expect(await lastAdoptedAtMs(file)).toEqual(new Map());
    await adoptGraphVersion(file, withCalculator(), { evidence: { node: "math" }, now: () => 5_000 });
    const next = (await readFile(file, "utf8")).replace("tier: T0", "tier: T1");
    await adoptGraphVersion(file, next, { evidence: { nodes: ["math", "start"] }, now: () => 9_000 });
    expect(await lastAdoptedAtMs(file)).toEqual(
      new Map([
        ["math", 9_000],
        ["start", 9_000],
      ]),
    );
  });
});

describe("adoptGraphVersion on a symbolic link", () => {
  it("should replace the file the link points to and keep the link", async () => {
    const target = await tempGraph();
    const link = join(target, "..", "link.yaml");
    await symlink(target, link);
    await adoptGraphVersion(link, TEST_GRAPH.replace("tier: T0", "tier: T1"), { evidence: {} });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, "utf8")).toContain("tier: T1");
  });
});
