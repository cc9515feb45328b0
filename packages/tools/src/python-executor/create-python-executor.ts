import { randomBytes } from "node:crypto";
import { TinyLLMError, mergeAbortSignals } from "@tinyllm/core";
import { CodeErrorCode } from "../code-executor/code-error-code";
import type { CodeRunError, CodeRunResult, CodeTestReport } from "./python-result-types";
import { detectPython } from "./detect-python";
import type { PythonRuntime } from "./detect-python";
import type { PythonAvailability, PythonExecutor, PythonExecutorOptions, PythonRunOptions, PythonTestSuite } from "./python-executor";
import { compilePythonHarness } from "./compile-python-harness";
import type { CompiledPythonHarness } from "./compile-python-harness";
import { loadPythonHarness } from "./load-python-harness";
import type { PythonJob, PythonJobOutcome, PythonTestsOutcome } from "./python-job-protocol";
import { runPythonJob } from "./run-python-job";
import type { PythonJobControl } from "./run-python-job";
import { runPythonTests } from "./run-python-tests";
import type { PythonResultContext } from "./to-python-run-error";
import { toPythonRunResult } from "./to-python-run-result";
import { toPythonTestReport } from "./to-python-test-report";
import { integerOption, invalidOption } from "../code-executor/integer-option";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_TEST_NAME_CHARS = 120;
const UNAVAILABLE_HINT = "Install Python 3 (3.8 or newer) or set pythonPath to its executable.";

/** An assertion's text as a test name: one line, clipped. */
function testName(text: string): string {
  const line = text.trim().replace(/\s*\n\s*/g, " ");
  return line.length > MAX_TEST_NAME_CHARS ? `${line.slice(0, MAX_TEST_NAME_CHARS - 1)}…` : line;
}

/**
 * Creates a sandboxed executor for untrusted Python 3, meant for running model-written answers
 * against HumanEval / MBPP style tests and for a `run_python` tool. Each run is a fresh
 * `python -I -S -B` process (isolated mode, no `site`, no `.pyc` writes) started with an empty
 * environment in a fresh, empty, read-only temp directory, in its own process group, wrapped in
 * `unshare -n` when that works (no network). For `runTests` that process is the tests runner: it
 * drops its privileges and forks the answer server before either reads its job, then runs the
 * tests (which the answer server never sees) with stubs for the code's functions and decides the
 * verdict; the answer server loads the code (which the tests runner never sees) and answers the
 * stubs' calls over a pipe pair, and only plain values (and references to objects that stay in
 * the code's process) cross. Before any code of its job each process:
 *
 * - drops root to uid/gid 65534 (nobody) so the limits bind and the OS refuses writes;
 * - sets `RLIMIT_AS` (`memoryLimitMb`), `RLIMIT_CPU`, `RLIMIT_FSIZE` 0, `RLIMIT_NOFILE` 64,
 *   `RLIMIT_NPROC` 0 (no fork, no threads for an unprivileged user) and `RLIMIT_CORE` 0;
 * - installs an audit hook (`sys.addaudithook`) that raises `PermissionError` for opening files
 *   for writing or outside the standard library, sockets, subprocesses, `os.system`/`exec*`/
 *   `posix_spawn`/`fork`, signals to other processes, file changes, `ctypes`, tracing and heap
 *   inspection;
 * - captures `print` output in a capped buffer and keeps a private descriptor for its result
 *   lines, each prefixed with a random token (its own per process).
 *
 * Every step (the run; or loading the code, and each test) has its own CPU-time and wall-clock
 * timers (a test's calls into the code share the test's budget); `RLIMIT_CPU` and the run's
 * wall-clock limit (the process group is killed) back them up. Test verdicts only count plain
 * builtin values (see {@link PythonCheckSuite}); `SystemExit`, `KeyboardInterrupt` and a process
 * that ends without reporting are failures, and so is every test of a run whose code process
 * sends a reply to the wrong call or a malformed one.
 *
 * **Threat model: weaker than the isolated-vm JavaScript sandbox for what the code can reach,
 * not for the verdict.** The code runs in a real CPython process and audit hooks are not a
 * security boundary (PEP 578 says so): a program written to attack the harness can walk frames,
 * switch the hook off and do what its user may do. It still cannot forge a verdict: the tests
 * and the comparison run in another process it never touches, where its answers arrive only as
 * plain data. What holds its process is the OS layer: nobody's permissions (which also keep it
 * out of the tests runner, made non-dumpable by the drop, and out of the host), the resource
 * limits, the network namespace, the empty environment and the wall clock. Where runs cannot drop
 * privileges (not root), both processes run as the host's user, and a program past the audit hook
 * can reach the host's and the tests runner's pipes and memory through `/proc` or `ptrace`, so a
 * verdict can be forged there; without `unshare` it also has the network. Run it as root in a
 * container or VM when the code may be hostile, not just wrong.
 *
 * `dispose()` kills running processes; nothing is kept warm between runs.
 *
 * @example
 * ```ts
 * const python = createPythonExecutor();
 * const report = await python.runTests("def add(a, b):\n    return a + b\n", { asserts: ["assert add(1, 2) == 3"] });
 * // { ok: true, passed: 1, failed: 0, total: 1, results: [{ name: "assert add(1, 2) == 3", passed: true }], … }
 * ```
 */
