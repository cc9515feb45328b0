import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EvaluationItem, EvaluationReport, NodeAnalysis, Proposal, StrategyName } from "@tinyllm/expansion";
import { TinyLLMError } from "@tinyllm/core";
import type { ExpandGraphOptions, ExpandProgress } from "@tinyllm/runtime";
import { CliError } from "../cli-error";
import { withRuntime, type ModelFlags } from "../load-cli-config";
import { printJson } from "../output";

/** Options of `tinyllm expand …`, as commander hands them over. */
export interface ExpandCommandOptions extends ModelFlags {
  node?: string;
  queries?: string;
  strategy?: string;
  verdicts?: string;
  minEvaluations?: string;
  failRate?: string;
  cooldownMs?: string;
  alpha?: string;
  minEffect?: string;
  yes?: boolean;
  json?: boolean;
  cassette?: string | false;
}

/** A proposal saved by `expand propose`, evaluated by `expand evaluate`, adopted by `expand apply`. */
interface SavedProposal {
  graphFile: string;
  sha256: string;
  proposal: Proposal;
  heldOut: EvaluationItem[];
  proposeSet: number;
  evaluation?: EvaluationReport;
}

const strategies = ["tool_augmentation", "few_shot", "prompt_refinement", "tier_upgrade", "split"];

function number(name: string, value: string | undefined, { min = 0, max = Infinity, integer = false } = {}): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed)))
    throw new CliError(`--${name} must be a ${integer ? "whole " : ""}number from ${min}${Number.isFinite(max) ? ` to ${max}` : " up"} (got '${value}')`, 2);
  return parsed;
}

function expandOptions(options: ExpandCommandOptions, onProgress?: (event: ExpandProgress) => void): ExpandGraphOptions {
  if (!options.graph) throw new CliError("name the graph file to expand with --graph", 2, "e.g. tinyllm expand auto --graph graphs/multi_domain.yaml");
  const chosen = options.strategy
    ?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = chosen?.filter((name) => !strategies.includes(name)) ?? [];
  if (unknown.length > 0)
    throw new CliError(`unknown strategy ${unknown.join(", ")}`, 2, `--strategy takes a comma-separated list of: ${strategies.join(", ")}`);
  const minEvaluations = number("min-evaluations", options.minEvaluations, { min: 1, integer: true });
  const failRate = number("fail-rate", options.failRate, { max: 1 });
  const cooldownMs = number("cooldown-ms", options.cooldownMs, { integer: true });
  const alpha = number("alpha", options.alpha, { min: 1e-9, max: 0.5 });
  const minEffect = number("min-effect", options.minEffect, { max: 1 });
  return {
    graphFile: options.graph,
    ...(options.node ? { node: options.node } : {}),
    ...(options.queries ? { queriesFile: options.queries } : {}),
    ...(options.verdicts ? { verdictStore: options.verdicts } : {}),
    ...(chosen ? { strategies: chosen as StrategyName[] } : {}),
    ...(minEvaluations !== undefined ? { minEvaluations } : {}),
    ...(failRate !== undefined ? { failRate } : {}),
    ...(cooldownMs !== undefined ? { cooldownMs } : {}),
    ...(alpha !== undefined ? { alpha } : {}),
    ...(minEffect !== undefined ? { minEffect } : {}),
    ...(onProgress ? { onProgress } : {}),
  };
}

/** Progress of long work on stderr, one line at a time (stdout keeps the result, and the JSON). */
function progressPrinter(): (event: ExpandProgress) => void {
  return (event) => {
    const line =
      event.type === "analysis"
        ? `analysed: ${event.candidates.length === 0 ? "no candidate" : `candidates ${event.candidates.join(", ")}`}`
        : event.type === "proposals"
          ? `${event.node}: ${event.strategies.length} proposal${event.strategies.length === 1 ? "" : "s"} (${event.strategies.join(", ") || "none"})`
          : event.type === "evaluating"
            ? `evaluating ${event.strategy} on ${event.queries} held-out quer${event.queries === 1 ? "y" : "ies"}…`
            : event.type === "query"
              ? `  [${event.done}/${event.total}] baseline ${mark(event.last.baseline.pass)} candidate ${mark(event.last.candidate.pass)}  ${event.last.query.slice(0, 60)}`
              : `${event.strategy}: ${event.decision.adopt ? "better" : "not better"} (${pct(event.decision.baseline.passRate)} → ${pct(event.decision.candidate.passRate)}, p = ${event.decision.pValue.toPrecision(3)})`;
    process.stderr.write(`${line}\n`);
  };
}

