import type { SandboxJob, SandboxOutcome, SandboxStep, SandboxTestsJob } from "./sandbox-protocol";

/** The slice of isolated-vm's API the engine uses (structural, so the engine stays self-contained). */
export interface IvmReferenceLike {
  apply(receiver: undefined, args: string[], options: { timeout: number }): Promise<unknown>;
  release(): void;
}
/** Part of the isolated-vm slice the engine uses. */
export interface IvmContextLike {
  release(): void;
}
/** Part of the isolated-vm slice the engine uses. */
export interface IvmScriptLike {
  run(context: IvmContextLike, options: { timeout: number; reference: true }): Promise<unknown>;
  release(): void;
}
/** Part of the isolated-vm slice the engine uses. */
export interface IvmIsolateLike {
  readonly isDisposed: boolean;
  compileScript(code: string, options: { filename: string }): Promise<IvmScriptLike>;
  createContext(): Promise<IvmContextLike>;
  dispose(): void;
}
/** Part of the isolated-vm slice the engine uses. */
export interface IvmModuleLike {
  Isolate: new (options: { memoryLimit: number; onCatastrophicError?: (message: string) => void }) => IvmIsolateLike;
}

/** Options of {@link createSandboxEngine}; plain data (it crosses into the child process). @internal */
export interface SandboxEngineOptions {
  memoryLimitMb: number;
  /** The complete prelude script: `(sandboxPrelude)(config)`. */
  preludeSource: string;
  /** Name of user code in stack traces; must match the prelude's. */
  filename: string;
  /** Must match the prelude's `hookKey`. */
  hookKey: string;
  maxRunsPerIsolate: number;
  /** Give isolated-vm a catastrophic-error handler instead of letting it abort the process (in-process mode). */
  survivesCatastrophe: boolean;
}

/** Why the host stopped a job early. @internal */
export type SandboxKillReason = "timeout" | "aborted" | "memory";

/** One pool slot's isolate, its warm context, and the code that runs jobs on them. @internal */
export interface SandboxEngine {
  run(job: SandboxJob): Promise<SandboxOutcome>;
  /** Creates the isolate and a prepared context if missing. */
  warmUp(): Promise<void>;
  /** Stops the running job: disposes its isolate; `run` then resolves with a matching step. */
  kill(reason: SandboxKillReason): void;
  dispose(): void;
  /** Catastrophic isolated-vm errors seen (in-process mode keeps running after them). */
  catastrophes(): number;
  /** Isolates created so far, background replacements included. */
  isolatesCreated(): number;
}

/**
 * Creates the engine that runs {@link SandboxJob}s in isolated-vm: one isolate, reused with a fresh
 * context per job; a fresh context is prepared in the background after each job; isolates that
 * timed out, hit their memory limit or served `maxRunsPerIsolate` jobs are disposed and replaced in
 * the background. Jobs must not overlap (the pool gives each engine one job at a time).
 *
 * Runs in the host (in-process mode) or in the child process, where it is shipped with
 * `Function.prototype.toString`: it must stay self-contained (no imports; only `import type`).
 *
 * @internal
 */
