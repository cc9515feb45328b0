import { readFile } from "node:fs/promises";
import path from "node:path";
import type * as GradingPackage from "@tinyllm/grading";
import type { CodeTests, GradeInput, GradeOptions, Judge, Verdict } from "@tinyllm/grading";
import type { Backend } from "../backend/select-backend";

type GradingModule = typeof GradingPackage;
import { CliError } from "../cli-error";
import { loadCliConfig, type ModelFlags } from "../load-cli-config";
import { printJson } from "../output";
import { rubricsDirFor } from "../registry";

/** Options of `tinyllm grade`. */
export interface GradeCommandOptions extends ModelFlags {
  query?: string;
  answer?: string;
  answerFile?: string;
  reference?: string;
  route?: string;
  tests?: string;
  entryPoint?: string;
  judge?: boolean;
  record?: boolean;
  json?: boolean;
}

/** Exit code of `tinyllm grade` when only a judge could decide and none was available. */
export const undecidedExitCode = 3;

/**
 * `tinyllm grade --query Q --answer A`: one verdict. Cheap checks first; the judge (the T3 tier of
 * the configured provider) only when they cannot decide. Exit 0 pass, 1 fail, 2 usage, 3 undecided.
 */
export async function gradeCommand(options: GradeCommandOptions): Promise<number> {
  if (options.query === undefined || options.query.trim() === "") throw new CliError("--query is required", 2, 'e.g. tinyllm grade --query "What is 2+2?" --answer "4"');
  if (options.answer !== undefined && options.answerFile !== undefined) throw new CliError("give --answer or --answer-file, not both", 2);
  let answer = options.answer;
  if (options.answerFile !== undefined) answer = await readText(options.answerFile, "--answer-file");
  if (answer === undefined) throw new CliError("--answer (or --answer-file) is required", 2, 'e.g. tinyllm grade --query "What is 2+2?" --answer "4"');
  if (answer.includes("\u0000")) throw new CliError("the answer contains NUL bytes: it looks like a binary file, not text", 2, "pass the answer as text");
  const tests = options.tests !== undefined ? await loadTests(options.tests, options.entryPoint, answer, options.query) : undefined;
  const grading = await import("@tinyllm/grading");
  const { createCliGrading } = await import("../cli-grading");
  const { config } = await loadCliConfig(options);
  const tools = await import("@tinyllm/tools");
  const javascript = tools.createCodeExecutor({ poolSize: 1 });
  const cli = await createCliGrading({ rubricsDir: rubricsDirFor(config.graph), javascript, record: options.record !== false, warn: (message) => process.stderr.write(`warning: ${message}\n`) });
  let backend: Backend | undefined;
  try {
    const input = { query: options.query, answer, ...(options.reference !== undefined ? { reference: options.reference } : {}), ...(options.route !== undefined ? { route: options.route } : {}), ...(tests ? { tests } : {}) };
    const gradeOptions = { ...(cli.gate.rubrics ? { rubrics: cli.gate.rubrics } : {}), runners: cli.runners, ...(cli.gate.calculator ? { calculator: cli.gate.calculator } : {}) };
    if (options.route !== undefined && cli.gate.rubrics && !cli.gate.rubrics.rubrics.some((rubric) => (rubric.routes ?? [rubric.id]).includes(options.route!))) {
      process.stderr.write(`warning: no rubric grades route '${options.route}'; using '${cli.gate.rubrics.forRoute(options.route).id}' (routes with rubrics: ${cli.gate.rubrics.rubrics.flatMap((rubric) => rubric.routes ?? [rubric.id]).join(", ")})\n`);
    }
    // The judge's provider is only looked for when the cheap checks cannot decide.
    const judge: Judge = async (judgeInput, judgeOptions) => {
      if (!backend) {
        const { selectBackend } = await import("../backend/select-backend");
        backend = await selectBackend({ config });
      }
      return grading.createJudge({ resolveModel: backend.resolveModel })(judgeInput, judgeOptions);
    };
    const verdict: Verdict = await grade(grading, input, { ...gradeOptions, ...(options.judge !== false ? { judge } : {}) });
    if (cli.store) {
      cli.store.append({ nodeId: "cli.grade", ...(options.route ? { route: options.route } : {}), ...(verdict.judge ? { model: verdict.judge.model } : {}), pass: verdict.pass, score: verdict.score, decidedBy: verdict.decidedBy ?? "undecided", ...(verdict.scores ? { scores: verdict.scores } : {}), checks: verdict.checks, ...(verdict.feedback ? { feedback: verdict.feedback } : {}), gradingMs: verdict.durationMs, query: options.query, answer, rubric: verdict.rubric });
    }
    const judgeFailure = verdict.checks.find((check) => check.name === "judge" && check.outcome === "skip")?.message.split("\n")[0];
    const undecidedWhy = verdict.needsJudge ? (options.judge === false ? "only an LLM judge could decide, and --no-judge was given" : `only an LLM judge could decide, and ${judgeFailure ?? "no judge was available"}`) : undefined;
    if (options.json) {
      printJson({ pass: verdict.pass, score: verdict.score, decidedBy: verdict.decidedBy, needsJudge: verdict.needsJudge, ...(undecidedWhy ? { reason: undecidedWhy } : {}), rubric: verdict.rubric, threshold: verdict.threshold, checks: verdict.checks, feedback: verdict.feedback, ...(verdict.scores ? { scores: verdict.scores } : {}), ...(verdict.rationale !== undefined ? { rationale: verdict.rationale } : {}), ...(verdict.judge ? { judge: verdict.judge } : {}), durationMs: Math.round(verdict.durationMs * 100) / 100 });
    } else {
      const decisive = verdict.checks.find((check) => check.decisive);
      if (verdict.pass === null) process.stdout.write(`UNDECIDED: ${undecidedWhy}\n`);
      else process.stdout.write(`${verdict.pass ? "PASS" : "FAIL"}${verdict.score !== null ? ` score ${verdict.score.toFixed(2)}` : ""}, decided by ${verdict.decidedBy}${decisive ? `: ${decisive.message}` : ""}\n`);
      for (const check of verdict.checks) process.stdout.write(`  ${check.outcome.padEnd(4)} ${check.name}: ${check.message}\n`);
      if (verdict.feedback) process.stdout.write(`feedback: ${verdict.feedback}\n`);
      if (verdict.pass === null) process.stderr.write("  → start Ollama or pass --model-file so the T3 judge can grade it (tinyllm doctor checks the setup)\n");
    }
    return verdict.pass === null ? undecidedExitCode : verdict.pass ? 0 : 1;
  } finally {
    await Promise.all([cli.close(), javascript.dispose(), backend?.close()]);
  }
}

