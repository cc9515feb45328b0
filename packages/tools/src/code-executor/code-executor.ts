import type { CodeRunError, CodeRunFailure, CodeRunResult, CodeRunSuccess, CodeTestReport, CodeTestResult } from "@tinyllm/core";

export type { CodeRunError, CodeRunFailure, CodeRunResult, CodeRunSuccess, CodeTestReport, CodeTestResult };

/**
 * Where the sandboxed isolates live.
 *
 * - `"process"` (default): each pool slot is a child Node process (started with
 *   `--no-node-snapshot`) holding one isolate. Some allocation patterns (growing a `Map`/`Set`/object
 *   without end, `new Array(1e9).fill(0)`) make V8 abort the whole process with a fatal
 *   out-of-memory error that isolated-vm cannot catch; here that only kills the child, which is
 *   replaced. The host process needs no special flags.
 * - `"in-process"`: isolates run in this process. About 0.2 ms faster per run, but needs Node to run
 *   with `--no-node-snapshot`, and a fatal V8 out-of-memory in a sandbox can abort the host. Use only
 *   for trusted code or in a process you can afford to lose.
 */
export type CodeIsolation = "process" | "in-process";

/** Options of {@link createCodeExecutor}. */
export interface CodeExecutorOptions {
  /** Heap limit of each isolate in MB (isolated-vm's `memoryLimit`; at least 8). Default 64. */
  memoryLimitMb?: number;
  /**
   * Execution-time limit of one run in ms, enforced inside the isolate by isolated-vm's timer. It
   * counts time the snippet (and its promise jobs) are executing, not time spent waiting for a free
   * sandbox. Default 1000.
   */
  timeoutMs?: number;
  /** Wall-clock limit of one run in ms, from hand-off to a ready sandbox until the result. Default 2000. */
  wallTimeoutMs?: number;
  /** Most characters of console output kept per run; more is dropped and `truncated` is set. Default 10 000. */
  maxOutputChars?: number;
  /** Most characters of the JSON form of the return value (and of each test's actual value). Default 100 000. */
  maxReturnChars?: number;
  /** Longest accepted source code, in characters. Default 200 000. */
  maxCodeChars?: number;
  /** Number of warm sandboxes (isolates, and child processes in `"process"` mode). Default 2. */
  poolSize?: number;
  /** Where isolates run; see {@link CodeIsolation}. Default `"process"`. */
  isolation?: CodeIsolation;
  /** Runs after which a healthy isolate is replaced anyway (bounds heap growth and leftovers). Default 100. */
  maxRunsPerIsolate?: number;
  /** Longest a run may wait for a free sandbox (pool busy, child process starting) before failing with `CODE_TIMEOUT`. Default 30 000. */
  queueTimeoutMs?: number;
}

/** Per-run overrides of {@link CodeExecutorOptions}. */
export interface CodeRunOptions {
  timeoutMs?: number;
  wallTimeoutMs?: number;
  /** A limit other than the executor's runs in a one-off (cold) isolate. */
  memoryLimitMb?: number;
  abortSignal?: AbortSignal;
}

/** One test case: call the code and compare the result with `expected`. */
export type CodeTestCase = { name?: string; expected: unknown } & (
  | {
      /** Arguments for the suite's `functionName`, as JSON data. */
      args: unknown[];
    }
  | {
      /** A JavaScript expression evaluated in the code's scope, e.g. `"add(1, 2)"`. */
      call: string;
    }
);

/**
 * Test cases compared by value (HumanEval-style `assert candidate(args) == expected`). The actual
 * value is copied through JSON (as for `returnValue`) and compared structurally with `expected`:
 * same array order, same object keys in any order, numbers within `tolerance`, `NaN` equal to
 * `NaN`, and a top-level `undefined` equal to `null`. Promises are awaited.
 */
export interface CodeCaseSuite {
  /** Name of the function under test; needed by cases with `args`. Top-level `const`/`let` functions work too. */
  functionName?: string;
  cases: CodeTestCase[];
  /** Absolute tolerance for numbers. Default 0 (exact). */
  tolerance?: number;
}

/**
 * Assertion-based tests: JavaScript run after the code in the same scope; the suite passes when it
 * finishes without throwing. `assert` (a small `node:assert` subset: `ok`, `equal`, `strictEqual`,
 * `deepEqual`, `deepStrictEqual`, their `not` forms, `throws`, `fail`) is available as a global and
 * via `require("assert")` / `require("node:assert")`, so MultiPL-E style JavaScript HumanEval tests
 * run unchanged. It may use top-level `await`.
 */
export interface CodeAssertSuite {
  testCode: string;
}

/** Tests for {@link CodeExecutor.runTests}. */
export type CodeTestSuite = CodeCaseSuite | CodeAssertSuite;

/** Per-call options of {@link CodeExecutor.runTests}. */
export interface CodeTestOptions extends CodeRunOptions {
  /**
   * `timeoutMs` applies to loading the code and to each case separately. `wallTimeoutMs` bounds the
   * whole call; it defaults to `wallTimeoutMs + timeoutMs × (cases + 1)` of the executor.
   */
  wallTimeoutMs?: number;
}

/** Counters for benchmarks and tests. */
export interface CodeExecutorStats {
  isolation: CodeIsolation;
  /** Runs and test suites started. */
  runs: number;
  /** Runs that found a prepared isolate and context waiting. */
  warmStarts: number;
  /** Runs that had to create an isolate (or start a child process) first. */
  coldStarts: number;
  /** Isolates created so far, including background replacements. */
  isolatesCreated: number;
  /** Child processes started so far (`"process"` mode). */
  processesStarted: number;
}

/**
 * Runs untrusted JavaScript in isolated-vm sandboxes: no Node.js APIs (`process`, `require`, `fs`,
 * network, timers), fresh globals for every run, CPU, wall-clock, memory and output limits.
 */
export interface CodeExecutor {
  /** Runs one snippet. Returns failures of the code; throws `CODE_UNAVAILABLE` only when the sandbox cannot run at all. */
  run(code: string, options?: CodeRunOptions): Promise<CodeRunResult>;
  /** Loads `code` and runs tests against it; see {@link CodeTestSuite}. */
  runTests(code: string, suite: CodeTestSuite, options?: CodeTestOptions): Promise<CodeTestReport>;
  /** Starts every pool slot and prepares a fresh context in each, so the next runs are warm. */
  warmUp(): Promise<void>;
  stats(): CodeExecutorStats;
  /** Stops every sandbox (kills child processes). Later calls throw `CODE_UNAVAILABLE`. */
  dispose(): Promise<void>;
}