export function createSandboxEngine(ivm: IvmModuleLike, options: SandboxEngineOptions): SandboxEngine {
  type Isolate = { isolate: IvmIsolateLike; prelude: Promise<IvmScriptLike>; runs: number; catastrophe: boolean };
  type Prepared = { owner: Isolate; context: IvmContextLike; harness: IvmReferenceLike };
  type Mode = { ok: true; program: string; shift: number } | { ok: false; step: SandboxStep };

  const ASYNC_HEAD = "(async function(){";
  const ASYNC_TAIL = "\n})()";
  const SOURCE_URL = "\n//# sourceURL=" + options.filename;
  const PRELUDE_TIMEOUT_MS = 5000;
  const COLLECT_TIMEOUT_MS = 250;
  const SALVAGE_TIMEOUT_MS = 50;
  const PREPARE_DELAY_MS = 2;

  let current: Isolate | undefined;
  let next: Promise<Prepared> | undefined;
  let active: Isolate[] = [];
  let killedFor: SandboxKillReason | undefined;
  let isolatesCreated = 0;
  let catastrophes = 0;
  let disposed = false;
  let busy = false;

  const errorMessage = (error: unknown): string => {
    if (error && typeof error === "object" && "message" in error) return String((error as { message: unknown }).message);
    return String(error);
  };
  const newIsolate = (memoryLimitMb: number): Isolate => {
    const flags = { catastrophe: false };
    const isolate = new ivm.Isolate({
      memoryLimit: memoryLimitMb,
      // Without a handler isolated-vm aborts the process on a fatal V8 out-of-memory (fine in a
      // child process); with one it parks the isolate's thread forever and the host lives on.
      ...(options.survivesCatastrophe
        ? {
            onCatastrophicError: () => {
              catastrophes++;
              flags.catastrophe = true;
            },
          }
        : {}),
    });
    isolatesCreated++;
    const prelude = isolate.compileScript(options.preludeSource, { filename: "tinyllm-harness.js" });
    prelude.catch(() => undefined);
    return Object.assign(flags, { isolate, prelude, runs: 0 });
  };
  const disposeIsolate = (entry: Isolate): void => {
    try {
      if (!entry.isolate.isDisposed) entry.isolate.dispose();
    } catch {
      /* already gone */
    }
  };
  const prepare = async (owner: Isolate): Promise<Prepared> => {
    const script = await owner.prelude;
    const context = await owner.isolate.createContext();
    try {
      const harness = (await script.run(context, { timeout: PRELUDE_TIMEOUT_MS, reference: true })) as IvmReferenceLike;
      return { owner, context, harness };
    } catch (error) {
      context.release();
      throw error;
    }
  };
  const prepareNext = (owner: Isolate): void => {
    next = prepare(owner);
    next.catch(() => undefined);
  };
  /** Prepares the next context shortly after a job, once its result is on its way (both compete for the CPU). */
  const prepareSoon = (owner: Isolate): void => {
    setTimeout(() => {
      if (!busy && !next && current === owner && !disposed) prepareNext(owner);
    }, PREPARE_DELAY_MS).unref();
  };
  const replaceCurrent = (): void => {
    if (current) disposeIsolate(current);
    current = undefined;
    next = undefined;
    if (disposed) return;
    current = newIsolate(options.memoryLimitMb);
    prepareNext(current);
  };
  /** A prepared context for a job, and whether the isolate had to be created first. */
  const take = async (memoryLimitMb: number): Promise<{ prepared: Prepared; cold: boolean; temporary: boolean }> => {
    if (memoryLimitMb !== options.memoryLimitMb) {
      const oneOff = newIsolate(memoryLimitMb);
      try {
        return { prepared: await prepare(oneOff), cold: true, temporary: true };
      } catch (error) {
        disposeIsolate(oneOff);
        throw error;
      }
    }
    let cold = false;
    if (!current || current.isolate.isDisposed) {
      current = newIsolate(options.memoryLimitMb);
      next = undefined;
      cold = true;
    }
    const pending = next ?? prepare(current);
    next = undefined;
    try {
      return { prepared: await pending, cold, temporary: false };
    } catch {
      // The isolate broke while idle (or preparing failed): start over once with a new one.
      replaceCurrent();
      const retry = next ?? prepare(current as unknown as Isolate);
      next = undefined;
      return { prepared: await retry, cold: true, temporary: false };
    }
  };
  const finish = (prepared: Prepared, temporary: boolean, healthy: boolean): void => {
    try {
      prepared.harness.release();
      prepared.context.release();
    } catch {
      /* isolate already disposed */
    }
    const owner = prepared.owner;
    if (temporary) {
      disposeIsolate(owner);
      return;
    }
    owner.runs++;
    if (disposed || owner !== current) return;
    if (!healthy || owner.isolate.isDisposed || owner.runs >= options.maxRunsPerIsolate) replaceCurrent();
    else prepareSoon(owner);
  };

  /** `[file:line:col]` of a compile error, or `file:line:col` of a timeout's stack. */
  const position = (text: string, shift: number): { line?: number; column?: number } => {
    const marker = options.filename + ":";
    let at = text.indexOf(marker);
    while (at !== -1) {
      const match = /^(\d+):(\d+)/.exec(text.slice(at + marker.length));
      const before = text.lastIndexOf("\n", at);
      const frame = text.slice(before + 1, at);
      if (match && !frame.includes("eval at ")) {
        const line = Number(match[1]);
        const column = Number(match[2]) - (line === 1 ? shift : 0);
        return { line, column: column < 1 ? 1 : column };
      }
      at = text.indexOf(marker, at + 1);
    }
    return {};
  };
  const compiles = async (isolate: IvmIsolateLike, source: string): Promise<string | undefined> => {
    try {
      const script = await isolate.compileScript(source, { filename: options.filename });
      script.release();
      return undefined;
    } catch (error) {
      if (isolate.isDisposed) throw error;
      return errorMessage(error);
    }
  };
  /**
   * Plain scripts run as they are (their completion value is the result). Code that only parses
   * as an async function body (top-level `await`/`return`) runs inside `(async function(){…})()`.
   */
  const chooseMode = async (isolate: IvmIsolateLike, code: string): Promise<Mode> => {
    const asScript = await compiles(isolate, code);
    if (asScript === undefined) return { ok: true, program: code + SOURCE_URL, shift: 0 };
    const wrapped = ASYNC_HEAD + code + ASYNC_TAIL;
    const asAsync = await compiles(isolate, wrapped);
    if (asAsync === undefined) return { ok: true, program: wrapped + SOURCE_URL, shift: ASYNC_HEAD.length };
    const useAsync = /\bawait\b|\breturn\b/.test(asScript.replace(/\[[^\]]*\]\s*$/, ""));
    const message = useAsync ? asAsync : asScript;
    const where = position(message, useAsync ? ASYNC_HEAD.length : 0);
    return { ok: false, step: { kind: "syntax", message: message.replace(/\s*\[[^\]]*\]\s*$/, ""), ...where } };
  };
  /** Turns a rejected isolated-vm call into a step. */
  const failure = (error: unknown, owner: Isolate, shift: number): SandboxStep => {
    const message = errorMessage(error);
    if (killedFor === "timeout") return { kind: "timeout", wall: true };
    if (killedFor === "aborted") return { kind: "aborted" };
    if (killedFor === "memory" || owner.catastrophe || /memory limit/i.test(message)) return { kind: "memory" };
    if (/timed out/i.test(message)) {
      const stack = error && typeof error === "object" && "stack" in error ? String((error as { stack: unknown }).stack) : "";
      return { kind: "timeout", ...position(stack, shift) };
    }
    // Anything else that escaped the harness came out of the user's code (an unhandled
    // rejection, a throwing thenable); only isolate plumbing errors are the sandbox's own.
    if (!/isolate|disposed|transfer|not copyable|reference/i.test(message)) {
      const stack = error && typeof error === "object" && "stack" in error ? String((error as { stack: unknown }).stack) : "";
      return { kind: "runtime", message, ...position(stack, shift) };
    }
    return { kind: "failed", message };
  };
  const call = async (prepared: Prepared, args: string[], timeout: number): Promise<string | undefined> => {
    const result = await prepared.harness.apply(undefined, args, { timeout });
    return typeof result === "string" ? result : undefined;
  };
  /** Runs one harness op and collects its envelope. */
  const step = async (
    prepared: Prepared,
    args: string[],
    timeoutMs: number,
    withStdout: boolean,
    shift: number,
  ): Promise<{ step: SandboxStep; healthy: boolean }> => {
    try {
      await call(prepared, args, timeoutMs);
      const envelope = await call(prepared, ["collect", withStdout ? "1" : "0"], COLLECT_TIMEOUT_MS);
      if (envelope === undefined) return { step: { kind: "failed", message: "the harness returned nothing" }, healthy: false };
      return { step: { kind: "done", envelope }, healthy: true };
    } catch (error) {
      return { step: failure(error, prepared.owner, shift), healthy: false };
    }
  };
  /** Console output after a failed step, when the isolate is still there to ask. */
  const salvageStdout = async (prepared: Prepared): Promise<string | undefined> => {
    if (prepared.owner.isolate.isDisposed || killedFor !== undefined) return undefined;
    try {
      return await call(prepared, ["collect", "1"], SALVAGE_TIMEOUT_MS);
    } catch {
      return undefined;
    }
  };

  const runJob = async (prepared: Prepared, job: SandboxJob, outcome: SandboxOutcome): Promise<boolean> => {
    const isolate = prepared.owner.isolate;
    if (job.kind === "run") {
      const mode = await chooseMode(isolate, job.code);
      if (!mode.ok) {
        outcome.main = mode.step;
        return true;
      }
      const result = await step(prepared, ["run", mode.program, String(mode.shift)], job.timeoutMs, true, mode.shift);
      outcome.main = result.step;
      if (result.step.kind !== "done") {
        const stdout = await salvageStdout(prepared);
        if (stdout !== undefined) outcome.stdoutEnvelope = stdout;
      }
      return result.healthy;
    }
    return runTestsJob(prepared, job, outcome);
  };
  const runTestsJob = async (prepared: Prepared, job: SandboxTestsJob, outcome: SandboxOutcome): Promise<boolean> => {
    const isolate = prepared.owner.isolate;
    const cases = job.cases ?? [];
    const skipAll = (): SandboxStep[] => cases.map(() => ({ kind: "skipped" }) as SandboxStep);
    const codeMode = await chooseMode(isolate, job.code);
    if (!codeMode.ok) {
      outcome.main = codeMode.step;
      outcome.cases = skipAll();
      return true;
    }
    // testCode runs in its own blocks with assert and require bound to the sandbox's own (the code
    // cannot redefine them for the tests); the prologue stays on one line so line numbers hold.
    const body =
      job.testCode !== undefined
        ? `${job.code}\n;{ const assert = ${options.hookKey}_assert, require = ${options.hookKey}_require; {\n${job.testCode}\n}}`
        : `${job.code}\n;globalThis[${JSON.stringify(options.hookKey)}]((__tinyllm_source) => eval(__tinyllm_source));`;
    const mode = await chooseMode(isolate, body);
    if (!mode.ok) {
      outcome.main = mode.step;
      outcome.cases = skipAll();
      return true;
    }
    const loaded = await step(prepared, ["load", mode.program, String(mode.shift)], job.timeoutMs, false, mode.shift);
    outcome.main = loaded.step;
    let healthy = loaded.healthy;
    const steps: SandboxStep[] = [];
    let loadedOk = false;
    if (loaded.step.kind === "done") {
      try {
        loadedOk = (JSON.parse(loaded.step.envelope) as { s?: unknown }).s === "ok";
      } catch {
        loadedOk = false;
      }
    }
    for (const spec of cases) {
      if (!healthy || !loadedOk) {
        steps.push({ kind: "skipped" });
        continue;
      }
      const result = await step(prepared, ["case", JSON.stringify(spec)], job.timeoutMs, false, mode.shift);
      steps.push(result.step);
      healthy = result.healthy;
    }
    outcome.cases = steps;
    const stdout = await salvageStdout(prepared);
    if (stdout !== undefined) outcome.stdoutEnvelope = stdout;
    return healthy;
  };

  return {
    async run(job) {
      const outcome: SandboxOutcome = { main: { kind: "skipped" }, cold: false, isolatesCreated: 0, codeLines: job.code.split("\n").length };
      if (disposed) {
        outcome.main = { kind: "failed", message: "the sandbox engine was disposed" };
        return outcome;
      }
      killedFor = undefined;
      busy = true;
      let taken: Awaited<ReturnType<typeof take>>;
      try {
        taken = await take(job.memoryLimitMb);
      } catch (error) {
        busy = false;
        outcome.main = { kind: "failed", message: `could not start an isolate: ${errorMessage(error)}` };
        outcome.isolatesCreated = isolatesCreated;
        return outcome;
      }
      const { prepared, cold, temporary } = taken;
      outcome.cold = cold;
      active = [prepared.owner];
      let healthy = false;
      try {
        if (killedFor !== undefined) throw new Error("killed before start");
        healthy = await runJob(prepared, job, outcome);
      } catch (error) {
        outcome.main = failure(error, prepared.owner, 0);
      } finally {
        active = [];
        busy = false;
        finish(prepared, temporary, healthy && killedFor === undefined);
        outcome.isolatesCreated = isolatesCreated;
      }
      return outcome;
    },
    async warmUp() {
      if (disposed) return;
      if (!current || current.isolate.isDisposed) replaceCurrent();
      if (!next && current) prepareNext(current);
      await next;
    },
    kill(reason) {
      killedFor = reason;
      for (const entry of active) disposeIsolate(entry);
    },
    dispose() {
      disposed = true;
      killedFor = "aborted";
      for (const entry of active) disposeIsolate(entry);
      if (current) disposeIsolate(current);
      current = undefined;
      next = undefined;
    },
    catastrophes: () => catastrophes,
    isolatesCreated: () => isolatesCreated,
  };
}
