import type { BenchSummary } from "../bench-summary";
import { formatNumber } from "./format";
import type { Inline, ReportBlock } from "./report-block";
import { suiteTitles } from "./suite-text";

/** Where and how the benchmark ran: suite, items, seed, data, provider, models, machine, date and commit. */
export function setupSection(summary: BenchSummary): ReportBlock[] {
  const env = summary.environment;
  const { machine } = env;
  const weights = Object.entries(summary.costWeights);
  const items: Inline[][] = [
    [{ strong: "Suite: " }, `${suiteTitles[summary.suite]} (`, { code: summary.suite }, `), ${summary.items} items per configuration, seed ${env.seed}`],
    [{ strong: "Data folder: " }, { code: summary.data }],
    [{ strong: "Graph file: " }, summary.graph ? { code: summary.graph } : "none"],
    [{ strong: "Provider: " }, env.provider],
    [
      { strong: "Machine: " },
      `${machine.cpu}, ${machine.cores} cores, ${formatNumber(machine.memoryGB)} GB memory, GPU: ${machine.gpu ?? "none"}; ${machine.os}; Node ${machine.node}`,
    ],
    [{ strong: "Date: " }, env.date],
    [{ strong: "Commit: " }, env.commit ? { code: env.commit } : "not recorded"],
  ];
  if (weights.length > 0)
    items.push([{ strong: "Cost weights per tier (per 1,000 tokens): " }, weights.map(([tier, weight]) => `${tier} ${formatNumber(weight)}`).join(", ")]);

  const configNames = new Set(summary.configs.map((c) => c.config));
  const modelRows: Inline[][] = [
    ...summary.configs.map((c) => [c.config, c.kind, env.models[c.config] ?? c.model]),
    ...Object.entries(env.models)
      .filter(([role]) => !configNames.has(role))
      .map(([role, model]) => [role, role === "judge" ? "judge" : "other", model]),
  ];
  return [
    { kind: "heading", level: 2, text: "Set-up" },
    { kind: "list", items },
    { kind: "table", head: ["Configuration", "Kind", "Model"], rows: modelRows },
  ];
}
