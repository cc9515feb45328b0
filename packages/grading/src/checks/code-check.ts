import type { CodeRunError, CodeRunners } from "@tinyllm/core";
import { checkResult, type CheckResult } from "./check-result";
import { extractCode, runnableCode, type CodeLanguage } from "./extract-code";

/**
 * Tests for the code in an answer.
 *
 * - HumanEval style: `testCode` defines `check(candidate)` (Python) and `entryPoint` names the
 *   function to pass to it; or `testCode` is plain assertions run after the code.
 * - MBPP style: `asserts`, one assertion statement per test; `setup` runs before them.
 */
export interface CodeTests {
  /** The language of the tests; default: the language of the answer's code. */
  language?: CodeLanguage;
  testCode?: string;
  entryPoint?: string;
  asserts?: string[];
  setup?: string;
}

/** What the code check looks at. */
export interface CodeCheckInput {
  answer: string;
  tests?: CodeTests;
  runners: CodeRunners;
  abortSignal?: AbortSignal;
}

/**
 * Runs the code extracted from an answer in a sandbox.
 *
 * - With tests: every test must pass (decisive either way).
 * - Without tests: the code is loaded and run once, and what happens is reported without deciding
 *   (answers quote REPL sessions and errors, and code may need input, files, packages or a newer
 *   language version than the sandbox has).
 * - Code in a language no sandbox runs is skipped.
 */
export async function runCodeCheck({ answer, tests, runners, abortSignal }: CodeCheckInput): Promise<CheckResult[]> {
  const blocks = extractCode(answer);
  const hasTests =
    tests !== undefined && ((tests.testCode !== undefined && tests.testCode.trim() !== "") || (tests.asserts ?? []).some((line) => line.trim() !== ""));
  if (blocks.length === 0) {
    return [
      hasTests
        ? checkResult("code.tests", "deterministic", "fail", true, "there are tests, and the answer has no code to run")
        : checkResult("code.run", "deterministic", "skip", false, "the answer has no code"),
    ];
  }
  const languages = [...new Set(blocks.map((block) => block.language).filter((l): l is string => l !== undefined))];
  const language: string | undefined =
    tests?.language ?? (languages.includes("python") ? "python" : languages.includes("javascript") ? "javascript" : languages[0]);
  if (language !== "python" && language !== "javascript")
    return [checkResult(hasTests ? "code.tests" : "code.run", "deterministic", "skip", false, `no sandbox runs ${language ?? "this"} code`, { languages })];
  const runner = runners[language];
  if (!runner) return [checkResult(hasTests ? "code.tests" : "code.run", "deterministic", "skip", false, `no ${language} sandbox is available`)];
  const code = runnableCode(blocks, language);
  if (code === undefined) {
    return [
      hasTests
        ? checkResult("code.tests", "deterministic", "fail", true, `the tests are ${language} and the answer has no ${language} code`, { languages })
        : checkResult("code.run", "deterministic", "skip", false, `the answer has no ${language} code`),
    ];
  }
  const options = abortSignal ? { abortSignal } : {};
  if (hasTests) {
    const report = await runner.runTests(code, suiteFor(language, tests) as never, options);
    const failed = report.results.filter((result) => !result.passed);
    const details = {
      language,
      passed: report.passed,
      total: report.total,
      ...(failed.length > 0
        ? {
            failures: failed
              .slice(0, 5)
              .map((result) => ({ name: result.name.slice(0, 200), ...(result.error ? { error: describe(result.error) } : { actual: result.actual }) })),
          }
        : {}),
    };
    if (report.ok) return [checkResult("code.tests", "deterministic", "pass", true, `${report.passed}/${report.total} tests pass`, details)];
    if (report.results.every((result) => result.error?.code === "CODE_UNAVAILABLE"))
      return [checkResult("code.tests", "deterministic", "skip", false, `the ${language} sandbox is unavailable: ${report.results[0]?.error?.message ?? ""}`)];
    const why = report.loadError
      ? `the code does not load: ${describe(report.loadError)}`
      : `${report.failed}/${report.total} tests fail; first: ${failed[0]?.name.slice(0, 120)}${failed[0]?.error ? ` (${describe(failed[0].error)})` : ""}`;
    return [checkResult("code.tests", "deterministic", "fail", true, why, details)];
  }
  const report = await runner.runTests(code, suiteFor(language, { testCode: language === "python" ? "pass" : ";" }) as never, options);
  if (report.ok) return [checkResult("code.run", "deterministic", "pass", false, `the ${language} code runs`, { language })];
  const error = report.loadError ?? report.results.find((result) => result.error)?.error;
  // Without tests nothing here decides: answers legitimately hold REPL transcripts, quoted
  // errors, snippets for other runtimes or newer language versions. It is evidence for the judge.
  if (error?.code === "CODE_SYNTAX")
    return [checkResult("code.run", "deterministic", "fail", false, `the code does not parse here: ${describe(error)}`, { language })];
  if (error?.code === "CODE_UNAVAILABLE")
    return [checkResult("code.run", "deterministic", "skip", false, `the ${language} sandbox is unavailable: ${error.message}`)];
  return [checkResult("code.run", "deterministic", "fail", false, `the code stops with ${error ? describe(error) : "an error"}`, { language })];
}

function suiteFor(language: CodeLanguage, tests: CodeTests): unknown {
  if (language === "python") {
    const asserts = (tests.asserts ?? []).filter((line) => line.trim() !== "");
    if (asserts.length > 0) return { asserts, ...(tests.setup ? { setup: tests.setup } : {}) };
    return { testCode: `${tests.setup ? `${tests.setup}\n` : ""}${tests.testCode ?? ""}`, ...(tests.entryPoint ? { entryPoint: tests.entryPoint } : {}) };
  }
  const body = [tests.setup, tests.testCode, ...(tests.asserts ?? [])].filter((part): part is string => part !== undefined).join("\n");
  const call = tests.entryPoint && /\bfunction\s+check\s*\(|\bcheck\s*=/.test(tests.testCode ?? "") ? `\ncheck(${tests.entryPoint});` : "";
  return { testCode: body + call };
}

function describe(error: CodeRunError): string {
  return `${error.message}${error.line !== undefined ? ` (line ${error.line}${error.location === "testCode" ? " of the tests" : ""})` : ""}`.slice(0, 300);
}
