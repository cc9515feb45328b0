import { CodeErrorCode } from "../code-executor/code-error-code";
import type { CodeRunError } from "./python-result-types";
import type { PythonJobOutcome, PythonStepResult } from "./python-job-protocol";

/** Limits and sources a result is reported against. @internal */
export interface PythonResultContext {
  timeoutMs: number;
  /** Wall-clock limit of one step (its `ITIMER_REAL`). */
  stepWallMs: number;
  wallTimeoutMs: number;
  memoryLimitMb: number;
  cpuSeconds: number;
  maxOutputChars: number;
  maxResultBytes: number;
  /** The test source (`testCode` or `setup`), for quoting the failed line. */
  testSource?: string;
}

const SANDBOX_HINT =
  "The sandbox allows no file writes, no files outside the Python standard library, no network, no subprocesses, no signals and no ctypes: compute in memory and print the result.";
const MEMORY_TEXT = /MemoryError|Cannot allocate memory|out of memory/i;

function hintFor(kind: PythonStepResult["k"], message: string, context: PythonResultContext): string | undefined {
  switch (kind) {
    case "syntax":
      return "Fix the syntax at the reported line (the code must be Python 3).";
    case "timeout":
    case "stall":
    case "cpu":
      return `Look for an endless loop or work that grows too fast; each step may run for ${context.timeoutMs} ms.`;
    case "memory":
      return `Use less memory (the limit is ${context.memoryLimitMb} MB): avoid building huge lists, strings or dicts.`;
    case "exit":
      return "Do not end the process (sys.exit(), exit(), quit(), os._exit()): return values from functions instead.";
    case "protocol":
      return "Return values from functions; do not write to the process's file descriptors or change the harness.";
    case "plain":
      return "Return plain values (numbers, strings, lists, tuples, dicts, sets, None) rather than objects of your own classes.";
    case "runtime":
      if (message.includes("[sandbox]")) return SANDBOX_HINT;
      if (/^ModuleNotFoundError/.test(message)) return "Only the Python standard library is available (no numpy, pandas or other third-party packages).";
      if (/^RecursionError/.test(message))
        return "Recursion went deeper than Python's limit (1000 frames unless raised with sys.setrecursionlimit); use a loop or an explicit stack.";
      if (/^NameError: name '(exit|quit)' /.test(message)) return "Do not end the process: return values from functions instead.";
      return undefined;
    default:
      return undefined;
  }
}

function stepMessage(result: PythonStepResult, context: PythonResultContext): string {
  switch (result.k) {
    case "timeout":
      return `the code ran longer than ${context.timeoutMs} ms (an endless loop, or too much work)`;
    case "stall":
      return `the code did not finish a step within ${context.stepWallMs} ms of wall-clock time (sleeping or waiting, or the machine is overloaded)`;
    case "cpu":
      return `the code used more than its ${context.cpuSeconds} s of CPU time`;
    case "memory":
      return `the code used more than its ${context.memoryLimitMb} MB memory limit (MemoryError)`;
    default:
      return result.m || "the code failed";
  }
}

/** The failed line of the test source, to quote in an assertion's message. */
function testLine(context: PythonResultContext, line: number | undefined): string | undefined {
  if (line === undefined || context.testSource === undefined) return undefined;
  const text = context.testSource.split("\n")[line - 1]?.trim();
  if (!text) return undefined;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The error of a step the harness reported (any kind but `ok`). @internal */
export function stepToRunError(result: PythonStepResult, context: PythonResultContext): CodeRunError {
  const code =
    result.k === "syntax"
      ? CodeErrorCode.Syntax
      : result.k === "timeout" || result.k === "stall" || result.k === "cpu"
        ? CodeErrorCode.Timeout
        : result.k === "memory"
          ? CodeErrorCode.Memory
          : CodeErrorCode.Runtime;
  let message = stepMessage(result, context);
  if (result.at === "testCode" && message === "AssertionError") {
    const quoted = testLine(context, result.l);
    if (quoted) message = `AssertionError: ${quoted}`;
  }
  const error: CodeRunError = { code, message };
  if (result.l !== undefined) error.line = result.l;
  if (result.c !== undefined) error.column = result.c;
  if (result.at !== undefined) error.location = result.at;
  const hint = hintFor(result.k, message, context);
  if (hint) error.hint = hint;
  return error;
}

/**
 * Why a process ended without finishing its report: killed by the host (wall-clock limit, abort,
 * flood), by its CPU limit, by a crash, or by the code ending the process
 * itself. `processName` starts the message ("the Python process": the one running the code).
 *
 * @internal
 */
export function endToRunError(outcome: PythonJobOutcome, context: PythonResultContext, processName = "the Python process"): CodeRunError {
  const { stopped, signal, exitCode, stderr } = outcome;
  if (stopped === "abort") return { code: CodeErrorCode.Aborted, message: "the run was aborted" };
  if (stopped === "wall") {
    return {
      code: CodeErrorCode.Timeout,
      message: `the code did not finish within ${context.wallTimeoutMs} ms of wall-clock time`,
      hint: hintFor("timeout", "", context) ?? "",
    };
  }
  if (stopped === "flood") {
    return {
      code: CodeErrorCode.OutputLimit,
      message: `the code wrote more than ${context.maxResultBytes} bytes straight to the process's output`,
      hint: "Print with print(); output beyond the limit is dropped anyway.",
    };
  }
  if (signal === "SIGKILL" || signal === "SIGXCPU") {
    return {
      code: CodeErrorCode.Timeout,
      message: `${processName} was killed (${signal}) at its CPU-time limit of ${context.cpuSeconds} s`,
      hint: hintFor("cpu", "", context) ?? "",
    };
  }
  if (MEMORY_TEXT.test(stderr)) {
    return {
      code: CodeErrorCode.Memory,
      message: `${processName} ran out of memory (limit ${context.memoryLimitMb} MB) and stopped${signal ? ` (${signal})` : ""}`,
      hint: hintFor("memory", "", context) ?? "",
    };
  }
  if (signal) {
    return {
      code: CodeErrorCode.Runtime,
      message: `${processName} crashed (${signal})`,
      hint: "Often very deep recursion after raising sys.setrecursionlimit; use a loop or an explicit stack.",
    };
  }
  const lastLine = stderr.trim().split("\n").pop();
  return {
    code: CodeErrorCode.Runtime,
    message: `${processName} ended (exit code ${exitCode ?? "unknown"}) before it reported a result${exitCode === 70 && lastLine ? `: ${lastLine}` : ""}`,
    hint: hintFor("exit", "", context) ?? "",
  };
}
