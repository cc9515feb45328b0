/**
 * The contract every code runner meets (the JavaScript and Python sandboxes of `@tinyllm/tools`),
 * and what grading needs of them: run code, run tests against it, report plain results.
 *
 * @module
 */
import type { CodeErrorCode } from "../error/error-codes";

/** Why a run failed. */
export interface CodeRunError {
  code: CodeErrorCode;
  /** What happened, e.g. `TypeError: Cannot read properties of null (reading 'x')`. */
  message: string;
  /** 1-based line in the submitted code (or in `testCode` when `location` is `"testCode"`). */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** Which source the position refers to; only set by {@link CodeRunner.runTests}. */
  location?: "code" | "testCode";
  /** What to do about it, for people and models. */
  hint?: string;
}

/** A run that finished. */
export interface CodeRunSuccess {
  ok: true;
  /** Everything written with `console.*`, one line per call (Node-like formatting). */
  stdout: string;
  /**
   * The result, as JSON data copied out of the sandbox (computed there with `JSON.stringify`,
   * BigInt turned into decimal strings):
   * - a plain script yields the value of its last expression statement (like `eval` or a REPL:
   *   `const x = 2; x * 21` gives 42; a trailing declaration gives `undefined`);
   * - code using top-level `await` or `return` runs as the body of an async function and yields
   *   what it `return`s;
   * - a promise result is awaited.
   * `undefined`, functions and symbols give `undefined`; inside objects they are dropped as in JSON.
   */
  returnValue: unknown;
  durationMs: number;
  /** True when console output went over `maxOutputChars` and was cut. */
  truncated: boolean;
}

/** A run that failed. Code problems are reported this way; only infrastructure problems throw. */
export interface CodeRunFailure {
  ok: false;
  /** Console output written before the failure (empty after a memory kill). */
  stdout: string;
  truncated: boolean;
  error: CodeRunError;
  durationMs: number;
}

/** The outcome of {@link CodeRunner.run}. */
export type CodeRunResult = CodeRunSuccess | CodeRunFailure;

/** The result of one test. */
export interface CodeTestResult {
  /** The case's `name`, else its `call`, else `functionName(args…)`; `"testCode"` for assertion suites. */
  name: string;
  passed: boolean;
  expected?: unknown;
  /** The value the code produced (JSON copy), when it produced one. */
  actual?: unknown;
  /** Why it failed, when it threw, timed out or never ran. */
  error?: CodeRunError;
}

/** The outcome of {@link CodeRunner.runTests}. */
export interface CodeTestReport {
  /** True when every test passed (and there was at least one). */
  ok: boolean;
  passed: number;
  failed: number;
  total: number;
  results: CodeTestResult[];
  /** Set when the code itself failed to parse or run; every test then fails. */
  loadError?: CodeRunError;
  stdout: string;
  truncated: boolean;
  durationMs: number;
}

/** Per-call options every code runner takes. */
export interface CodeRunnerCallOptions {
  /** Stops the run; the result then fails with `CODE_ABORTED`. */
  abortSignal?: AbortSignal;
}

/**
 * A sandbox that runs untrusted code. Failures of the code come back as results; only a runner
 * that cannot run at all throws (`CODE_UNAVAILABLE`).
 */
export interface CodeRunner<TSuite> {
  /** Runs one program. */
  run(code: string, options?: CodeRunnerCallOptions): Promise<CodeRunResult>;
  /** Loads `code` and runs `suite` against it. */
  runTests(code: string, suite: TSuite, options?: CodeRunnerCallOptions): Promise<CodeTestReport>;
}

/** JavaScript tests: assertions run after the code in the same scope (`assert` is available). */
export interface JavaScriptAssertSuite {
  testCode: string;
}

/** Python tests: HumanEval's `check(candidate)` with the function under test, or plain test code. */
export interface PythonCheckSuite {
  testCode: string;
  /** The function handed to `check`. */
  entryPoint?: string;
}

/** Python tests: MBPP's assertion lines, each its own test, with optional set-up code. */
export interface PythonAssertSuite {
  asserts: string[];
  setup?: string;
}

/** A JavaScript sandbox as grading uses it. */
export type JavaScriptRunner = CodeRunner<JavaScriptAssertSuite>;
/** A Python sandbox as grading uses it. */
export type PythonRunner = CodeRunner<PythonCheckSuite | PythonAssertSuite>;

/** The code runners available, by language. */
export interface CodeRunners {
  python?: PythonRunner;
  javascript?: JavaScriptRunner;
}
