import { randomUUID } from "node:crypto";
import { TinyLLMError } from "@tinyllm/core";
import { CodeErrorCode } from "./code-error-code";
import type {
  CodeExecutor,
  CodeExecutorOptions,
  CodeExecutorStats,
  CodeRunOptions,
  CodeRunResult,
  CodeTestOptions,
  CodeTestReport,
  CodeTestSuite,
} from "./code-executor";
import { createInProcessSlot } from "./create-in-process-slot";
import { createProcessSlot } from "./create-process-slot";
import { createSandboxEngine } from "./create-sandbox-engine";
import type { SandboxEngineOptions } from "./create-sandbox-engine";
import { loadIsolatedVm, resolveIsolatedVmPath } from "./load-isolated-vm";
import { sandboxChildMain } from "./sandbox-child-main";
import type { SandboxChildOptions } from "./sandbox-child-main";
import { preludeScript } from "./prelude/prelude-script.generated";
import type { SandboxPreludeConfig } from "./prelude/sandbox-prelude";
import type { SandboxCaseSpec, SandboxJob, SandboxOutcome } from "./sandbox-protocol";
import type { SandboxSlot } from "./sandbox-slot";
import { stoppedOutcome } from "./sandbox-slot";
import { toCodeRunResult } from "./to-code-run-result";
import type { ResultContext } from "./to-code-run-error";
import { toCodeTestReport } from "./to-code-test-report";
import type { NamedCase } from "./to-code-test-report";
import { integerOption, invalidOption } from "./integer-option";

/** Name of submitted code in stack traces and error positions. */
const FILENAME = "snippet.js";
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function toJsonText(what: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw invalidOption(`${what} must be JSON data: ${error instanceof Error ? error.message : String(error)}`);
  }
  return json ?? "null";
}

/**
 * Creates a sandboxed JavaScript executor backed by a pool of warm isolated-vm isolates (one per
 * child process by default, see {@link CodeIsolation}). Each run gets a fresh context (fresh
 * globals, so prototype pollution never reaches the next run) in a reused isolate; isolates that
 * time out or hit their memory limit are disposed and replaced in the background. Nothing starts
 * until the first run or {@link CodeExecutor.warmUp}.
 *
 * What the code sees: the ECMAScript built-ins (minus `SharedArrayBuffer`, `Atomics`,
 * `WebAssembly`, `FinalizationRegistry`), a `console` whose output is captured, `queueMicrotask`,
 * and timer functions that throw. No `process`, `require`, `import()`, `fs`, network or host
 * objects: data crosses the boundary only as strings. JavaScript only: TypeScript is not accepted
 * (stripping types needs the `typescript` package, which is not a dependency, costs ~0.9 s to load
 * and shifts line numbers).
 *
 * @example
 * ```ts
 * const executor = createCodeExecutor();
 * const result = await executor.run("const xs = [3, 1, 2]; console.log(xs.sort()); xs.length");
 * // { ok: true, stdout: "[ 1, 2, 3 ]\n", returnValue: 3, truncated: false, durationMs: 1.2 }
 * await executor.dispose();
 * ```
 */
