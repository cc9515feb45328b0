import { formatGraphProblem, loadGraphFile, streamGraph } from "@tinyllm/core";
import { selectBackend } from "../backend/select-backend";
import { CliError } from "../cli-error";
import { loadCliConfig, type ModelFlags } from "../load-cli-config";
import { printJson } from "../output";
import { printRunResult } from "../print-run-result";
import { createRegistry, defaultGraphFile, promptsDirFor, rubricsDirFor } from "../registry";

/** Options of `tinyllm run`. */
export interface RunOptions extends ModelFlags {
  json?: boolean;
  trace?: boolean;
  deadline?: string;
}

/** `tinyllm run "query"`: routes the query through the graph and streams the answer. */
export async function run(query: string, options: RunOptions): Promise<number> {
  if (query.trim() === "") throw new CliError("the query is empty", 2, 'ask something, e.g. tinyllm run "What is 2+2?"');
  const deadlineMs = options.deadline !== undefined ? Number(options.deadline) : undefined;
  if (deadlineMs !== undefined && (!Number.isInteger(deadlineMs) || deadlineMs <= 0)) throw new CliError("--deadline must be a positive whole number of milliseconds", 2);
  const { config } = await loadCliConfig(options);
  const graphFile = options.graph ?? config.graph ?? defaultGraphFile();
  const backend = await selectBackend({ config });
  const { createCliTools } = await import("../cli-tools");
  const tools = await createCliTools(config);
  const { createCliGrading } = await import("../cli-grading");
  const graphMeta: { id?: string; version?: string } = {};
  const grading = await createCliGrading({ rubricsDir: rubricsDirFor(graphFile), resolveModel: backend.resolveModel, javascript: tools.executor, python: tools.python, record: true, graph: graphMeta, warn: (message) => process.stderr.write(`warning: ${message}\n`) });
  try {
    const registry = await createRegistry({ resolveModel: backend.resolveModel, promptsDir: promptsDirFor(graphFile, config.promptsDir), tools: tools.tools, grading: grading.gate });
    const loaded = await loadGraphFile(graphFile, { registry });
    if (!loaded.ok) {
      if (options.json) printJson({ ok: false, file: graphFile, problems: loaded.problems });
      else for (const problem of loaded.problems) process.stderr.write(`${formatGraphProblem(problem)}\n`);
      return 1;
    }
    graphMeta.id = loaded.graph.id;
    graphMeta.version = loaded.graph.version;
    if (!options.json) process.stderr.write(`using ${backend.description}\n`);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    const stream = streamGraph(loaded.graph, { input: query, abortSignal: controller.signal, ...(deadlineMs !== undefined ? { deadlineMs } : {}) });
    let streamed = false;
    for await (const event of stream) {
      if (options.json) continue;
      if (event.type === "token-delta") {
        process.stdout.write(event.text);
        streamed = true;
      } else if (event.type === "node-info" && event.name === "route") {
        const d = event.data as { route: string; decidedBy: string; labels: string[]; confidences: Record<string, number> };
        const confidence = Math.max(...d.labels.map((l) => d.confidences[l] ?? 0));
        process.stderr.write(`route: ${d.route} (labels ${d.labels.join("+")}, decided by ${d.decidedBy}, confidence ${confidence.toFixed(2)})\n`);
      } else if (event.type === "node-info" && event.name === "verdict") {
        const d = event.data as { pass: boolean; score: number | null; decidedBy: string | null; action: string; next: string; tier?: string; feedback?: string };
        if (streamed) process.stdout.write("\n");
        const then = d.action === "pass" ? "" : d.action === "exhausted" ? " → no retry left; the answer is delivered as failed" : ` → ${d.action} ${d.next}${d.tier ? ` on ${d.tier}` : ""}`;
        process.stderr.write(`verdict: ${d.pass ? "pass" : "fail"}${d.score !== null ? ` (score ${d.score.toFixed(2)}` : " ("}${d.score !== null ? ", " : ""}decided by ${d.decidedBy ?? "no check: no judge was available"})${then}\n`);
      } else if (event.type === "tool-call") {
        process.stderr.write(`tool ${event.toolName}(${JSON.stringify(event.input)})\n`);
      }
    }
    process.removeListener("SIGINT", onSigint);
    const result = await stream.result;
    return printRunResult(result, { ...options, streamed });
  } finally {
    await Promise.all([backend.close(), tools.close(), grading.close()]);
  }
}
