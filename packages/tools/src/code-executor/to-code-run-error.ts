import { CodeErrorCode } from "./code-error-code";
import type { CodeRunError } from "./code-executor";
import type { EnvelopeError } from "./read-envelope";
import type { SandboxStep } from "./sandbox-protocol";

/** Limits a result is reported against. @internal */
export interface ResultContext {
  timeoutMs: number;
  wallTimeoutMs: number;
  memoryLimitMb: number;
  maxOutputChars: number;
  maxReturnChars: number;
}

/** Globals people (and models) expect from Node.js or browsers that the sandbox does not have. */
const HOST_NAMES = new Set([
  "require",
  "process",
  "module",
  "exports",
  "Buffer",
  "__dirname",
  "__filename",
  "global",
  "fetch",
  "window",
  "document",
  "XMLHttpRequest",
  "WebSocket",
  "fs",
  "import",
  "performance",
  "structuredClone",
  "TextEncoder",
  "TextDecoder",
  "URL",
  "crypto",
  "navigator",
  "location",
  "localStorage",
  "Deno",
  "Bun",
]);
const NO_HOST_HINT =
  "The sandbox runs plain JavaScript (ECMAScript) without Node.js or browser APIs: no require/import, process, fs, network or timers. Compute with the language itself and print with console.log or return the value.";
const LIMIT_ERRORS = /Invalid string length|Array buffer allocation failed|Invalid typed array length|Invalid array buffer length/;
const TYPESCRIPT_HINTS =
  /:\s*(?:number|string|boolean|any|unknown|void|never|Record<|Array<|[A-Z]\w*(?:\[\])?)\s*[,)=;{]|\binterface\s+\w+|\btype\s+\w+\s*=|\bas\s+(?:const|number|string|any|unknown)\b|<[A-Z]\w*>\s*\(/;

/** A hint for a failure, shown by the tool to the model. */
function hintFor(error: CodeRunError, context: ResultContext, code?: string): string | undefined {
  switch (error.code) {
    case CodeErrorCode.Syntax:
      if (code !== undefined && TYPESCRIPT_HINTS.test(code))
        return "Only JavaScript is accepted, not TypeScript: remove type annotations, interfaces and `as` casts.";
      return error.line ? "Fix the syntax at the reported line and column." : "Fix the syntax.";
    case CodeErrorCode.Timeout:
      return `Look for an endless loop, a promise that is never resolved, or work that grows too fast; a run may execute for ${context.timeoutMs} ms.`;
    case CodeErrorCode.Memory:
      return `Use less memory (the limit is ${context.memoryLimitMb} MB): avoid building huge arrays, strings, maps or objects.`;
    case CodeErrorCode.OutputLimit:
      return "Return a smaller result (a summary, a slice, a count) or print the part you need.";
    case CodeErrorCode.Runtime: {
      const missing = /^ReferenceError: (\S+) is not defined/.exec(error.message)?.[1];
      if (missing && HOST_NAMES.has(missing)) return NO_HOST_HINT;
      if (/is not available in this sandbox|is not available: the sandbox/.test(error.message)) return NO_HOST_HINT;
      if (/^Uncaught /.test(error.message)) return 'Throw Error objects (`throw new Error("…")`) to get a message and a line number.';
      return undefined;
    }
    default:
      return undefined;
  }
}

function finish(error: CodeRunError, context: ResultContext, code?: string): CodeRunError {
  const hint = hintFor(error, context, code);
  if (hint) error.hint = hint;
  return error;
}

/** The error of a harness envelope. @internal */
export function envelopeToError(info: EnvelopeError, context: ResultContext): CodeRunError {
  const message = info.n ? (info.m ? `${info.n}: ${info.m}` : info.n) : info.m || "the code failed";
  let code: CodeErrorCode = CodeErrorCode.Runtime;
  if (info.x === "limit") code = CodeErrorCode.OutputLimit;
  else if (info.n === "RangeError" && LIMIT_ERRORS.test(info.m)) code = CodeErrorCode.Memory;
  const error: CodeRunError = { code, message };
  if (info.l !== undefined) error.line = info.l;
  if (info.c !== undefined) error.column = info.c;
  return finish(error, context);
}

/** The error for a promise that can never settle (checked once the microtask queue is empty). @internal */
export function pendingError(context: ResultContext): CodeRunError {
  return finish(
    {
      code: CodeErrorCode.Timeout,
      message: "the code is waiting for a promise that can never settle: the sandbox has no timers, network or I/O, so nothing is left that could resolve it",
    },
    context,
  );
}

/**
 * The error of a step that did not produce an envelope (`done` and `skipped` steps give
 * `undefined`). `failed` steps give `undefined` too: they are infrastructure errors, thrown by the
 * caller.
 *
 * @internal
 */
export function stepToError(step: SandboxStep, context: ResultContext, code?: string): CodeRunError | undefined {
  switch (step.kind) {
    case "syntax": {
      const error: CodeRunError = {
        code: CodeErrorCode.Syntax,
        message: step.message.startsWith("SyntaxError") ? step.message : `SyntaxError: ${step.message}`,
      };
      if (step.line !== undefined) error.line = step.line;
      if (step.column !== undefined) error.column = step.column;
      return finish(error, context, code);
    }
    case "timeout": {
      const error: CodeRunError = step.wall
        ? { code: CodeErrorCode.Timeout, message: `the code did not finish within ${context.wallTimeoutMs} ms of wall-clock time` }
        : { code: CodeErrorCode.Timeout, message: `the code ran longer than ${context.timeoutMs} ms (an endless loop, or too much work)` };
      if (step.line !== undefined) error.line = step.line;
      if (step.column !== undefined) error.column = step.column;
      return finish(error, context);
    }
    case "runtime": {
      const error: CodeRunError = { code: CodeErrorCode.Runtime, message: step.message };
      if (step.line !== undefined) error.line = step.line;
      if (step.column !== undefined) error.column = step.column;
      return finish(error, context, code);
    }
    case "memory":
      return finish({ code: CodeErrorCode.Memory, message: `the code used more than its ${context.memoryLimitMb} MB memory limit` }, context);
    case "aborted":
      return { code: CodeErrorCode.Aborted, message: "the run was aborted" };
    case "crashed": {
      const oom = step.signal === "SIGABRT" || /out of memory|is_heap_oom|CALL_AND_RETRY|Reached heap limit|allocation failed/i.test(step.stderr);
      if (oom)
        return finish(
          {
            code: CodeErrorCode.Memory,
            message: `the code exhausted memory so fast that V8 aborted the sandbox process (fatal out-of-memory); the limit is ${context.memoryLimitMb} MB`,
          },
          context,
        );
      return finish(
        { code: CodeErrorCode.Runtime, message: `the sandbox process crashed (${step.signal ?? `exit code ${step.exitCode ?? "unknown"}`})` },
        context,
      );
    }
    default:
      return undefined;
  }
}
