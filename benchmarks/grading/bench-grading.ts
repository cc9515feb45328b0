/**
 * Verdict accuracy of the deterministic checks on real data: GSM8K (test), HumanEval and MBPP
 * (sanitized). For each item one answer must pass (the reference, phrased as a model would; for
 * GSM8K also the bare worked solution with no answer line) and perturbed answers must fail (GSM8K: a wrong final number; code: the reference with an
 * off-by-one result, and one that forgets to return its result). The perturbations differ from the
 * reference on every call, so the labels are right by construction. Python answers run in the Python sandbox.
 *
 *   pnpm bench:grading --data ../shared/bench/datasets [--limit N] [--concurrency 2] [--sets gsm8k,humaneval,mbpp] [--smoke]
 *
 * The data sets are read from --data (see its SOURCES.md); they are never copied here. Without
 * --data it runs on grading/sample/ (six hand-written items in the same formats), which proves
 * the benchmark runs and measures nothing. `--smoke`: the first 2 items of each set.
 * Last line: one JSON object with gsm8k_accuracy, humaneval_accuracy, mbpp_accuracy and more.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { grade, loadRubrics, type CodeTests, type GradeInput, type Verdict } from "@tinyllm/grading";
import { createCalculator, createPythonExecutor } from "@tinyllm/tools";
import { median, sizeFlag, smoke } from "../executor/stats";
import { offByOnePython, phraseCode, phraseGsm8k, wrongFinals, wrongReturnPython } from "./perturb";
import { heldOutStyledAnswers, styledAnswers } from "./styled-answers";

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const dataArg = option("data");
const sampleDir = path.join(import.meta.dirname, "sample");
if (!dataArg) {
  process.stderr.write(
    `note: no --data given: running on the built-in sample (${path.relative(process.cwd(), sampleDir)}), which measures nothing\n  → for the published figures: pnpm bench:grading --data ../shared/bench/datasets\n`,
  );
}
const dataDir = dataArg ? path.resolve(process.env.INIT_CWD ?? process.cwd(), dataArg) : sampleDir;
const limit = sizeFlag("limit", Infinity, 2);
const concurrency = Math.max(1, Number(option("concurrency") ?? 2));
const only = new Set((option("sets") ?? "gsm8k,humaneval,mbpp").split(","));
const files = {
  gsm8k: path.join(dataDir, "gsm8k/test.jsonl"),
  humaneval: path.join(dataDir, "humaneval/HumanEval.jsonl"),
  mbpp: path.join(dataDir, "mbpp/sanitized-mbpp.json"),
};
for (const [name, file] of Object.entries(files)) {
  if (!existsSync(file)) {
    process.stderr.write(`error: ${name} not found at ${file}\n  → --data must point at the datasets folder (see its SOURCES.md)\n`);
    process.exit(2);
  }
}

const repo = path.resolve(import.meta.dirname, "../..");
const rubrics = await loadRubrics({ dir: path.join(repo, "rubrics") });
const calculator = createCalculator();
const python = createPythonExecutor({ concurrency, timeoutMs: 10_000, wallTimeoutMs: 20_000 });
const availability = await python.available();
if (!availability.ok) {
  process.stderr.write(`error: the Python sandbox is not available: ${availability.reason}\n`);
  process.exit(1);
}

interface Case {
  id: string;
  kind: string;
  expectPass: boolean;
  input: GradeInput;
}

interface Outcome {
  case: Case;
  verdict: Verdict;
}

async function runAll(cases: Case[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases.length) {
        const i = next++;
        const testCase = cases[i]!;
        outcomes[i] = { case: testCase, verdict: await grade(testCase.input, { rubrics, runners: { python }, calculator }) };
      }
    }),
  );
  return outcomes;
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

// GSM8K
const gsm8k = readJsonl<{ question: string; answer: string }>(files.gsm8k).slice(0, limit);
const gsmCases: Case[] = gsm8k.flatMap((item, i) => {
  const final = /####\s*(.+)\s*$/.exec(item.answer)?.[1]?.trim() ?? "";
  const [offByOne, distractor] = wrongFinals(final, item.answer);
  const input = (answer: string): GradeInput => ({ query: item.question, answer, reference: item.answer, route: "math" });
  return [
    { id: `gsm8k/${i}`, kind: "reference", expectPass: true, input: input(phraseGsm8k(item.answer, final, i)) },
    { id: `gsm8k/${i}`, kind: "off-by-one final", expectPass: false, input: input(phraseGsm8k(item.answer, offByOne!, i + 1)) },
    { id: `gsm8k/${i}`, kind: "wrong final", expectPass: false, input: input(phraseGsm8k(item.answer, distractor!, i + 2)) },
    // The worked solution as written, with no answer line at all: the final number must be found in prose.
    {
      id: `gsm8k/${i}`,
      kind: "worked, no answer line",
      expectPass: true,
      input: input(
        item.answer
          .replace(/<<[^<>]*>>/g, "")
          .replace(/\n?####.*$/s, "")
          .trim(),
      ),
    },
  ];
});

// HumanEval
const humaneval = readJsonl<{ task_id: string; prompt: string; canonical_solution: string; test: string; entry_point: string }>(files.humaneval).slice(
  0,
  limit,
);
const heCases: Case[] = humaneval.flatMap((item, i) => {
  const code = `${item.prompt}${item.canonical_solution}`;
  const tests: CodeTests = { language: "python", testCode: item.test, entryPoint: item.entry_point };
  const input = (answer: string): GradeInput => ({ query: `Complete this Python function:\n\n${item.prompt}`, answer, route: "code", tests });
  return [
    { id: item.task_id, kind: "reference", expectPass: true, input: input(phraseCode(code, i)) },
    { id: item.task_id, kind: "off-by-one", expectPass: false, input: input(phraseCode(offByOnePython(code, item.entry_point), i)) },
    { id: item.task_id, kind: "wrong return", expectPass: false, input: input(phraseCode(wrongReturnPython(code, item.entry_point), i)) },
  ];
});

// MBPP (sanitized)
const mbpp = (
  JSON.parse(readFileSync(files.mbpp, "utf8")) as { task_id: number; prompt: string; code: string; test_imports: string[]; test_list: string[] }[]
).slice(0, limit);
const mbppCases: Case[] = mbpp.flatMap((item, i) => {
  const defined = [...item.code.matchAll(/^def ([A-Za-z_]\w*)\s*\(/gm)].map((m) => m[1]!);
  const entry = defined.find((name) => item.test_list.some((test) => new RegExp(`\\b${name}\\s*\\(`).test(test))) ?? defined[defined.length - 1]!;
  const tests: CodeTests = { language: "python", asserts: item.test_list, ...(item.test_imports.length > 0 ? { setup: item.test_imports.join("\n") } : {}) };
  const input = (answer: string): GradeInput => ({ query: item.prompt, answer, route: "code", tests });
  return [
    { id: `mbpp/${item.task_id}`, kind: "reference", expectPass: true, input: input(phraseCode(item.code, i)) },
    { id: `mbpp/${item.task_id}`, kind: "off-by-one", expectPass: false, input: input(phraseCode(offByOnePython(item.code, entry), i)) },
    { id: `mbpp/${item.task_id}`, kind: "wrong return", expectPass: false, input: input(phraseCode(wrongReturnPython(item.code, entry), i)) },
  ];
});

// Warm-up: the calculator's private mathjs instance and the first Python processes.
await runAll([...gsmCases.slice(0, 3), ...heCases.slice(0, 3)]);

const report: Record<string, unknown> = {};
for (const [name, cases] of [
  ["gsm8k", gsmCases],
  ["humaneval", heCases],
  ["mbpp", mbppCases],
] as const) {
  if (!only.has(name)) continue;
  const started = performance.now();
  const outcomes = await runAll(cases);
  const seconds = (performance.now() - started) / 1000;
  const right = outcomes.filter((o) => o.verdict.pass === o.case.expectPass);
  const wrong = outcomes.filter((o) => o.verdict.pass !== o.case.expectPass);
  const references = outcomes.filter((o) => o.case.kind === "reference");
  const referencesPassing = references.filter((o) => o.verdict.pass === true).length;
  const byKind: Record<string, string> = {};
  for (const kind of [...new Set(cases.map((c) => c.kind))]) {
    const subset = outcomes.filter((o) => o.case.kind === kind);
    byKind[kind] = `${subset.filter((o) => o.verdict.pass === o.case.expectPass).length}/${subset.length}`;
  }
  const decidedBy: Record<string, number> = {};
  for (const o of outcomes) decidedBy[o.verdict.decidedBy ?? "undecided"] = (decidedBy[o.verdict.decidedBy ?? "undecided"] ?? 0) + 1;
  const accuracy = right.length / outcomes.length;
  const gradingMs = median(outcomes.map((o) => o.verdict.durationMs));
  process.stdout.write(
    `\n${name}: ${new Set(cases.map((c) => c.id)).size} items, ${outcomes.length} answers, accuracy ${accuracy.toFixed(4)} (${right.length}/${outcomes.length}); references passing ${referencesPassing}/${references.length}; by kind ${JSON.stringify(byKind)}; decided by ${JSON.stringify(decidedBy)}; median ${gradingMs.toFixed(2)} ms per verdict, ${seconds.toFixed(1)} s in all\n`,
  );
  for (const o of wrong.slice(0, 10)) {
    const decisive = o.verdict.checks.find((c) => c.decisive);
    process.stdout.write(
      `  wrong verdict: ${o.case.id} [${o.case.kind}] expected ${o.case.expectPass ? "pass" : "fail"}, got ${o.verdict.pass} (${o.verdict.decidedBy}: ${decisive?.message.slice(0, 200) ?? "-"})\n`,
    );
  }
  report[`${name}_accuracy`] = Number(accuracy.toFixed(4));
  report[`${name}_answers`] = outcomes.length;
  report[`${name}_references_passing`] = `${referencesPassing}/${references.length}`;
  report[`${name}_median_grading_ms`] = Number(gradingMs.toFixed(2));
}
// Answers in the styles small models write (benchmarks/grading/styled-answers.ts), against the
// real references. Right answers must not fail; wrong ones must not pass; undecided ones go to
// the judge.
if (only.has("gsm8k") && !dataArg) {
  process.stdout.write("\ngsm8k styled answers: skipped, they are written for the real GSM8K questions (pass --data)\n");
} else if (only.has("gsm8k")) {
  const styled = [...styledAnswers, ...heldOutStyledAnswers].filter((c) => c.q < gsm8k.length);
  const counts = { right: 0, rightPassed: 0, rightFailed: 0, rightUndecided: 0, wrong: 0, wrongFailed: 0, wrongPassed: 0, wrongUndecided: 0 };
  for (const c of styled) {
    const item = gsm8k[c.q]!;
    const verdict = await grade({ query: item.question, answer: c.a, reference: item.answer, route: "math" }, { rubrics, calculator });
    if (c.ok) {
      counts.right++;
      if (verdict.pass === true) counts.rightPassed++;
      else if (verdict.pass === false) counts.rightFailed++;
      else counts.rightUndecided++;
    } else {
      counts.wrong++;
      if (verdict.pass === false) counts.wrongFailed++;
      else if (verdict.pass === true) counts.wrongPassed++;
      else counts.wrongUndecided++;
    }
  }
  process.stdout.write(
    `\ngsm8k styled answers: ${styled.length}; right answers passed ${counts.rightPassed}/${counts.right}, failed ${counts.rightFailed}, left to the judge ${counts.rightUndecided}; wrong answers failed ${counts.wrongFailed}/${counts.wrong}, passed ${counts.wrongPassed}, left to the judge ${counts.wrongUndecided}\n`,
  );
  report.gsm8k_styled_false_fail_rate = Number((counts.rightFailed / Math.max(1, counts.right)).toFixed(4));
  report.gsm8k_styled_false_pass_rate = Number((counts.wrongPassed / Math.max(1, counts.wrong)).toFixed(4));
  report.gsm8k_styled_undecided_rate = Number(((counts.rightUndecided + counts.wrongUndecided) / Math.max(1, styled.length)).toFixed(4));
}
await python.dispose();
report.data = dataArg ? "datasets" : "built-in sample";
if (smoke) report.smoke = true;
process.stdout.write(`${JSON.stringify(report)}\n`);