export function createCodeExecutor(options: CodeExecutorOptions = {}): CodeExecutor {
  const memoryLimitMb = integerOption("memoryLimitMb", options.memoryLimitMb, 64, 8, 4096);
  const timeoutMs = integerOption("timeoutMs", options.timeoutMs, 1000, 1, 600_000);
  const wallTimeoutMs = integerOption("wallTimeoutMs", options.wallTimeoutMs, 2000, 1, 3_600_000);
  const maxOutputChars = integerOption("maxOutputChars", options.maxOutputChars, 10_000, 0, 10_000_000);
  const maxReturnChars = integerOption("maxReturnChars", options.maxReturnChars, 100_000, 2, 50_000_000);
  const maxCodeChars = integerOption("maxCodeChars", options.maxCodeChars, 200_000, 1, 10_000_000);
  const poolSize = integerOption("poolSize", options.poolSize, 2, 1, 64);
  const maxRunsPerIsolate = integerOption("maxRunsPerIsolate", options.maxRunsPerIsolate, 100, 1, 1_000_000);
  const queueTimeoutMs = integerOption("queueTimeoutMs", options.queueTimeoutMs, 30_000, 1, 3_600_000);
  const isolation = options.isolation ?? "process";
  if (isolation !== "process" && isolation !== "in-process") throw invalidOption(`isolation must be "process" or "in-process", got ${String(isolation)}`);

  const hookKey = `__tinyllm_tests_${randomUUID().replaceAll("-", "")}`;
  const preludeConfig: SandboxPreludeConfig = { maxOutputChars, maxReturnChars, filename: FILENAME, hookKey };
  const engineOptions: SandboxEngineOptions = {
    memoryLimitMb,
    // The bundled prelude in a function scope, so its names stay out of the sandbox's globals.
    preludeSource: `(() => {\n${preludeScript}\nreturn __tinyllmPrelude.sandboxPrelude(${JSON.stringify(preludeConfig)});\n})()`,
    filename: FILENAME,
    hookKey,
    maxRunsPerIsolate,
    survivesCatastrophe: isolation === "in-process",
  };
  let childSource: string | undefined;
  const getChildSource = (): string => {
    if (childSource === undefined) {
      const childOptions: SandboxChildOptions = {
        ivmPath: resolveIsolatedVmPath(),
        engine: engineOptions,
        // isolated-vm's limit is a guideline (V8 may overshoot it by up to 1 GB); past this the child stops the job.
        rssLimitBytes: (memoryLimitMb * 4 + 256) * 1024 * 1024,
      };
      // \`__name\` is the helper some TypeScript loaders (tsx) insert to keep function names; the
      // functions below are shipped as text, so it is defined for them.
      childSource = `"use strict";\nconst __name = (target) => target;\nconst createSandboxEngine = (${createSandboxEngine.toString()});\n(${sandboxChildMain.toString()})(require, process, createSandboxEngine, ${JSON.stringify(childOptions)});\n`;
    }
    return childSource;
  };

  const stats: CodeExecutorStats = { isolation, runs: 0, warmStarts: 0, coldStarts: 0, isolatesCreated: 0, processesStarted: 0 };
  const slots: SandboxSlot[] = [];
  const idle: SandboxSlot[] = [];
  const waiters: Array<(slot: SandboxSlot | "disposed") => void> = [];
  let disposed = false;

  const unavailable = (message: string) => new TinyLLMError({ code: CodeErrorCode.Unavailable, message });
  const makeSlot = (): SandboxSlot =>
    isolation === "process"
      ? createProcessSlot({
          childSource: getChildSource(),
          onSpawn: () => {
            stats.processesStarted++;
          },
        })
      : createInProcessSlot(engineOptions, () => loadIsolatedVm());

  const acquire = (abortSignal: AbortSignal | undefined): Promise<SandboxSlot | "aborted" | "timeout" | "disposed"> => {
    const free = idle.shift();
    if (free) return Promise.resolve(free);
    if (slots.length < poolSize) {
      const slot = makeSlot();
      slots.push(slot);
      return Promise.resolve(slot);
    }
    return new Promise((resolve) => {
      const grant = (slot: SandboxSlot | "disposed") => {
        clearTimeout(timer);
        abortSignal?.removeEventListener("abort", onAbort);
        resolve(slot);
      };
      const leave = (why: "aborted" | "timeout") => {
        const index = waiters.indexOf(grant);
        if (index !== -1) waiters.splice(index, 1);
        clearTimeout(timer);
        abortSignal?.removeEventListener("abort", onAbort);
        resolve(why);
      };
      const timer = setTimeout(() => leave("timeout"), queueTimeoutMs);
      const onAbort = () => leave("aborted");
      abortSignal?.addEventListener("abort", onAbort, { once: true });
      waiters.push(grant);
    });
  };
  const release = (slot: SandboxSlot) => {
    if (disposed) return;
    const waiter = waiters.shift();
    if (waiter) waiter(slot);
    else idle.push(slot);
  };
  const updateIsolateCount = () => {
    stats.isolatesCreated = slots.reduce((sum, slot) => sum + slot.isolatesCreated(), 0);
  };

  /** Runs a job on a free slot; the wall clock starts once a slot is ready. */
  const execute = async (job: SandboxJob, wall: number, abortSignal: AbortSignal | undefined): Promise<SandboxOutcome | "queue-timeout"> => {
    if (disposed) throw unavailable("the code executor was disposed");
    stats.runs++;
    if (abortSignal?.aborted) return stoppedOutcome("aborted");
    const slot = await acquire(abortSignal);
    if (slot === "disposed") throw unavailable("the code executor was disposed");
    if (slot === "aborted") return stoppedOutcome("aborted");
    if (slot === "timeout") return "queue-timeout";
    try {
      const outcome = await slot.execute(job, { wallTimeoutMs: wall, abortSignal });
      if (outcome.cold) stats.coldStarts++;
      else stats.warmStarts++;
      return outcome;
    } finally {
      updateIsolateCount();
      release(slot);
    }
  };
  const queueTimeoutError = () => ({
    code: CodeErrorCode.Timeout,
    message: `no sandbox became free within ${queueTimeoutMs} ms (all ${poolSize} are busy)`,
    hint: "Try again later, or raise poolSize.",
  });
  const checkCode = (code: unknown): string => {
    if (typeof code !== "string") throw invalidOption("code must be a string");
    return code;
  };
  const tooLong = (length: number) => ({
    code: CodeErrorCode.Syntax,
    message: `the code is ${length} characters long; the limit is ${maxCodeChars}`,
    hint: "Send shorter code.",
  });

  return {
    async run(source, runOptions: CodeRunOptions = {}): Promise<CodeRunResult> {
      const started = performance.now();
      const code = checkCode(source);
      const context: ResultContext = {
        timeoutMs: integerOption("timeoutMs", runOptions.timeoutMs, timeoutMs, 1, 600_000),
        wallTimeoutMs: integerOption("wallTimeoutMs", runOptions.wallTimeoutMs, wallTimeoutMs, 1, 3_600_000),
        memoryLimitMb: integerOption("memoryLimitMb", runOptions.memoryLimitMb, memoryLimitMb, 8, 4096),
        maxOutputChars,
        maxReturnChars,
      };
      if (disposed) throw unavailable("the code executor was disposed");
      if (code.length > maxCodeChars) return { ok: false, stdout: "", truncated: false, error: tooLong(code.length), durationMs: performance.now() - started };
      const job: SandboxJob = { kind: "run", code, timeoutMs: context.timeoutMs, memoryLimitMb: context.memoryLimitMb };
      const outcome = await execute(job, context.wallTimeoutMs, runOptions.abortSignal);
      const durationMs = performance.now() - started;
      if (outcome === "queue-timeout") return { ok: false, stdout: "", truncated: false, error: queueTimeoutError(), durationMs };
      return toCodeRunResult(outcome, context, code, durationMs);
    },

    async runTests(source, suite: CodeTestSuite, testOptions: CodeTestOptions = {}): Promise<CodeTestReport> {
      const started = performance.now();
      const code = checkCode(source);
      if (!suite || typeof suite !== "object") throw invalidOption("tests must be { testCode } or { cases }");
      const job: SandboxJob = { kind: "tests", code, timeoutMs: 0, memoryLimitMb: 0 };
      let named: NamedCase[] | "testCode";
      if ("testCode" in suite) {
        if (typeof suite.testCode !== "string") throw invalidOption("testCode must be a string");
        job.testCode = suite.testCode;
        named = "testCode";
      } else {
        if (!Array.isArray(suite.cases)) throw invalidOption("cases must be an array");
        const functionName = suite.functionName;
        if (functionName !== undefined && !IDENTIFIER.test(functionName))
          throw invalidOption(`functionName must be a JavaScript identifier, got ${JSON.stringify(functionName)}`);
        const tolerance = suite.tolerance ?? 0;
        if (typeof tolerance !== "number" || !(tolerance >= 0)) throw invalidOption("tolerance must be a number ≥ 0");
        const specs: SandboxCaseSpec[] = [];
        named = suite.cases.map((testCase, index) => {
          const expected = toJsonText(`cases[${index}].expected`, testCase.expected);
          if ("call" in testCase && typeof testCase.call === "string") {
            const call = testCase.call.trim().replace(/;+$/, "");
            specs.push({ call, expected, tol: tolerance });
            return { name: testCase.name ?? call, expected: testCase.expected };
          }
          if ("args" in testCase && Array.isArray(testCase.args)) {
            if (functionName === undefined) throw invalidOption(`cases[${index}] has args but the suite has no functionName`);
            const args = toJsonText(`cases[${index}].args`, testCase.args);
            specs.push({ fn: functionName, args, expected, tol: tolerance });
            const shown = args.length > 82 ? `${args.slice(1, 80)}…` : args.slice(1, -1);
            return { name: testCase.name ?? `${functionName}(${shown})`, expected: testCase.expected };
          }
          throw invalidOption(`cases[${index}] needs a call string or an args array`);
        });
        job.cases = specs;
      }
      const count = named === "testCode" ? 1 : named.length;
      const context: ResultContext = {
        timeoutMs: integerOption("timeoutMs", testOptions.timeoutMs, timeoutMs, 1, 600_000),
        wallTimeoutMs: 0,
        memoryLimitMb: integerOption("memoryLimitMb", testOptions.memoryLimitMb, memoryLimitMb, 8, 4096),
        maxOutputChars,
        maxReturnChars,
      };
      context.wallTimeoutMs = integerOption("wallTimeoutMs", testOptions.wallTimeoutMs, wallTimeoutMs + context.timeoutMs * (count + 1), 1, 3_600_000);
      job.timeoutMs = context.timeoutMs;
      job.memoryLimitMb = context.memoryLimitMb;
      if (disposed) throw unavailable("the code executor was disposed");
      const tested = code.length + (job.testCode?.length ?? 0);
      const outcome: SandboxOutcome | "queue-timeout" =
        tested > maxCodeChars
          ? { main: { kind: "syntax", message: tooLong(tested).message }, cold: false, isolatesCreated: 0 }
          : await execute(job, context.wallTimeoutMs, testOptions.abortSignal);
      const durationMs = performance.now() - started;
      if (outcome === "queue-timeout") {
        const error = queueTimeoutError();
        const results = (named === "testCode" ? [{ name: "testCode" }] : named).map((testCase) => ({ ...testCase, passed: false, error }));
        return { ok: false, passed: 0, failed: results.length, total: results.length, results, loadError: error, stdout: "", truncated: false, durationMs };
      }
      return toCodeTestReport(outcome, context, code, named, durationMs);
    },

    async warmUp() {
      if (disposed) throw unavailable("the code executor was disposed");
      while (slots.length < poolSize) {
        const slot = makeSlot();
        slots.push(slot);
        idle.push(slot);
      }
      try {
        await Promise.all(slots.map((slot) => slot.warm()));
      } finally {
        updateIsolateCount();
      }
    },

    stats: () => {
      updateIsolateCount();
      return { ...stats };
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const waiter of waiters.splice(0)) waiter("disposed");
      idle.length = 0;
      await Promise.all(slots.map((slot) => slot.dispose()));
    },
  };
}