async function grade(grading: GradingModule, input: GradeInput, options: GradeOptions): Promise<Verdict> {
  try {
    return await grading.grade(input, options);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "GRADING_INPUT_INVALID") throw new CliError((error as Error).message, 2, (error as { hint?: string }).hint);
    throw error;
  }
}

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${flag}: cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : (error as Error).message}`, 2);
  }
}

/**
 * Reads `--tests FILE`: `.py` (a HumanEval `check(candidate)`, or `assert` lines), `.js`/`.mjs`
 * (assertions), or `.json`/`.yaml` (`{ language, testCode, entryPoint, asserts, setup }`).
 */
async function loadTests(file: string, entryPoint: string | undefined, answer: string, query: string): Promise<CodeTests> {
  const text = await readText(file, "--tests");
  if (text.length > 1_000_000) throw new CliError(`--tests: ${file} is larger than 1 MB`, 2);
  const ext = path.extname(file).toLowerCase();
  if (text.trim() === "") throw new CliError(`--tests: ${file} has no tests in it`, 2, "write assertions, or a check(candidate) function for Python");
  if (entryPoint !== undefined && !/^[A-Za-z_$][\w$]*$/.test(entryPoint)) throw new CliError(`--entry-point must be a function name (got '${entryPoint.slice(0, 80)}')`, 2);
  if (ext === ".py") {
    if (/^def check\(/m.test(text)) {
      const entry = entryPoint ?? guessEntryPoint(answer, query);
      return { language: "python", testCode: text, entryPoint: entry };
    }
    const lines = text.split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
    if (lines.length > 0 && lines.every((line) => /^assert\b/.test(line))) return { language: "python", asserts: lines };
    return { language: "python", testCode: text, ...(entryPoint ? { entryPoint } : {}) };
  }
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") return { language: "javascript", testCode: text, ...(entryPoint ? { entryPoint } : {}) };
  if (ext === ".json" || ext === ".yaml" || ext === ".yml") {
    const { parse } = await import("yaml");
    let data: unknown;
    try {
      data = parse(text, { maxAliasCount: 50 });
    } catch (error) {
      throw new CliError(`--tests: ${file} does not parse: ${(error as Error).message.split("\n")[0]}`, 2);
    }
    const tests = data as CodeTests;
    const ok = typeof data === "object" && data !== null && ((typeof tests.testCode === "string" && tests.testCode.trim() !== "") || (Array.isArray(tests.asserts) && tests.asserts.length > 0 && tests.asserts.every((a) => typeof a === "string" && a.trim() !== ""))) && (tests.language === undefined || tests.language === "python" || tests.language === "javascript") && (tests.entryPoint === undefined || (typeof tests.entryPoint === "string" && /^[A-Za-z_$][\w$]*$/.test(tests.entryPoint))) && (tests.setup === undefined || typeof tests.setup === "string");
    if (!ok) throw new CliError(`--tests: ${file} needs a non-empty testCode (text) or asserts (a list of text), language python or javascript, and entryPoint a function name`, 2);
    return { ...tests, ...(entryPoint ? { entryPoint } : {}) };
  }
  throw new CliError(`--tests: unknown test file type '${ext || path.basename(file)}'`, 2, "use .py, .js, .json or .yaml");
}

function guessEntryPoint(answer: string, query: string): string {
  const names = [...new Set([...answer.matchAll(/^(?:async\s+)?def ([A-Za-z_]\w*)\s*\(/gm)].map((m) => m[1]!))].filter((name) => name !== "check" && !name.startsWith("_") && !name.startsWith("test"));
  if (names.length === 1) return names[0]!;
  const named = names.filter((name) => new RegExp(`\\b${name}\\b`).test(query));
  if (named.length === 1) return named[0]!;
  if (names.length === 0) throw new CliError("--tests defines check(candidate), and the answer defines no Python function", 2, "pass --entry-point NAME, or check the answer");
  throw new CliError(`--tests defines check(candidate), and the answer defines several functions (${names.slice(0, 5).join(", ")})`, 2, "pass --entry-point NAME");
}
