/**
 * What the host sends a harness process as one line of JSON: on stdin, or on fd 3 for the
 * answer server of a test run.
 *
 * - `run`: the answer server runs `code` as a program (`PythonExecutor.run`).
 * - `serve`: the answer server loads `code` (then `setup`) and answers the tests runner's calls.
 * - `check` / `asserts`: the tests runner runs HumanEval / MBPP tests, calling into the answer
 *   server; it never sees `code`.
 *
 * @internal
 */
export interface PythonJob {
  /** Random token that starts every result line; lines without it are ignored. */
  n: string;
  mode: "run" | "serve" | "check" | "asserts";
  code?: string;
  /** CPU seconds per step (`ITIMER_PROF`). */
  t: number;
  /** Wall-clock seconds per step (`ITIMER_REAL`). */
  w: number;
  /** Soft `RLIMIT_CPU` in whole seconds (the hard limit is one more). */
  cpu: number;
  /** `RLIMIT_AS` in bytes. */
  mem: number;
  /** Most characters of output kept. */
  out: number;
  test?: string;
  entry?: string;
  asserts?: string[];
  setup?: string;
}

/** How one step ended, as a harness reports it. @internal */
export interface PythonStepResult {
  /**
   * `ok`, or the kind of failure; `ended`: the answer server was gone when a test called into it;
   * `protocol`: the answer server sent something other than a well-formed reply to the call.
   */
  k: "ok" | "syntax" | "runtime" | "exit" | "plain" | "timeout" | "stall" | "cpu" | "memory" | "ended" | "protocol";
  /** Message, e.g. `ZeroDivisionError: division by zero`. */
  m?: string;
  /** 1-based line in the source named by `at`. */
  l?: number;
  /** 1-based column (syntax errors). */
  c?: number;
  at?: "code" | "testCode";
  /** `repr()` of the last expression of a plain run. */
  v?: string;
  /** `repr()` of both sides of a failed `==` assertion. */
  actual?: string;
  expected?: string;
}

/**
 * One event line of a harness process. Each carries the output printed since the last one.
 * The answer server may send `ready`, `load`, `out`, `done` (plain runs) and `fatal`; the tests
 * runner `ready`, `setup`, `case`, `gone` (how the answer server ended, when it ended while the
 * tests ran: its exit code or signal number), `out`, `done` and `fatal`. The host drops any other
 * kind a process sends, so the code's process cannot report test results.
 *
 * @internal
 */
export type PythonEvent = { out?: string; truncated?: boolean } & (
  | { e: "ready"; dropped: boolean; stdlib: string; uid: number }
  | { e: "load"; r: PythonStepResult }
  | { e: "setup"; r: PythonStepResult }
  | { e: "case"; i: number; r: PythonStepResult }
  | { e: "gone"; code: number | null; signal: number | null }
  | { e: "out" }
  | { e: "done" }
  | { e: "fatal"; r: PythonStepResult }
);

/** Why the host stopped a run: its wall clock, an abort, or too much output. @internal */
export type PythonStop = "wall" | "abort" | "flood";

/** How one process ended, and the events it reported. @internal */
export interface PythonJobOutcome {
  events: PythonEvent[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the host killed the run. */
  stopped?: PythonStop;
  /** The last few thousand characters of stderr (fatal Python errors land there). */
  stderr: string;
  /** The process could not be started. */
  spawnError?: string;
}

/** How a test run ended: the answer server's and the tests runner's outcomes. @internal */
export interface PythonTestsOutcome {
  answer: PythonJobOutcome;
  tests: PythonJobOutcome;
  /** Events of both processes in the order they arrived (for the printed output). */
  events: PythonEvent[];
  stopped?: PythonStop;
}
