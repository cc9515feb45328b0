import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodeErrorCode } from "./code-error-code";
import type { CodeExecutor, CodeIsolation, CodeRunOptions, CodeRunResult } from "./code-executor";
import { createCodeExecutor } from "./create-code-executor";

/**
 * Hostile snippets. Each must end with the expected error code (or, where the snippet is harmless,
 * with proof that it could not reach the host), leave the host process unharmed, and leave the
 * executor working: the next run must succeed with clean globals.
 */
interface Hostile {
  name: string;
  code: string;
  /** Expected error code(s); omit when the run must succeed. */
  code_?: string | string[];
  check?: (result: CodeRunResult) => void;
  /** V8 aborts the whole process on this one (fatal OOM isolated-vm cannot catch): process isolation only. */
  fatalInProcess?: boolean;
  /**
   * Overrides for bombs that need longer than the default limits to reach the memory limit (string
   * flattening, JSON.parse and friends are native code that the CPU timer cannot interrupt; on a
   * loaded machine they can pass the 1.5 s wall clock, which would also contain them, but less precisely).
   */
  runOptions?: CodeRunOptions;
}

const SLOW_BOMB: CodeRunOptions = { timeoutMs: 5000, wallTimeoutMs: 8000 };
const LIMITS = { memoryLimitMb: 32, timeoutMs: 250, wallTimeoutMs: 1500, maxOutputChars: 2000, maxReturnChars: 10_000, poolSize: 2 };

const ok = (check: (value: unknown, result: CodeRunResult & { ok: true }) => void) => (result: CodeRunResult) => {
  expect(result.ok, JSON.stringify(result)).toBe(true);
  if (result.ok) check(result.returnValue, result);
};
const message = (pattern: RegExp) => (result: CodeRunResult) => {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.message).toMatch(pattern);
};

