import type { CodeRunners } from "@tinyllm/core";
import type { GateKindOptions, VerdictRecordInput, VerdictStore } from "@tinyllm/grading";
import type { ModelResolver } from "@tinyllm/models";
import type { CodeExecutor, PythonExecutor } from "@tinyllm/tools";

/** Options of {@link createCliGrading}. */
export interface CliGradingOptions {
  rubricsDir: string;
  resolveModel?: ModelResolver;
  /** The JavaScript sandbox (shared with the tools). */
  javascript?: CodeExecutor;
  /** The Python sandbox (shared with the tools); one is created when not given. */
  python?: PythonExecutor;
  /** Record verdicts in the verdict store. */
  record?: boolean;
  /** Filled in once the graph is loaded, for the records. */
  graph?: { id?: string; version?: string };
  /** Where warnings go. */
  warn?: (message: string) => void;
}

/** What the gate needs in the CLI: rubrics, a judge, sandboxes, and the verdict store. */
export async function createCliGrading(options: CliGradingOptions): Promise<{ gate: GateKindOptions; runners: CodeRunners; store: VerdictStore | undefined; close(): Promise<void> }> {
  const [grading, tools] = await Promise.all([import("@tinyllm/grading"), import("@tinyllm/tools")]);
  const rubrics = await grading.loadRubrics({ dir: options.rubricsDir });
  const ownPython = options.python === undefined;
  const python = options.python ?? tools.createPythonExecutor();
  const runners: CodeRunners = { python, ...(options.javascript ? { javascript: options.javascript } : {}) };
  let store: VerdictStore | undefined;
  if (options.record) {
    try {
      store = grading.openVerdictStore({ path: grading.defaultVerdictStorePath() });
    } catch (error) {
      options.warn?.(`verdicts are not recorded: ${(error as Error).message}`);
    }
  }
  const graph = options.graph ?? {};
  const record = store ? (input: VerdictRecordInput) => store!.append({ ...input, ...(graph.id ? { graphId: graph.id } : {}), ...(graph.version ? { graphVersion: graph.version } : {}) }) : undefined;
  return {
    gate: { rubrics, runners, calculator: tools.createCalculator(), ...(options.resolveModel ? { resolveModel: options.resolveModel } : {}), ...(record ? { record } : {}) },
    runners,
    store,
    async close() {
      store?.close();
      if (ownPython) await python.dispose();
    },
  };
}
