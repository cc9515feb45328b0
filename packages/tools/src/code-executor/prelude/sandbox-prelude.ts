import {
  ErrorCtor,
  NumberCtor,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectIs,
  PromiseCtor,
  ReflectApply,
  StringCtor,
  TypeErrorCtor,
  clip,
  define,
  g,
  hasOwn,
  indexOf,
  indirectEval,
  jsonParse,
  jsonStringify,
  promiseThen,
  record,
  regexpExec,
  slice,
} from "./intrinsics";
import { deepEqual, jsonEqual, looseEqual } from "./compare-values";
import { formatArgs, inspectSafely } from "./inspect";
import type { AnyFn, CaseSpec, ErrorInfo, Rec, Task } from "./prelude-types";

/** Settings baked into the in-isolate harness. @internal */
export interface SandboxPreludeConfig {
  maxOutputChars: number;
  maxReturnChars: number;
  /** Name the submitted code gets in stack traces, e.g. `snippet.js`. */
  filename: string;
  /** Global name of the one-shot hook through which test programs hand over their scope. */
  hookKey: string;
}

/**
 * The harness function left by the prelude. Ops: `run(program, lineOneShift)`,
 * `load(program, lineOneShift)` (tests), `case(specJson)`, `collect(withStdout)` → envelope JSON.
 *
 * @internal
 */
export type SandboxHarness = (op: string, a?: string, b?: string) => string | undefined;

/**
 * Runs INSIDE a fresh isolate context before the user's code: removes what must not be there
 * (`SharedArrayBuffer`, `Atomics`, `WebAssembly`, `FinalizationRegistry`), installs a capturing
 * `console`, refusing timer stubs and `queueMicrotask`, and returns the harness function that
 * evaluates programs and reports results as JSON envelopes built only from primitives and
 * null-prototype objects.
 *
 * It is bundled with the modules it imports into one script at build time (see
 * `prelude-script.generated.ts`), which the isolate runs before the user's code; the intrinsics
 * it uses are captured then, so user code that replaces `JSON`, `Array.prototype.push` and the
 * like only breaks itself.
 * Everything it does runs under the caller's isolated-vm timeout.
 *
 * @internal
 */