const HOSTILE: Hostile[] = [
  // ---- CPU and time ----------------------------------------------------------------------
  { name: "while(true){}", code: "while(true){}", code_: CodeErrorCode.Timeout, check: (r) => !r.ok && expect(r.error.line).toBe(1) },
  {
    name: "for(;;){} inside a function",
    code: "function spin() {\n  for (;;) {}\n}\nspin();",
    code_: CodeErrorCode.Timeout,
    check: (r) => !r.ok && expect(r.error.line).toBe(2),
  },
  { name: "unbounded recursion", code: "function f() { f(); }\nf();", code_: CodeErrorCode.Runtime, check: message(/Maximum call stack size exceeded/) },
  { name: "catastrophic regexp backtracking", code: '/(a+)+$/.test("a".repeat(40) + "b")', code_: CodeErrorCode.Timeout },
  { name: "async function with an endless loop", code: "async function f() { while (true) {} }\nf();", code_: CodeErrorCode.Timeout },
  {
    name: "promise flood in a sync loop",
    code: "for (;;) Promise.resolve().then(() => {});",
    code_: [CodeErrorCode.Timeout, CodeErrorCode.Memory],
    runOptions: SLOW_BOMB,
  },
  { name: "self-feeding microtask chain", code: "(function f() { Promise.resolve().then(f); })();", code_: CodeErrorCode.Timeout },
  { name: "await a promise that never settles", code: "await new Promise(() => {});", code_: CodeErrorCode.Timeout, check: message(/can never settle/) },
  { name: "endless loop after an await", code: "await null;\nwhile (true) {}", code_: CodeErrorCode.Timeout },
  { name: "queueMicrotask with an endless loop", code: "queueMicrotask(() => { while (true) {} });", code_: CodeErrorCode.Timeout },
  { name: "setTimeout(() => {}, 1e9)", code: "setTimeout(() => {}, 1e9);", code_: CodeErrorCode.Runtime, check: message(/setTimeout is not available/) },
  {
    name: "setInterval",
    code: "setInterval(() => { globalThis.n = (globalThis.n ?? 0) + 1; }, 1);",
    code_: CodeErrorCode.Runtime,
    check: message(/setInterval is not available/),
  },
  {
    name: "spreading an endless generator",
    code: "function* g() { while (true) yield 1; }\n[...g()].length",
    code_: [CodeErrorCode.Memory, CodeErrorCode.Timeout],
    runOptions: SLOW_BOMB,
  },
  { name: "getter that loops, read by console.log", code: "console.log({ get a() { while (true) {} } });", code_: CodeErrorCode.Timeout },

  // ---- memory ----------------------------------------------------------------------------
  { name: "new Array(1e9).fill(0)", code: "new Array(1e9).fill(0)", code_: CodeErrorCode.Memory, fatalInProcess: true, runOptions: SLOW_BOMB },
  { name: "string doubling bomb", code: 'let s = "x";\nfor (;;) s += s;', code_: CodeErrorCode.Memory, runOptions: SLOW_BOMB },
  { name: "a 256 MB rope string is harmless (never flattened)", code: '"x".repeat(2 ** 28).length', check: ok((value) => expect(value).toBe(2 ** 28)) },
  { name: "one huge flat string", code: '"x".repeat(2 ** 27).toUpperCase().length', code_: CodeErrorCode.Memory, runOptions: SLOW_BOMB },
  {
    name: "array of distinct big strings",
    code: 'const a = [];\nfor (;;) a.push(("x" + a.length).repeat(1e5).toUpperCase());',
    code_: CodeErrorCode.Memory,
    runOptions: SLOW_BOMB,
  },
  {
    name: "ArrayBuffer allocation bomb",
    code: "const bufs = [];\nfor (;;) bufs.push(new ArrayBuffer(1e7));",
    code_: CodeErrorCode.Memory,
    runOptions: SLOW_BOMB,
  },
  {
    name: "ever-growing Map",
    code: "const m = new Map();\nfor (let i = 0; ; i++) m.set(i, i);",
    code_: [CodeErrorCode.Memory, CodeErrorCode.Timeout],
    fatalInProcess: true,
    runOptions: SLOW_BOMB,
  }, // under load the wall clock may stop the growth before the memory limit does
  {
    name: "ever-growing object",
    code: 'const o = {};\nfor (let i = 0; ; i++) o["k" + i] = i;',
    code_: [CodeErrorCode.Memory, CodeErrorCode.Timeout],
    fatalInProcess: true,
    runOptions: SLOW_BOMB,
  }, // under load the wall clock may stop the growth before the memory limit does
  {
    name: "deep JSON.parse bomb returned",
    code: 'JSON.parse("[".repeat(1e6) + "]".repeat(1e6))',
    code_: [CodeErrorCode.Runtime, CodeErrorCode.OutputLimit, CodeErrorCode.Memory, CodeErrorCode.Timeout],
    runOptions: SLOW_BOMB,
  }, // native JSON.parse ignores the CPU timer; under load the wall clock may stop it first
  {
    name: "WebAssembly memory bomb",
    code: "new WebAssembly.Memory({ initial: 65536 })",
    code_: CodeErrorCode.Runtime,
    check: message(/WebAssembly is not defined/),
  },

  // ---- output and results ----------------------------------------------------------------
  {
    name: "output bomb",
    code: 'for (;;) console.log("x".repeat(1e6));',
    code_: CodeErrorCode.Timeout,
    check: (r) => {
      expect(r.truncated).toBe(true);
      expect(r.stdout.length).toBeLessThan(LIMITS.maxOutputChars + 100);
      expect(r.stdout).toContain("[output truncated");
    },
  },
  {
    name: "many small lines",
    code: "for (let i = 0; i < 1e5; i++) console.log(i);\n'done'",
    check: ok((value, r) => (expect(value).toBe("done"), expect(r.truncated).toBe(true), expect(r.stdout.length).toBeLessThan(2100))),
  },
  { name: "100 MB string as return value", code: '"x".repeat(1e8)', code_: CodeErrorCode.Memory, runOptions: SLOW_BOMB },
  { name: "return value over maxReturnChars", code: '"x".repeat(5e5)', code_: CodeErrorCode.OutputLimit },
  {
    name: "return value nested too deeply",
    code: "let v = [];\nfor (let i = 0; i < 200; i++) v = [v];\nv",
    code_: CodeErrorCode.OutputLimit,
    check: message(/nests/),
  },
  { name: "cyclic return value", code: "const a = {};\na.self = a;\na", code_: CodeErrorCode.Runtime, check: message(/cannot be converted to JSON/) },
  { name: "returning a function", code: "() => process", check: ok((value) => expect(value).toBeUndefined()) },
  { name: "returning a symbol", code: 'Symbol("x")', check: ok((value) => expect(value).toBeUndefined()) },
  { name: "getter on the returned object loops (runs in the sandbox, not the host)", code: "({ get x() { while (true) {} } })", code_: CodeErrorCode.Timeout },
  { name: "Proxy returned: ownKeys trap loops", code: "new Proxy({}, { ownKeys() { while (true) {} } })", code_: CodeErrorCode.Timeout },
  {
    name: "Proxy returned: traps only see sandbox calls",
    code: 'new Proxy({ a: 1 }, { get: (t, k) => k === "toJSON" ? undefined : "trap:" + String(k) })',
    check: ok((value) => expect(value).toEqual({ a: "trap:a" })),
  },
  {
    name: "toString/valueOf traps on the returned object are never called",
    code: "({ toString() { while (true) {} }, valueOf() { while (true) {} }, [Symbol.toPrimitive]() { while (true) {} }, n: 1 })",
    check: ok((value) => expect(value).toEqual({ n: 1 })),
  },
  {
    name: "Object.prototype.toJSON cannot forge the envelope",
    code: 'Object.prototype.toJSON = () => "pwned";\nconsole.log("hi");\n({ a: 1 })',
    check: ok((value, r) => (expect(value).toBe("pwned"), expect(r.stdout).toBe("hi\n"))),
  },
  {
    name: "replaced JSON and console do not break reporting",
    code: "JSON.stringify = () => '\"forged\"';\nJSON.parse = () => 0;\nconsole.log = null;\n42",
    check: ok((value) => expect(value).toBe(42)),
  },

  // ---- escapes ---------------------------------------------------------------------------
  {
    name: 'this.constructor.constructor("return process")()',
    code: 'this.constructor.constructor("return process")()',
    code_: CodeErrorCode.Runtime,
    check: message(/process is not defined/),
  },
  {
    name: '({}).constructor.constructor("return this")().process',
    code: '({}).constructor.constructor("return this")().process',
    check: ok((value) => expect(value).toBeUndefined()),
  },
  {
    name: 'Function("return globalThis")().require',
    code: 'typeof Function("return globalThis")().require',
    check: ok((value) => expect(value).toBe("undefined")),
  },
  { name: 'import("fs")', code: 'await import("fs")', code_: CodeErrorCode.Runtime, check: message(/Not supported/) },
  {
    name: 'require("child_process")',
    code: 'require("child_process").execSync("id")',
    code_: CodeErrorCode.Runtime,
    check: (r) => !r.ok && (expect(r.error.message).toMatch(/require is not defined/), expect(r.error.hint).toMatch(/no require/)),
  },
  { name: "process.exit()", code: "process.exit(1)", code_: CodeErrorCode.Runtime, check: message(/process is not defined/) },
  {
    name: "globalThis.fetch",
    code: "[typeof globalThis.fetch, typeof XMLHttpRequest, typeof WebSocket]",
    check: ok((value) => expect(value).toEqual(["undefined", "undefined", "undefined"])),
  },
  {
    name: "new SharedArrayBuffer(1024)",
    code: "new SharedArrayBuffer(1024)",
    code_: CodeErrorCode.Runtime,
    check: message(/SharedArrayBuffer is not defined/),
  },
  { name: "Atomics.wait", code: "Atomics.wait(new Int32Array(4), 0, 0, 1e9)", code_: CodeErrorCode.Runtime, check: message(/Atomics is not defined/) },
  {
    name: "global names: nothing of the host, no harness internals",
    code: "Reflect.ownKeys(globalThis).map(String)",
    check: ok((value) => {
      const names = value as string[];
      for (const forbidden of [
        "process",
        "require",
        "module",
        "Buffer",
        "global",
        "fetch",
        "WebAssembly",
        "SharedArrayBuffer",
        "Atomics",
        "FinalizationRegistry",
        "_ivm",
        "ivm",
      ])
        expect(names).not.toContain(forbidden);
      expect(names.filter((name) => name.startsWith("__tinyllm"))).toEqual([]);
    }),
  },
  {
    name: "console.log.constructor reaches only the sandbox Function",
    code: 'console.log.constructor("return typeof process")()',
    check: ok((value) => expect(value).toBe("undefined")),
  },
  { name: "Object.prototype pollution", code: "Object.prototype.polluted = 1;\n({}).polluted", check: ok((value) => expect(value).toBe(1)) },
  { name: "Array.prototype.push = null", code: "Array.prototype.push = null;\n[].push === null", check: ok((value) => expect(value).toBe(true)) },
  {
    name: "harness intrinsics sabotaged, errors still reported with lines",
    code: 'String.prototype.indexOf = null;\nString.prototype.slice = null;\nObject.defineProperty(Array.prototype, "0", { set() { throw 1; } });\nthrow new Error("still seen");',
    code_: CodeErrorCode.Runtime,
    check: (r) => !r.ok && (expect(r.error.message).toBe("Error: still seen"), expect(r.error.line).toBe(4)),
  },
  {
    name: "Error.prepareStackTrace reading frames",
    code: 'Error.prepareStackTrace = (e, frames) => frames.map((f) => typeof f.getThis() + ":" + typeof f.getFunction()).join(",");\nnull.x;',
    code_: CodeErrorCode.Runtime,
  },
  { name: "Error.prepareStackTrace that loops", code: "Error.prepareStackTrace = () => { while (true) {} };\nnull.x;", code_: CodeErrorCode.Timeout },
  { name: "thrown object whose message getter loops", code: "throw { get message() { while (true) {} } };", code_: CodeErrorCode.Timeout },
  { name: "throw 1", code: "throw 1;", code_: CodeErrorCode.Runtime, check: message(/^Uncaught 1$/) },
  { name: "throw null", code: "throw null;", code_: CodeErrorCode.Runtime, check: message(/^Uncaught null$/) },
  {
    name: "throwing a Proxy whose traps throw",
    code: 'throw new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } });',
    code_: CodeErrorCode.Runtime,
  },
  {
    name: "Symbol.prototype.toString sabotaged before logging a symbol",
    code: 'Symbol.prototype.toString = () => { while (true) {} };\nconsole.log(Symbol("s"));\n"ok"',
    check: ok((value, r) => (expect(value).toBe("ok"), expect(r.stdout).toBe("Symbol(s)\n"))),
  },
  {
    name: "Symbol.for registry carries nothing to the host",
    code: 'Symbol.keyFor(Symbol.for("tinyllm"))',
    check: ok((value) => expect(value).toBe("tinyllm")),
  },
  { name: "debugger statement", code: "debugger;\n1", check: ok((value) => expect(value).toBe(1)) },
  {
    name: "eval inside the sandbox stays inside",
    code: 'eval("typeof process + typeof require + (1 + 1)")',
    check: ok((value) => expect(value).toBe("undefinedundefined2")),
  },
  {
    name: "arguments.callee.caller",
    code: "function f() {\n  const caller = arguments.callee.caller;\n  return caller === null ? null : String(caller).slice(0, 60);\n}\nf()",
    check: ok((value) => expect(value).toBeNull()),
  },
  {
    name: "async-wrapper injection runs only sandbox code",
    code: 'await 1; }); (function () { throw new Error("escaped?"); })(); (async function () {',
    code_: CodeErrorCode.Runtime,
    check: message(/escaped\?/),
  },
  {
    name: "syntax error with a line number",
    code: "let a = 1;\nlet b = ;",
    code_: CodeErrorCode.Syntax,
    check: (r) => !r.ok && (expect(r.error.line).toBe(2), expect(r.error.column).toBe(9)),
  },
];

