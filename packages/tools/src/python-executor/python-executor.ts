import type { CodeRunResult, CodeTestReport } from "./python-result-types";
import type { PythonAssertSuite as ContractPythonAssertSuite, PythonCheckSuite as ContractPythonCheckSuite } from "@tinyllm/core";

/**
 * Whether runs get their own network namespace (`unshare -n`, or `unshare -r -n` when not root),
 * which leaves the code with only a loopback interface that is down.
 *
 * - `"auto"` (default): use it when it works here (checked once, on first use).
 * - `true`: require it; without it the executor is unavailable.
 * - `false`: do not try.
 */
export type PythonNetworkIsolation = "auto" | boolean;

/** Options of {@link createPythonExecutor}. */
export interface PythonExecutorOptions {
  /** The Python 3 interpreter (3.8 or newer): a path or a name looked up on `PATH`. Default `python3`, then `python`. */
  pythonPath?: string;
  /**
   * CPU-time limit of one step in ms: the run, or loading the code, and each test. Enforced inside
   * Python with a CPU-time timer (`ITIMER_PROF`), so a busy machine does not fail slow but correct
   * code; a wall-clock timer (`ITIMER_REAL`) of `2 × timeoutMs + 1000` per step catches code that
   * sleeps or waits. `RLIMIT_CPU` (the steps' total, rounded up to whole seconds, plus one) backs
   * both up when the code blocks the timers. Default 5000.
   */
  timeoutMs?: number;
  /** Wall-clock limit of one run in ms, from starting the process until the result; the process group is killed then. Default 10 000. */
  wallTimeoutMs?: number;
  /** Address-space limit of the Python process in MB (`RLIMIT_AS`; at least 64). Default 512. */
  memoryLimitMb?: number;
  /** Most characters of printed output kept per run (stdout and stderr together); more is dropped and `truncated` is set. Default 10 000. */
  maxOutputChars?: number;
  /** Longest accepted source code in characters (for tests: the code plus the test sources). Default 200 000. */
  maxCodeChars?: number;
  /** Runs (each one Python process, or two for tests) going on at the same time; more wait in a queue. Default 2. */
  concurrency?: number;
  /** See {@link PythonNetworkIsolation}. Default `"auto"`. */
  isolateNetwork?: PythonNetworkIsolation;
}

/** Per-call options of {@link PythonExecutor.run} and {@link PythonExecutor.runTests}. */
export interface PythonRunOptions {
  /** Overrides the executor's `timeoutMs` (per step). */
  timeoutMs?: number;
  /**
   * Overrides the wall-clock limit. For `runTests` it bounds the whole call and defaults to
   * `wallTimeoutMs + timeoutMs × (tests + 1)` of the executor.
   */
  wallTimeoutMs?: number;
  /** Stops the run (the process group is killed); the result then fails with `CODE_ABORTED`. */
  abortSignal?: AbortSignal;
}

/**
 * HumanEval-style tests: `testCode` defines `def check(candidate): assert …` (and may define
 * `METADATA` and import modules). The code loads in its own process; `testCode` runs in a separate
 * one, with the code's top-level names (its functions as stubs that call into the code's process,
 * its imported modules imported again, its plain values copied), then `check(<entryPoint>)` when
 * `entryPoint` is given. One result, named `"check"` (or `"testCode"` without an entry point).
 *
 * Only plain values cross between the processes: None, bool, int, float, complex, str, bytes, or
 * lists, tuples, sets, frozensets and dicts of them (and `collections`' deque, OrderedDict,
 * defaultdict and Counter), at most 100 levels deep. Each return value of the candidate handed to
 * `check` must be one, otherwise the test fails; this stops answers that return objects whose
 * `__eq__` is always true. Exceptions raised by the code are raised in the tests as their nearest
 * builtin exception type with the same text (`StopIteration` as `RuntimeError`).
 */
export type PythonCheckSuite = ContractPythonCheckSuite;

/**
 * MBPP-style tests: each string is one assertion statement, e.g.
 * `assert similar_elements((3, 4, 5, 6), (5, 7, 4, 10)) == (4, 5)`, and becomes one result named
 * after its text. `setup` (MBPP's `test_setup_code`, or imports the tests need) runs after the code
 * in the code's process (which may rely on it) and before the assertions in the tests' process.
 *
 * Assertions run in a separate process from the code, as for {@link PythonCheckSuite}, and are
 * evaluated piece by piece: both sides of a comparison (other than `is`) and bare asserted values
 * must be plain values before they are compared or tested for truth. Other objects the code
 * returns (instances of its classes, functions) stay in its process: the tests may pass them back
 * to the code or call them, but not compare them or test their truth (a `range` or `re.Match` may
 * be tested for truth). A string that is not a single `assert` statement runs as written.
 */
export type PythonAssertSuite = ContractPythonAssertSuite;

/** Tests for {@link PythonExecutor.runTests}. */
export type PythonTestSuite = PythonCheckSuite | PythonAssertSuite;

/** Whether the executor can run here, from {@link PythonExecutor.available}. */
export type PythonAvailability =
  | {
      ok: true;
      /** The interpreter's version, e.g. `"3.11.7"`. */
      version: string;
      /** The interpreter runs use (`sys.executable` of `pythonPath`). */
      executable: string;
      /** Whether runs get their own network namespace. */
      networkIsolated: boolean;
    }
  | { ok: false; reason: string };

/**
 * Runs untrusted Python 3 in a fresh, locked-down process per run; see {@link createPythonExecutor}
 * for what it guards against and what it does not.
 */
export interface PythonExecutor {
  /**
   * Runs one program. `returnValue` is the `repr()` of the last expression statement when it is
   * not None (like the REPL), otherwise undefined. Problems of the code come back as failed
   * results; throws `CODE_UNAVAILABLE` only when Python cannot run here or the executor was disposed.
   */
  run(code: string, options?: PythonRunOptions): Promise<CodeRunResult>;
  /** Loads `code` and runs tests against it; see {@link PythonTestSuite}. Throws like {@link PythonExecutor.run}. */
  runTests(code: string, suite: PythonTestSuite, options?: PythonRunOptions): Promise<CodeTestReport>;
  /** Finds the interpreter and checks the sandbox's tools (once; later calls reuse the answer). Never throws. */
  available(): Promise<PythonAvailability>;
  /** Kills running processes and refuses new runs (`CODE_UNAVAILABLE`). */
  dispose(): Promise<void>;
}