const mark = (pass: boolean | null) => (pass === null ? "?" : pass ? "pass" : "fail");
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Where `expand propose` keeps a proposal: `.tinyllm/expansion/<graph id>/<node>.<strategy>.json`. */
const proposalPath = (graphId: string, node: string, strategy: string) => path.resolve(".tinyllm", "expansion", graphId, `${node}.${strategy}.json`);

async function loadSaved(options: ExpandCommandOptions): Promise<{ file: string; saved: SavedProposal }> {
  const { readExpansionTarget } = await import("@tinyllm/runtime");
  const target = await readExpansionTarget(expandOptions(options).graphFile);
  if (!options.node || !options.strategy || options.strategy.includes(","))
    throw new CliError(
      "name the proposal with --node and one --strategy",
      2,
      `e.g. --node math --strategy tool_augmentation (see tinyllm expand propose --graph ${options.graph})`,
    );
  const file = proposalPath(target.graph.id, options.node, options.strategy);
  let saved: SavedProposal;
  try {
    saved = JSON.parse(await readFile(file, "utf8")) as SavedProposal;
  } catch {
    throw new CliError(
      `no saved ${options.strategy} proposal for node '${options.node}' of graph '${target.graph.id}'`,
      1,
      `make one first: tinyllm expand propose --graph ${options.graph} --node ${options.node}`,
    );
  }
  if (saved.sha256 !== target.sha256)
    throw new TinyLLMError({
      code: "GRAPH_CHANGED_ON_DISK",
      message: `${options.graph} changed on disk since the proposal was made`,
      hint: `propose again: tinyllm expand propose --graph ${options.graph} --node ${options.node}`,
    });
  return { file, saved };
}

function printAnalysis(nodes: NodeAnalysis[]): void {
  if (nodes.length === 0) process.stdout.write("no verdicts for this graph's specialists yet\n");
  for (const node of nodes) {
    process.stdout.write(
      `${node.candidate ? "*" : " "} ${node.nodeId}: ${node.failures}/${node.evaluations} failed (${pct(node.failRate)}, 95% ${pct(node.failRateInterval.low)}–${pct(node.failRateInterval.high)})${node.topCause ? `, mostly ${node.topCause}` : ""}\n`,
    );
    if (node.failedChecks.length > 0) process.stdout.write(`    failed checks: ${node.failedChecks.map((c) => `${c.check} ${c.count}`).join(", ")}\n`);
    if (node.clusters.length > 0)
      process.stdout.write(`    query clusters: ${node.clusters.map((c) => `${c.label} (${c.queries.length}, ${c.failures} failed)`).join(", ")}\n`);
    process.stdout.write(`    ${node.candidate ? "candidate" : "not a candidate"}: ${node.reasons.join("; ")}\n`);
  }
}

function printReport(report: EvaluationReport): void {
  for (const pair of report.outcomes)
    process.stdout.write(`  baseline ${mark(pair.baseline.pass).padEnd(4)}  candidate ${mark(pair.candidate.pass).padEnd(4)}  ${pair.query}\n`);
  for (const reason of report.decision.reasons) process.stdout.write(`  - ${reason}\n`);
}

