import { readFile } from "node:fs/promises";
import type { Verdict } from "@tinyllm/grading";
import { CliError } from "../cli-error";
import { withRuntime, type ModelFlags } from "../load-cli-config";
import { printJson } from "../output";

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
  if (options.query === undefined || options.query.trim() === "")
    throw new CliError("--query is required", 2, 'e.g. tinyllm grade --query "What is 2+2?" --answer "4"');
  if (options.answer !== undefined && options.answerFile !== undefined) throw new CliError("give --answer or --answer-file, not both", 2);
  let answer = options.answer;
  if (options.answerFile !== undefined) answer = await readText(options.answerFile, "--answer-file");
  if (answer === undefined) throw new CliError("--answer (or --answer-file) is required", 2, 'e.g. tinyllm grade --query "What is 2+2?" --answer "4"');
  if (answer.includes("\u0000")) throw new CliError("the answer contains NUL bytes: it looks like a binary file, not text", 2, "pass the answer as text");
  const grading = await import("@tinyllm/grading");
  const tests =
    options.tests !== undefined
      ? await usage(
          "--tests",
          grading.loadCodeTests(options.tests, {
            ...(options.entryPoint !== undefined ? { entryPoint: options.entryPoint } : {}),
            answer,
            query: options.query,
          }),
        )
      : undefined;
  return withRuntime(options, { verdicts: options.record !== false }, async (runtime) => {
    const input = {
      query: options.query!,
      answer: answer!,
      ...(options.reference !== undefined ? { reference: options.reference } : {}),
      ...(options.route !== undefined ? { route: options.route } : {}),
      ...(tests ? { tests } : {}),
    };
    if (options.route !== undefined) {
      const rubrics = await runtime.rubrics();
      if (!rubrics.rubrics.some((rubric) => (rubric.routes ?? [rubric.id]).includes(options.route!))) {
        process.stderr.write(
          `warning: no rubric grades route '${options.route}'; using '${rubrics.forRoute(options.route).id}' (routes with rubrics: ${rubrics.rubrics.flatMap((rubric) => rubric.routes ?? [rubric.id]).join(", ")})\n`,
        );
      }
    }
    const verdict: Verdict = await usage(undefined, runtime.grade(input, { judge: options.judge !== false, record: options.record !== false }));
    const judgeFailure = verdict.checks.find((check) => check.name === "judge" && check.outcome === "skip")?.message.split("\n")[0];
    const undecidedWhy = verdict.needsJudge
      ? options.judge === false
        ? "only an LLM judge could decide, and --no-judge was given"
        : `only an LLM judge could decide, and ${judgeFailure ?? "no judge was available"}`
      : undefined;
    if (options.json) {
      printJson({
        pass: verdict.pass,
        score: verdict.score,
        decidedBy: verdict.decidedBy,
        needsJudge: verdict.needsJudge,
        ...(undecidedWhy ? { reason: undecidedWhy } : {}),
        rubric: verdict.rubric,
        threshold: verdict.threshold,
        checks: verdict.checks,
        feedback: verdict.feedback,
        ...(verdict.scores ? { scores: verdict.scores } : {}),
        ...(verdict.rationale !== undefined ? { rationale: verdict.rationale } : {}),
        ...(verdict.judge ? { judge: verdict.judge } : {}),
        durationMs: Math.round(verdict.durationMs * 100) / 100,
      });
    } else {
      const decisive = verdict.checks.find((check) => check.decisive);
      if (verdict.pass === null) process.stdout.write(`UNDECIDED: ${undecidedWhy}\n`);
      else
        process.stdout.write(
          `${verdict.pass ? "PASS" : "FAIL"}${verdict.score !== null ? ` score ${verdict.score.toFixed(2)}` : ""}, decided by ${verdict.decidedBy}${decisive ? `: ${decisive.message}` : ""}\n`,
        );
      for (const check of verdict.checks) process.stdout.write(`  ${check.outcome.padEnd(4)} ${check.name}: ${check.message}\n`);
      if (verdict.feedback) process.stdout.write(`feedback: ${verdict.feedback}\n`);
      if (verdict.pass === null) process.stderr.write("  → start Ollama or pass --model-file so the T3 judge can grade it (tinyllm doctor checks the setup)\n");
    }
    return verdict.pass === null ? undecidedExitCode : verdict.pass ? 0 : 1;
  });
}

/** Input errors of grading (`GRADING_INPUT_INVALID`) are usage errors (exit 2), named after their flag. */
async function usage<T>(flag: string | undefined, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const failure = error as { code?: string; message?: string; hint?: string };
    if (failure.code === "GRADING_INPUT_INVALID") throw new CliError(`${flag ? `${flag}: ` : ""}${failure.message ?? ""}`, 2, failure.hint);
    throw error;
  }
}

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `${flag}: cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : (error as Error).message}`,
      2,
    );
  }
}
