import type { NodeAnalysis } from "../analysis/node-analysis";
import { checkProposal, copyForEdit, modelNodeOf, notApplicable, toolsOf } from "./graph-edit";
import type { Strategy, StrategyContext } from "./strategy";

/** Checks that fail on a wrong number: the reference's final number, the calculator's, a stated calculation. */
const NUMERIC_CHECKS = new Set(["math.reference", "math.calculator", "math.arithmetic"]);
/** Checks that fail on code that does not run or fails its tests. */
const CODE_CHECKS = new Set(["code.tests", "code.run"]);

const PYTHON = /\bpython\d?\b|```py(?:thon)?\b|\bdef \w+\s*\(|\bprint\(|\bpandas\b|\bnumpy\b|\bpip\b|\bdjango\b|\bflask\b|\belif\b|\.py\b/gi;
const JAVASCRIPT =
  /\bjavascript\b|\btypescript\b|\bnode(?:\.js|js)\b|```(?:js|javascript|ts|typescript)\b|\bconst \w+\s*=|\blet \w+\s*=|\bfunction\s*\w*\s*\(|=>|console\.log|\bnpm\b|\breact\b|\.m?js\b/gi;

/** What the failures point to. */
interface ToolPlan {
  add: { tool: string; why: string }[];
  /** Why each tool the failures point to is not added, and why nothing points to a tool. */
  notes: string[];
}

function countChecks(analysis: NodeAnalysis, names: ReadonlySet<string>): number {
  return analysis.failedChecks.filter((c) => names.has(c.check)).reduce((sum, c) => sum + c.count, 0);
}

/** `math` or `code` when the node's routes or prompt say so. */
function domainOf(analysis: NodeAnalysis, context: StrategyContext): "math" | "code" | undefined {
  const words = [...analysis.routes, context.prompt.id, context.nodeId].join(" ").toLowerCase();
  const math = /math|arith|algebra|calc|number/.test(words);
  const code = /code|program|python|javascript|script/.test(words);
  return math && !code ? "math" : code && !math ? "code" : undefined;
}

/** The language the node's queries and answers use: Python unless JavaScript clearly wins. */
function languageOf(analysis: NodeAnalysis): "python" | "javascript" {
  const text = [...analysis.failing, ...analysis.passing].flatMap((e) => [e.query, e.answer ?? ""]).join("\n");
  const python = text.match(PYTHON)?.length ?? 0;
  const javascript = text.match(JAVASCRIPT)?.length ?? 0;
  return javascript > python ? "javascript" : "python";
}

function plan(context: StrategyContext): ToolPlan | { error: string } {
  const found = modelNodeOf(context.graph, context.nodeId);
  if (!found.ok) return { error: found.reason };
  const { analysis } = context;
  if (analysis.failures === 0) return { error: "the node has no failed answers" };
  const present = new Set(toolsOf(found.config));
  // A kind of failure points to a tool when it makes up a fair share of the failures.
  const enough = Math.max(1, Math.ceil(0.2 * analysis.failures));
  const numeric = countChecks(analysis, NUMERIC_CHECKS);
  const code = countChecks(analysis, CODE_CHECKS);
  const toolMissing = analysis.causes.tool_missing;
  const domain = domainOf(analysis, context);
  const wanted: { tool: string; why: string }[] = [];
  if (numeric >= enough) wanted.push({ tool: "calculator", why: `${numeric} failed numeric checks` });
  else if (toolMissing >= enough && domain === "math" && code === 0)
    wanted.push({ tool: "calculator", why: `${toolMissing} failures of cause tool_missing on a math node` });
  const language = languageOf(analysis);
  const runner = language === "python" ? "run_python" : "run_javascript";
  if (code >= enough) wanted.push({ tool: runner, why: `${code} failed code checks, in ${language}` });
  else if (toolMissing >= enough && domain === "code" && numeric === 0)
    wanted.push({ tool: runner, why: `${toolMissing} failures of cause tool_missing on a code node` });
  if (code >= enough && numeric > code) wanted.reverse();
  const notes: string[] = [];
  if (wanted.length === 0) {
    const checks = analysis.failedChecks.map((c) => `${c.check} ×${c.count}`).join(", ") || "none";
    notes.push(`no failures point to a tool (failed checks: ${checks}; tool_missing: ${toolMissing})`);
  }
  const add = wanted.filter(({ tool }) => {
    if (present.has(tool)) notes.push(`${tool} is already on the node`);
    else if (!context.availableTools.includes(tool)) notes.push(`${tool} is not available (tools: ${context.availableTools.join(", ") || "none"})`);
    else return true;
    return false;
  });
  return { add, notes };
}

/**
 * Tool augmentation: adds the tool the failures point to. The calculator when failed checks are
 * numeric mismatches (`math.reference`, `math.calculator`, `math.arithmetic`) or, on a math
 * node, failures of cause `tool_missing`; `run_python` or `run_javascript` (by the language the
 * queries and answers use) when code checks fail (`code.tests`, `code.run`). A kind of failure
 * counts when it makes up at least a fifth of the failures. Only tools in `availableTools` and
 * not already on the node are added, to the node's config `tools`.
 *
 * @example
 * ```ts
 * const { ok, reason } = toolAugmentationStrategy.applicable(context); // true, "calculator: 12 failed numeric checks"
 * ```
 */
export const toolAugmentationStrategy: Strategy = {
  name: "tool_augmentation",
  applicable(context) {
    const planned = plan(context);
    if ("error" in planned) return { ok: false, reason: planned.error };
    if (planned.add.length === 0) return { ok: false, reason: planned.notes.join("; ") };
    return { ok: true, reason: planned.add.map((a) => `${a.tool}: ${a.why}`).join("; ") };
  },
  async propose(context) {
    const planned = plan(context);
    if ("error" in planned) throw notApplicable("tool_augmentation", context, planned.error);
    if (planned.add.length === 0) throw notApplicable("tool_augmentation", context, planned.notes.join("; "));
    const { graph, config } = copyForEdit(context);
    const added = planned.add.map((a) => a.tool);
    config.tools = [...(config.tools ?? []), ...added];
    await checkProposal("tool_augmentation", context.nodeId, graph, [context.nodeId]);
    return { strategy: "tool_augmentation", nodeId: context.nodeId, graph, summary: `${context.nodeId}: tools + ${added.join(", ")}` };
  },
};