/** `tinyllm expand analyze|propose|evaluate|apply|auto`. */
export async function expand(step: "analyze" | "propose" | "evaluate" | "apply" | "auto", options: ExpandCommandOptions): Promise<number> {
  const progress = progressPrinter();
  const base = expandOptions(options, progress);
  // Every model call of the A/B goes through a cassette: a run already made (the baseline of an
  // earlier evaluation) is replayed, not paid for again; new calls go to the model and are recorded.
  const cassette =
    options.cassette === false ? {} : { cassette: { path: options.cassette ?? path.join(".tinyllm", "expand-cassette.db"), mode: "replay-or-live" as const } };
  return withRuntime(options, cassette, async (runtime) => {
    const runtimeApi = await import("@tinyllm/runtime");
    if (step === "analyze") {
      const { analysis } = await runtimeApi.analyzeGraph(runtime, base);
      if (options.json) printJson(analysis);
      else {
        printAnalysis(analysis.nodes);
        for (const route of analysis.routes)
          process.stdout.write(
            `  route ${route.route}: ${route.failures}/${route.evaluations} failed (${pct(route.failRate)}, 95% ${pct(route.failRateInterval.low)}–${pct(route.failRateInterval.high)})\n`,
          );
      }
      return 0;
    }
    if (step === "propose") {
      const prepared = await runtimeApi.proposeExpansion(runtime, base);
      if (!("proposals" in prepared)) {
        if (options.json) printJson({ proposals: [], reason: prepared.reason, skipped: prepared.skipped });
        else process.stdout.write(`no proposal: ${prepared.reason}\n`);
        return 0;
      }
      const files: string[] = [];
      for (const proposal of prepared.proposals) {
        const file = proposalPath(prepared.target.graph.id, prepared.node, proposal.strategy);
        await mkdir(path.dirname(file), { recursive: true });
        const saved: SavedProposal = {
          graphFile: prepared.target.file,
          sha256: prepared.target.sha256,
          proposal,
          heldOut: prepared.split.heldOut,
          proposeSet: prepared.split.propose.length,
        };
        await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`);
        files.push(file);
      }
      if (options.json)
        printJson({
          node: prepared.node,
          proposals: prepared.proposals.map((p, i) => ({ strategy: p.strategy, summary: p.summary, file: files[i] })),
          skipped: prepared.skipped,
        });
      else {
        for (const proposal of prepared.proposals) process.stdout.write(`${proposal.strategy}: ${proposal.summary}\n`);
        for (const skip of prepared.skipped) process.stdout.write(`(${skip.strategy}: ${skip.reason})\n`);
        process.stdout.write(`next: tinyllm expand evaluate --graph ${options.graph} --node ${prepared.node} --strategy ${prepared.proposals[0]!.strategy}\n`);
      }
      return 0;
    }
    if (step === "evaluate" || step === "apply") {
      const { file, saved } = await loadSaved(options);
      if (step === "evaluate") {
        const report = await runtimeApi.evaluateProposal(runtime, { ...base, graphFile: saved.graphFile, proposal: saved.proposal, heldOut: saved.heldOut });
        await writeFile(file, `${JSON.stringify({ ...saved, evaluation: report }, null, 2)}\n`);
        if (options.json) printJson({ strategy: saved.proposal.strategy, node: saved.proposal.nodeId, ...report });
        else {
          printReport(report);
          process.stdout.write(
            report.decision.adopt
              ? `better: adopt it with tinyllm expand apply --graph ${options.graph} --node ${saved.proposal.nodeId} --strategy ${saved.proposal.strategy} --yes\n`
              : "not better: nothing to adopt\n",
          );
        }
        return 0;
      }
      if (!saved.evaluation)
        throw new CliError(
          "this proposal has not been evaluated",
          1,
          `run: tinyllm expand evaluate --graph ${options.graph} --node ${options.node} --strategy ${options.strategy}`,
        );
      if (!options.yes) {
        if (options.json) printJson({ adopted: false, reason: "add --yes to adopt" });
        else process.stdout.write(`would adopt ${saved.proposal.summary} as a new version of ${options.graph}; nothing was changed (add --yes)\n`);
        return 2;
      }
      const adopted = await runtimeApi.adoptProposal(runtime, {
        graphFile: saved.graphFile,
        proposal: saved.proposal,
        report: saved.evaluation,
        expectedSha256: saved.sha256,
        heldOut: saved.heldOut.length,
      });
      if (options.json) printJson({ adopted: true, node: saved.proposal.nodeId, strategy: saved.proposal.strategy, ...adopted });
      else
        process.stdout.write(
          `adopted ${saved.proposal.summary}: ${options.graph} is now version ${adopted.version} (was ${adopted.previousVersion}; tinyllm graph rollback ${options.graph} undoes it)\n`,
        );
      return 0;
    }
    // Without --yes (with --json too) auto changes nothing and reports what it would adopt.
    const result = await runtimeApi.autoExpand(runtime, { ...base, adopt: options.yes === true });
    if (options.json) {
      printJson({
        adopted: result.adopted,
        improvement: result.improvement,
        node: result.node ?? null,
        strategy: result.strategy ?? null,
        baseline: result.baseline ?? null,
        candidate: result.candidate ?? null,
        pValue: result.pValue ?? null,
        version: result.version ?? null,
        previousVersion: result.previousVersion ?? null,
        heldOut: result.heldOut,
        ...(result.reason ? { reason: result.reason } : {}),
        evaluations: result.evaluations.map((e) => ({ strategy: e.strategy, summary: e.summary, decision: e.report.decision, outcomes: e.report.outcomes })),
        skipped: result.skipped,
      });
    } else {
      for (const evaluation of result.evaluations) {
        process.stdout.write(`${evaluation.strategy}: ${evaluation.summary}\n`);
        printReport(evaluation.report);
      }
      process.stdout.write(
        result.adopted
          ? `adopted: ${options.graph} is now version ${result.version} (was ${result.previousVersion}); tinyllm graph diff ${options.graph} ${result.previousVersion} ${result.version} shows the change\n`
          : `nothing adopted: ${result.reason ?? ""}\n`,
      );
    }
    return 0;
  });
}