const hostGlobals = Object.getOwnPropertyNames(globalThis).sort();
const hostObjectProto = Object.getOwnPropertyNames(Object.prototype).sort();
const hostArrayPush = Array.prototype.push;

for (const isolation of ["process", "in-process"] as CodeIsolation[]) {
  describe(`hostile code (${isolation})`, () => {
    let executor: CodeExecutor;
    let baselineRss = 0;
    let baselineHeap = 0;
    // In process isolation the host holds no isolate at all; in-process, isolates live in this process.
    // Measured: ≤ 7 MB growth in process isolation, ≤ 50 MB in-process (isolates are disposed and their memory returned).
    const rssBudget = isolation === "process" ? 100 * 2 ** 20 : 512 * 2 ** 20;

    beforeAll(async () => {
      executor = createCodeExecutor({ ...LIMITS, isolation });
      await executor.warmUp();
      baselineRss = process.memoryUsage().rss;
      baselineHeap = process.memoryUsage().heapUsed;
    });
    afterAll(async () => {
      await executor.dispose();
    });

    it("has at least 45 snippets", () => {
      expect(HOSTILE.length).toBeGreaterThanOrEqual(45);
    });

    for (const hostile of HOSTILE) {
      it.skipIf(isolation === "in-process" && hostile.fatalInProcess)(hostile.name, async () => {
        const result = await executor.run(hostile.code, hostile.runOptions);
        if (hostile.code_ !== undefined) {
          expect(result.ok, JSON.stringify(result).slice(0, 500)).toBe(false);
          if (!result.ok) expect([hostile.code_].flat(), result.error.message).toContain(result.error.code);
        }
        hostile.check?.(result);

        // The host is untouched.
        expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(hostGlobals);
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(hostObjectProto);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Array.prototype.push).toBe(hostArrayPush);
        expect(JSON.stringify({ a: [1] })).toBe('{"a":[1]}');
        const memory = process.memoryUsage();
        expect(memory.heapUsed - baselineHeap).toBeLessThan(48 * 2 ** 20);
        expect(memory.rss - baselineRss).toBeLessThan(rssBudget);

        // The next run works, with fresh globals.
        const next = await executor.run(
          "[typeof process, typeof require, ({}).polluted === undefined, [1].push(2), typeof Object.prototype.toJSON, typeof JSON.stringify({})]",
        );
        expect(next).toMatchObject({ ok: true, returnValue: ["undefined", "undefined", true, 2, "undefined", "string"] });
      });
    }
  });
}