export function sandboxPrelude(config: SandboxPreludeConfig): SandboxHarness {
  const maxOut = config.maxOutputChars;
  const maxReturn = config.maxReturnChars;
  // ---- globals -------------------------------------------------------------------------------
  // No shared memory, no wasm (its memory is outside isolated-vm's limit), no GC callbacks that
  // could run later outside any timeout.
  const removed = ["SharedArrayBuffer", "Atomics", "WebAssembly", "FinalizationRegistry"];
  for (let i = 0; i < removed.length; i++) delete g[removed[i] as string];

  // ---- console -------------------------------------------------------------------------------
  let out = "";
  let truncated = false;
  const write = (text: string): void => {
    if (truncated) return;
    const room = maxOut - out.length;
    if (text.length > room) {
      out += slice(text, 0, room);
      truncated = true;
    } else out += text;
  };
  const log = (...args: unknown[]): void => {
    if (truncated) return;
    const room = maxOut - out.length;
    if (room <= 0) {
      truncated = true;
      return;
    }
    write(formatArgs(args, room) + "\n");
  };
  const counts = record<Record<string, number>>();
  const console = {
    log,
    info: log,
    warn: log,
    error: log,
    debug: log,
    trace: log,
    table: log,
    group: log,
    groupCollapsed: log,
    dir: (value: unknown): void => log(value),
    assert: (condition: unknown, ...args: unknown[]): void => {
      if (!condition) log("Assertion failed" + (args.length ? ":" : ""), ...args);
    },
    count: (label: unknown = "default"): void => {
      const key = StringCtor(label);
      counts[key] = (counts[key] ?? 0) + 1;
      log(`${key}: ${counts[key]}`);
    },
    groupEnd: (): void => undefined,
    time: (): void => undefined,
    timeEnd: (): void => undefined,
    timeLog: (): void => undefined,
  };
  define("console", console);

  // ---- no timers, no event loop --------------------------------------------------------------
  const refuse = (name: string) =>
    function refused(): never {
      throw new TypeErrorCtor(
        `${name} is not available in this sandbox: there are no timers or event loop. Compute results synchronously (promises and await still work).`,
      );
    };
  const timers = ["setTimeout", "setInterval", "setImmediate", "requestAnimationFrame", "requestIdleCallback"];
  for (let i = 0; i < timers.length; i++) define(timers[i] as string, refuse(timers[i] as string));
  const clears = ["clearTimeout", "clearInterval", "clearImmediate", "cancelAnimationFrame", "cancelIdleCallback"];
  for (let i = 0; i < clears.length; i++) define(clears[i] as string, (): void => undefined);
  const resolved = PromiseCtor.resolve();
  define("queueMicrotask", (callback: unknown): void => {
    if (typeof callback !== "function") throw new TypeErrorCtor("queueMicrotask needs a function");
    ReflectApply(promiseThen, resolved, [() => (callback as AnyFn)()]);
  });

  // ---- errors and results --------------------------------------------------------------------
  let lineOneShift = 0;
  const filename = config.filename;
  /** First `filename:line:column` of a stack that is not inside a nested eval, mapped back to the user's code. */
  const locate = (stack: string, info: ErrorInfo): void => {
    const marker = filename + ":";
    let start = 0;
    while (start < stack.length) {
      let end = indexOf(stack, "\n", start);
      if (end === -1) end = stack.length;
      const line = slice(stack, start, end);
      start = end + 1;
      if (indexOf(line, "eval at ", 0) !== -1) continue;
      const at = indexOf(line, marker, 0);
      if (at === -1) continue;
      const match = ReflectApply(regexpExec, /^(\d+):(\d+)/, [slice(line, at + marker.length)]) as string[] | null;
      if (match === null) continue;
      const lineNumber = NumberCtor(match[1]);
      let column = NumberCtor(match[2]);
      if (lineNumber === 1) column -= lineOneShift;
      info.l = lineNumber;
      info.c = column < 1 ? 1 : column;
      return;
    }
  };
  const describeThrown = (thrown: unknown): ErrorInfo => {
    const info = record<ErrorInfo>();
    info.n = "";
    if (thrown !== null && (typeof thrown === "object" || typeof thrown === "function")) {
      let name = "";
      let message = "";
      let stack = "";
      try {
        const value = (thrown as Rec).name;
        if (value !== undefined) name = clip(StringCtor(value), 200);
      } catch {
        /* unreadable */
      }
      try {
        const value = (thrown as Rec).message;
        if (value !== undefined) message = clip(StringCtor(value), 4000);
      } catch {
        /* unreadable */
      }
      try {
        const value = (thrown as Rec).stack;
        if (typeof value === "string") stack = clip(value, 20_000);
      } catch {
        /* unreadable */
      }
      if (name || message || stack) {
        info.n = name || "Error";
        info.m = message;
        if (stack) locate(stack, info);
        return info;
      }
    }
    info.m = "Uncaught " + clip(inspectSafely(thrown, 1000, true), 1000);
    return info;
  };
  const fail = (task: Task, thrown: unknown, prefix?: string): void => {
    const info = describeThrown(thrown);
    if (prefix !== undefined) {
      info.m = prefix + (info.n ? `${info.n}: ` : "") + info.m;
      info.n = "";
      info.x = "serialize";
    }
    task.e = info;
    task.s = "error";
  };
  const replacer = (_key: string, value: unknown): unknown => (typeof value === "bigint" ? StringCtor(value) : value);
  /** Snapshots `value` as JSON text into the task; false when that failed. */
  const finishValue = (task: Task, value: unknown): boolean => {
    let text: string | undefined;
    try {
      text = jsonStringify(value, replacer) as string | undefined;
    } catch (error) {
      fail(task, error, "the result cannot be converted to JSON: ");
      return false;
    }
    if (text !== undefined && text.length > maxReturn) {
      const info = record<ErrorInfo>();
      info.n = "";
      info.m = `the result is ${text.length} characters as JSON; the limit is ${maxReturn}`;
      info.x = "limit";
      task.e = info;
      task.s = "error";
      return false;
    }
    if (text !== undefined) task.v = text;
    task.s = "ok";
    return true;
  };
  const isThenable = (value: unknown): boolean => {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
    return typeof (value as Rec).then === "function";
  };
  /** Like `await value` followed by `onValue`: promise results settle in later microtasks. */
  const settle = (task: Task, value: unknown, onValue: (task: Task, value: unknown) => void): void => {
    let thenable: boolean;
    try {
      thenable = isThenable(value);
    } catch (error) {
      fail(task, error);
      return;
    }
    if (!thenable) {
      onValue(task, value);
      return;
    }
    let promise: Promise<unknown>;
    try {
      promise = new PromiseCtor((resolve) => resolve(value));
    } catch (error) {
      fail(task, error);
      return;
    }
    ReflectApply(promiseThen, promise, [
      (result: unknown) => {
        try {
          onValue(task, result);
        } catch (error) {
          fail(task, error);
        }
      },
      (error: unknown) => fail(task, error),
    ]);
  };
  const newTask = (): Task => {
    const task = record<Task>();
    task.s = "pending";
    return task;
  };
  let task = newTask();
  const start = (program: string, shift: string | undefined): void => {
    lineOneShift = NumberCtor(shift) || 0;
    const current = newTask();
    task = current;
    let value: unknown;
    try {
      value = indirectEval(program);
    } catch (error) {
      fail(current, error);
      return;
    }
    settle(current, value, finishValue);
  };

  // ---- tests ---------------------------------------------------------------------------------
  let evaluator: AnyFn | undefined;
  /** Same own enumerable keys, and `equal` holds for each key's two values. */
  const runCase = (specText: string): void => {
    const current = newTask();
    task = current;
    if (ReflectApply(hasOwn, g, [config.hookKey])) delete g[config.hookKey];
    let spec: CaseSpec;
    let value: unknown;
    try {
      spec = jsonParse(specText) as CaseSpec;
      if (evaluator === undefined)
        throw new TypeErrorCtor("the tests cannot reach the code's functions: the code did not run to its end (a top-level return?)");
      if (typeof spec.call === "string") value = evaluator("(" + spec.call + "\n)");
      else {
        const fn = evaluator(spec.fn);
        if (typeof fn !== "function") throw new TypeErrorCtor(`${spec.fn} is not a function (it is ${fn === null ? "null" : typeof fn})`);
        value = ReflectApply(fn as AnyFn, undefined, jsonParse(spec.args ?? "[]") as unknown[]);
      }
    } catch (error) {
      fail(current, error);
      return;
    }
    settle(current, value, (done, result) => {
      if (!finishValue(done, result)) return;
      const actual = done.v === undefined ? null : jsonParse(done.v);
      done.p = jsonEqual(actual, jsonParse(spec.expected), spec.tol, 0);
    });
  };

  // A small `node:assert` for assertion-style tests (MultiPL-E's JavaScript HumanEval uses it).
  const assertionError = (message: unknown, fallback: string): Error => {
    if (message instanceof ErrorCtor) return message;
    const error = new ErrorCtor(message === undefined ? fallback : StringCtor(message));
    error.name = "AssertionError";
    return error;
  };
  const show = (value: unknown): string => inspectSafely(value, 500, true);
  const compare =
    (name: string, test: (a: unknown, b: unknown) => boolean, expectSame: boolean) =>
    (actual: unknown, expected: unknown, message?: unknown): void => {
      if (test(actual, expected) !== expectSame)
        throw assertionError(message, `${name} failed: actual ${show(actual)}, expected ${expectSame ? "" : "not "}${show(expected)}`);
    };
  const makeAssert = (strict: boolean): AnyFn & Rec => {
    const assert = function assert(value: unknown, message?: unknown): void {
      if (!value) throw assertionError(message, `assertion failed: the value is ${show(value)}`);
    } as AnyFn & Rec;
    const equal = strict ? (a: unknown, b: unknown) => ObjectIs(a, b) : looseEqual;
    const deep = (a: unknown, b: unknown) => deepEqual(a, b, strict, 0);
    const deepStrict = (a: unknown, b: unknown) => deepEqual(a, b, true, 0);
    assert.ok = assert;
    assert.equal = compare("equal", equal, true);
    assert.notEqual = compare("notEqual", equal, false);
    assert.strictEqual = compare("strictEqual", (a, b) => ObjectIs(a, b), true);
    assert.notStrictEqual = compare("notStrictEqual", (a, b) => ObjectIs(a, b), false);
    assert.deepEqual = compare("deepEqual", deep, true);
    assert.notDeepEqual = compare("notDeepEqual", deep, false);
    assert.deepStrictEqual = compare("deepStrictEqual", deepStrict, true);
    assert.notDeepStrictEqual = compare("notDeepStrictEqual", deepStrict, false);
    assert.throws = (fn: unknown, _expected?: unknown, message?: unknown): void => {
      try {
        (fn as AnyFn)();
      } catch {
        return;
      }
      throw assertionError(typeof _expected === "string" ? _expected : message, "Missing expected exception.");
    };
    assert.fail = (message?: unknown): never => {
      throw assertionError(message, "Failed");
    };
    return assert;
  };
  const looseAssert = makeAssert(false);
  const strictAssert = makeAssert(true);
  looseAssert.strict = strictAssert;
  strictAssert.strict = strictAssert;
  // Code under test must not be able to weaken the tests' assertions.
  ObjectFreeze(looseAssert);
  ObjectFreeze(strictAssert);
  const requireShim = (name: unknown): unknown => {
    if (name === "assert" || name === "node:assert") return looseAssert;
    if (name === "assert/strict" || name === "node:assert/strict") return strictAssert;
    throw new ErrorCtor(
      `require(${jsonStringify(StringCtor(name))}) is not available: the sandbox has no modules or Node.js APIs (only "assert" exists, inside tests)`,
    );
  };
  const load = (program: string, shift: string | undefined): void => {
    define("assert", looseAssert);
    define("require", requireShim);
    // The tests read assert and require through these locked names, so code that redefines the
    // globals (globalThis.require = …, var assert = …) does not change what the tests call.
    ObjectDefineProperty(g, `${config.hookKey}_assert`, { value: looseAssert, writable: false, configurable: false, enumerable: false });
    ObjectDefineProperty(g, `${config.hookKey}_require`, { value: requireShim, writable: false, configurable: false, enumerable: false });
    const module = { exports: {} };
    define("module", module);
    define("exports", module.exports);
    define(config.hookKey, (scopedEval: unknown): void => {
      if (evaluator === undefined && typeof scopedEval === "function") evaluator = scopedEval as AnyFn;
    });
    start(program, shift);
  };

  // ---- the harness ---------------------------------------------------------------------------
  const envelope = (withStdout: boolean): string => {
    const result = record<Rec>();
    result.s = task.s;
    if (task.v !== undefined) result.v = task.v;
    if (task.e !== undefined) result.e = task.e;
    if (task.p !== undefined) result.p = task.p;
    if (withStdout) {
      result.o = out;
      result.t = truncated;
    }
    return jsonStringify(result);
  };
  return function harness(op: string, a?: string, b?: string): string | undefined {
    if (op === "run") start(a ?? "", b);
    else if (op === "load") load(a ?? "", b);
    else if (op === "case") runCase(a ?? "");
    else if (op === "collect") return envelope(a === "1");
    return undefined;
  };
}