export function createPythonExecutor(options: PythonExecutorOptions = {}): PythonExecutor {
  const timeoutMs = integerOption("timeoutMs", options.timeoutMs, 5000, 1, 600_000);
  const wallTimeoutMs = integerOption("wallTimeoutMs", options.wallTimeoutMs, 10_000, 1, 3_600_000);
  const memoryLimitMb = integerOption("memoryLimitMb", options.memoryLimitMb, 512, 64, 65_536);
  const maxOutputChars = integerOption("maxOutputChars", options.maxOutputChars, 10_000, 0, 10_000_000);
  const maxCodeChars = integerOption("maxCodeChars", options.maxCodeChars, 200_000, 1, 10_000_000);
  const concurrency = integerOption("concurrency", options.concurrency, 2, 1, 256);
  const isolateNetwork = options.isolateNetwork ?? "auto";
  if (isolateNetwork !== "auto" && isolateNetwork !== true && isolateNetwork !== false)
    throw invalidOption(`isolateNetwork must be "auto", true or false, got ${String(isolateNetwork)}`);
  const pythonPath = options.pythonPath;
  if (pythonPath !== undefined && (typeof pythonPath !== "string" || pythonPath.length === 0)) throw invalidOption("pythonPath must be a non-empty string");

  let detection: Promise<PythonAvailability & { runtime?: PythonRuntime; harness?: CompiledPythonHarness }> | undefined;
  const detect = () =>
    (detection ??= (async (): Promise<PythonAvailability & { runtime?: PythonRuntime; harness?: CompiledPythonHarness }> => {
      const sources = loadPythonHarness();
      const found = await detectPython(pythonPath, isolateNetwork);
      return found.ok && found.runtime ? { ...found, harness: await compilePythonHarness(found.runtime, sources) } : found;
    })().catch((error: unknown) => ({ ok: false as const, reason: error instanceof Error ? error.message : String(error) })));
  let running = 0;
  const waiters: Array<(granted: boolean) => void> = [];
  const active = new Set<AbortController>();
  let disposed = false;

  const unavailable = (message: string, hint?: string) => new TinyLLMError({ code: CodeErrorCode.Unavailable, message, ...(hint ? { hint } : {}) });
  const runtime = async (): Promise<{ runtime: PythonRuntime; harness: CompiledPythonHarness }> => {
    if (disposed) throw unavailable("the Python executor was disposed");
    const found = await detect();
    if (!found.ok || !found.runtime || !found.harness) throw unavailable(found.ok ? "Python was not found" : found.reason, UNAVAILABLE_HINT);
    return { runtime: found.runtime, harness: found.harness };
  };
  /** Waits for a free process slot; false when aborted (or disposed) while waiting. */
  const acquire = (abortSignal: AbortSignal | undefined): Promise<boolean> => {
    if (running < concurrency) {
      running++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = (granted: boolean) => {
        abortSignal?.removeEventListener("abort", onAbort);
        resolve(granted);
      };
      const onAbort = () => {
        const index = waiters.indexOf(grant);
        if (index !== -1) waiters.splice(index, 1);
        grant(false);
      };
      abortSignal?.addEventListener("abort", onAbort, { once: true });
      waiters.push(grant);
    });
  };
  const release = () => {
    const next = waiters.shift();
    if (next) next(true);
    else running--;
  };

  /** Runs a job once a slot is free (`aborted()` when aborted while waiting). */
  const execute = async <T>(
    start: (found: { runtime: PythonRuntime; harness: CompiledPythonHarness }, control: PythonJobControl) => Promise<T>,
    aborted: () => T,
    wall: number,
    maxResultBytes: number,
    abortSignal: AbortSignal | undefined,
  ): Promise<T> => {
    const found = await runtime();
    const granted = !abortSignal?.aborted && (await acquire(abortSignal));
    if (!granted) {
      if (disposed) throw unavailable("the Python executor was disposed");
      return aborted();
    }
    const controller = new AbortController();
    active.add(controller);
    try {
      if (disposed) throw unavailable("the Python executor was disposed");
      const signal = mergeAbortSignals(controller.signal, abortSignal);
      return await start(found, { wallTimeoutMs: wall, abortSignal: signal, maxResultBytes });
    } finally {
      active.delete(controller);
      release();
    }
  };
  const abortedRun = (): PythonJobOutcome => ({ events: [], exitCode: null, signal: null, stopped: "abort", stderr: "" });
  const abortedTests = (): PythonTestsOutcome => ({ answer: abortedRun(), tests: abortedRun(), events: [], stopped: "abort" });
  const contextFor = (stepTimeoutMs: number, wall: number, steps: number, tests: number, testSource?: string): PythonResultContext => ({
    timeoutMs: stepTimeoutMs,
    stepWallMs: 2 * stepTimeoutMs + 1000,
    wallTimeoutMs: wall,
    memoryLimitMb,
    cpuSeconds: Math.ceil((stepTimeoutMs * steps) / 1000) + 1,
    maxOutputChars,
    maxResultBytes: 16 * maxOutputChars + 65_536 * (tests + 2) + 1_048_576,
    ...(testSource !== undefined ? { testSource } : {}),
  });
  /** A job with its own random token (each process of a run gets its own). */
  const baseJob = (mode: PythonJob["mode"], context: PythonResultContext): PythonJob => ({
    n: `tinyllm-${randomBytes(16).toString("hex")}`,
    mode,
    t: context.timeoutMs / 1000,
    w: context.stepWallMs / 1000,
    cpu: context.cpuSeconds,
    mem: memoryLimitMb * 1024 * 1024,
    out: maxOutputChars,
  });
  const tooLong = (length: number): CodeRunError => ({
    code: CodeErrorCode.Syntax,
    message: `the code is ${length} characters long; the limit is ${maxCodeChars}`,
    hint: "Send shorter code.",
  });

  return {
    async run(code, runOptions: PythonRunOptions = {}): Promise<CodeRunResult> {
      const started = performance.now();
      if (typeof code !== "string") throw invalidOption("code must be a string");
      const stepTimeoutMs = integerOption("timeoutMs", runOptions.timeoutMs, timeoutMs, 1, 600_000);
      const wall = integerOption("wallTimeoutMs", runOptions.wallTimeoutMs, wallTimeoutMs, 1, 3_600_000);
      const context = contextFor(stepTimeoutMs, wall, 1, 0);
      await runtime();
      if (code.length > maxCodeChars) return { ok: false, stdout: "", truncated: false, error: tooLong(code.length), durationMs: performance.now() - started };
      const job: PythonJob = { ...baseJob("run", context), code };
      const outcome = await execute(
        (found, control) => runPythonJob(found.runtime, found.harness, job, control),
        abortedRun,
        wall,
        context.maxResultBytes,
        runOptions.abortSignal,
      );
      return toPythonRunResult(outcome, context, performance.now() - started);
    },

    async runTests(code, suite: PythonTestSuite, runOptions: PythonRunOptions = {}): Promise<CodeTestReport> {
      const started = performance.now();
      if (typeof code !== "string") throw invalidOption("code must be a string");
      if (!suite || typeof suite !== "object") throw invalidOption("tests must be { testCode, entryPoint? } or { asserts, setup? }");
      const stepTimeoutMs = integerOption("timeoutMs", runOptions.timeoutMs, timeoutMs, 1, 600_000);
      let names: string[];
      let steps: number;
      let testSource: string;
      let testsJob: Partial<PythonJob>;
      if ("testCode" in suite) {
        if (typeof suite.testCode !== "string") throw invalidOption("testCode must be a string");
        const entry = suite.entryPoint;
        if (entry !== undefined && (typeof entry !== "string" || !IDENTIFIER.test(entry)))
          throw invalidOption(`entryPoint must be a Python identifier, got ${JSON.stringify(entry)}`);
        names = [entry === undefined ? "testCode" : "check"];
        steps = 3;
        testSource = suite.testCode;
        testsJob = { mode: "check", test: suite.testCode, ...(entry !== undefined ? { entry } : {}) };
      } else if ("asserts" in suite && Array.isArray(suite.asserts)) {
        if (!suite.asserts.every((text) => typeof text === "string")) throw invalidOption("asserts must be strings");
        if (suite.setup !== undefined && typeof suite.setup !== "string") throw invalidOption("setup must be a string");
        names = suite.asserts.map(testName);
        steps = suite.asserts.length + 2;
        testSource = suite.setup ?? "";
        testsJob = { mode: "asserts", asserts: suite.asserts, ...(suite.setup ? { setup: suite.setup } : {}) };
      } else {
        throw invalidOption("tests must be { testCode, entryPoint? } or { asserts, setup? }");
      }
      const wall = integerOption("wallTimeoutMs", runOptions.wallTimeoutMs, wallTimeoutMs + stepTimeoutMs * (names.length + 1), 1, 3_600_000);
      const context = contextFor(stepTimeoutMs, wall, steps, names.length, testSource);
      await runtime();
      const tested = code.length + testSource.length + (testsJob.asserts ?? []).reduce((sum, text) => sum + text.length, 0);
      if (tested > maxCodeChars) {
        const error = tooLong(tested);
        const results = names.map((name) => ({
          name,
          passed: false,
          error: { code: error.code, message: `not run: the code failed to load (${error.message})` },
        }));
        return {
          ok: false,
          passed: 0,
          failed: results.length,
          total: results.length,
          results,
          loadError: error,
          stdout: "",
          truncated: false,
          durationMs: performance.now() - started,
        };
      }
      // The code goes to the answer server alone (with the setup, which it may rely on), the tests to the tests runner alone.
      const answerJob: PythonJob = { ...baseJob("serve", context), code, ...(testsJob.setup ? { setup: testsJob.setup } : {}) };
      const job: PythonJob = { ...baseJob("check", context), ...testsJob };
      const outcome = await execute(
        (found, control) => runPythonTests(found.runtime, found.harness, answerJob, job, control),
        abortedTests,
        wall,
        context.maxResultBytes,
        runOptions.abortSignal,
      );
      return toPythonTestReport(outcome, context, names, performance.now() - started);
    },

    async available() {
      const found = await detect();
      if (!found.ok) return { ok: false, reason: found.reason };
      return { ok: true, version: found.version, executable: found.executable, networkIsolated: found.networkIsolated };
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const waiter of waiters.splice(0)) waiter(false);
      for (const controller of active) controller.abort();
    },
  };
}
