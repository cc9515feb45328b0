/**
 * What the host sends the harness on stdin. It is JSON made only of strings, integers and arrays,
 * which is also a Python literal (the harness reads it with `ast.literal_eval`, avoiding `json`'s
 * import cost).
 *
 * @internal
 */
export interface PythonJob {
  /** Random token that starts every result line; lines without it are ignored. */
  n: string;
  mode: "run" | "check" | "asserts";
  code: string;
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

/** How one step ended, as the harness reports it. @internal */
export interface PythonStepResult {
  /** `ok`, or the kind of failure. */
  k: "ok" | "syntax" | "runtime" | "exit" | "plain" | "timeout" | "stall" | "cpu" | "memory";
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

/** One line of the harness's result channel. Each carries the output printed since the last one. @internal */
export type PythonEvent = { out?: string; truncated?: boolean } & (
  | { e: "ready"; dropped: boolean; stdlib: string; uid: number }
  | { e: "load"; r: PythonStepResult }
  | { e: "case"; i: number; r: PythonStepResult }
  | { e: "done" }
  | { e: "fatal"; r: PythonStepResult }
);

/** How a process ended, and everything it reported. @internal */
export interface PythonJobOutcome {
  events: PythonEvent[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the host killed the process. */
  stopped?: "wall" | "abort" | "flood";
  /** The last few thousand characters of stderr (fatal Python errors land there). */
  stderr: string;
  /** The process could not be started. */
  spawnError?: string;
}
