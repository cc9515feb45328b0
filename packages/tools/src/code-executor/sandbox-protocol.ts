/**
 * Plain-data messages between the executor (host), the sandbox engine (host or child process) and
 * the in-isolate harness. Everything here must survive JSON (it crosses the child-process IPC pipe).
 *
 * @internal
 */

/** One test case as the engine sends it into the isolate. `expected` and `args` are JSON text. */
export interface SandboxCaseSpec {
  call?: string;
  fn?: string;
  args?: string;
  expected: string;
  tol: number;
}

/** @internal */
export interface SandboxRunJob {
  kind: "run";
  code: string;
  timeoutMs: number;
  memoryLimitMb: number;
}

/** @internal */
export interface SandboxTestsJob {
  kind: "tests";
  code: string;
  /** Assertion code (assertion suites) … */
  testCode?: string;
  /** … or value cases. */
  cases?: SandboxCaseSpec[];
  timeoutMs: number;
  memoryLimitMb: number;
}

/** @internal */
export type SandboxJob = SandboxRunJob | SandboxTestsJob;

/**
 * What one step (loading code, running it, one test case) produced.
 * - `done`: the harness answered; `envelope` is its JSON text (untrusted content, validated by the host).
 * - `syntax`: the source does not parse.
 * - `timeout`: isolated-vm stopped a step at its time limit (`wall` when the host stopped it instead).
 * - `memory`: the isolate hit its memory limit (or was killed for it).
 * - `aborted`: the caller aborted.
 * - `crashed`: the child process died (`signal`/`exitCode`, tail of its stderr).
 * - `skipped`: not run because an earlier step failed badly.
 * - `failed`: the engine itself failed.
 *
 * @internal
 */
export type SandboxStep =
  | { kind: "done"; envelope: string }
  | { kind: "syntax"; message: string; line?: number; column?: number }
  | { kind: "timeout"; wall?: boolean; line?: number; column?: number }
  | { kind: "memory" }
  | { kind: "aborted" }
  | { kind: "crashed"; signal?: string; exitCode?: number; stderr: string }
  | { kind: "skipped" }
  | { kind: "runtime"; message: string; line?: number; column?: number }
  | { kind: "failed"; message: string };

/** @internal */
export interface SandboxOutcome {
  /** The step of a run, or the loading step of tests. */
  main: SandboxStep;
  /** One step per test case (tests jobs only). */
  cases?: SandboxStep[];
  /** Harness envelope carrying console output, when it could be read. */
  stdoutEnvelope?: string;
  /** Whether the job had to create its isolate first. */
  cold: boolean;
  /** Isolates the engine has created so far. */
  isolatesCreated: number;
  /** Number of lines of the submitted code (to tell code lines from testCode lines). */
  codeLines?: number;
}

/** Messages from the child process to the host. @internal */
export type SandboxChildMessage =
  | { t: "ready"; isolatesCreated: number }
  | { t: "unavailable"; message: string }
  | { t: "result"; id: number; outcome: SandboxOutcome; /** The child exits right after this message (memory bloat). */ retiring?: boolean };

/** Messages from the host to the child process. @internal */
export type SandboxHostMessage = { t: "job"; id: number; job: SandboxJob };
