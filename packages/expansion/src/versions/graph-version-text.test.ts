import { parseDocument, parse } from "yaml";
import { describe, expect, it } from "vitest";
import { graphTextWithVersion, versionOf } from "./graph-version-text";
import { TEST_GRAPH } from "./test-graph";

describe("graphTextWithVersion", () => {
  it("should change only the version's characters of a text", () => {
    const text = graphTextWithVersion(TEST_GRAPH, "1.1.0");
    expect(text).toBe(TEST_GRAPH.replace("version: 1.0.0 #", "version: 1.1.0 #"));
  });

  it("should keep the quoting of the version, and quote what would not read back as a string", () => {
    expect(graphTextWithVersion(`id: x\nversion: "1.0.0"\n`, "1.1.0")).toBe(`id: x\nversion: "1.1.0"\n`);
    expect(graphTextWithVersion(`id: x\nversion: '1'\n`, "1.1.0")).toBe(`id: x\nversion: '1.1.0'\n`);
    expect(graphTextWithVersion(`id: x\nversion: 1\n`, "2.0")).toBe(`id: x\nversion: "2.0"\n`);
    expect(graphTextWithVersion(`{"id": "x", "version": "1.0.0"}\n`, "1.1.0")).toBe(`{"id": "x", "version": "1.1.0"}\n`);
  });

  it("should merge a plain object into the original text, keeping the comments of what did not change", () => {
    const graph = parse(TEST_GRAPH) as { nodes: { id: string; config?: Record<string, unknown> }[] };
    graph.nodes[1]!.config = { ...graph.nodes[1]!.config, tools: ["calculator"] };
    const text = graphTextWithVersion(graph, "1.1.0", TEST_GRAPH);
    expect(text).toContain("# A test graph: one specialist.");
    expect(text).toContain("# The specialist that cannot compute.");
    expect(text).toContain("version: 1.1.0 # raised by each adoption");
    expect(text).toContain("  - { from: start, to: math }");
    expect(parse(text)).toEqual({ ...graph, version: "1.1.0" });
  });

  it("should add new nodes and edges, flow style where the siblings are, and drop removed ones", () => {
    const graph = parse(TEST_GRAPH) as { nodes: { id: string }[]; edges: { from: string; to: string }[] };
    graph.nodes.splice(1, 1, { id: "math_router", kind: "router" } as { id: string });
    graph.edges = [
      { from: "start", to: "math_router" },
      { from: "math_router", to: "done" },
    ];
    const text = graphTextWithVersion(graph, "1.1.0", TEST_GRAPH);
    expect(text).not.toContain("The specialist that cannot compute");
    expect(text).toContain("  - { from: start, to: math_router }");
    expect(parse(text)).toEqual({ ...graph, version: "1.1.0" });
  });

  it("should print a Document with its comments, without changing the caller's", () => {
    const doc = parseDocument(TEST_GRAPH);
    doc.setIn(["nodes", 1, "config", "tier"], "T1");
    const text = graphTextWithVersion(doc, "1.1.0");
    expect(text).toContain("# The specialist that cannot compute.");
    expect(versionOf(text)).toBe("1.1.0");
    expect(doc.get("version")).toBe("1.0.0");
  });
});
