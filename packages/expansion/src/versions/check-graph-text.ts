import { EdgeDefinitionSchema, GraphEnvelopeSchema, loadGraph, NodeDefinitionSchema, type GraphProblem, type NodeRegistry } from "@tinyllm/core";
import { LineCounter, parseDocument } from "yaml";

/**
 * A check of a new graph's text: returns its problems (errors block adoption, warnings do not).
 * For example the runtime's full check, with every node kind known.
 */
export type GraphTextValidator = (text: string, file: string) => Promise<readonly GraphProblem[]> | readonly GraphProblem[];

/** Options of {@link checkGraphText}. @internal */
export interface CheckGraphTextOptions {
  file: string;
  /** Node kinds the graph uses: with them, the text gets core's whole check (`loadGraph`). */
  registry?: NodeRegistry;
  validate?: GraphTextValidator;
}

/**
 * The errors of a graph text. With a registry, core's `loadGraph`; without, the structure
 * alone: YAML syntax, the top-level schema, each node and edge against core's schemas, unique
 * node ids, and entry, exits and edges naming nodes that exist. Then the caller's `validate`.
 * @internal
 */
export async function checkGraphText(text: string, options: CheckGraphTextOptions): Promise<GraphProblem[]> {
  const { file } = options;
  const problems: GraphProblem[] = [];
  if (options.registry) {
    const loaded = await loadGraph(text, { file, registry: options.registry });
    if (!loaded.ok) problems.push(...loaded.problems);
  } else {
    problems.push(...structureProblems(text, file));
  }
  if (problems.length === 0 && options.validate) problems.push(...(await options.validate(text, file)));
  return problems.filter((problem) => problem.severity === "error");
}

function structureProblems(text: string, file: string): GraphProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, strict: true, prettyErrors: false });
  const problem = (code: string, message: string, path: (string | number)[], extra: Partial<GraphProblem> = {}): GraphProblem => ({
    severity: "error",
    code,
    message,
    hint: "a strategy must write a valid graph: fix the change that produced it",
    file,
    path,
    ...extra,
  });
  if (doc.errors.length > 0) {
    return doc.errors.map((error) => {
      const pos = error.linePos?.[0];
      return problem("yaml-syntax", `YAML: ${error.message.split("\n")[0]}`, [], pos ? { line: pos.line, column: pos.col } : {});
    });
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const envelope = GraphEnvelopeSchema.safeParse(data);
  if (!envelope.success) {
    return envelope.error.issues.map((issue) =>
      problem(
        "schema",
        issue.message,
        issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      ),
    );
  }
  const problems: GraphProblem[] = [];
  const ids = new Set<string>();
  envelope.data.nodes.forEach((node, index) => {
    const parsed = NodeDefinitionSchema.safeParse(node);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(problem("node-schema", issue.message, ["nodes", index, ...issue.path.map(String)]));
      return;
    }
    if (ids.has(parsed.data.id))
      problems.push(problem("duplicate-node", `two nodes have the id '${parsed.data.id}'`, ["nodes", index], { nodeId: parsed.data.id }));
    ids.add(parsed.data.id);
  });
  const known = (id: string, path: (string | number)[], what: string) => {
    if (!ids.has(id)) problems.push(problem("unknown-node", `${what} names node '${id}', which does not exist`, path));
  };
  known(envelope.data.entry, ["entry"], "entry");
  envelope.data.exits.forEach((id, index) => known(id, ["exits", index], "exits"));
  envelope.data.edges.forEach((edge, index) => {
    const parsed = EdgeDefinitionSchema.safeParse(edge);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(problem("edge-schema", issue.message, ["edges", index, ...issue.path.map(String)], { edgeIndex: index }));
      return;
    }
    known(parsed.data.from, ["edges", index, "from"], `edge #${index + 1}`);
    known(parsed.data.to, ["edges", index, "to"], `edge #${index + 1}`);
  });
  return problems;
}
