import { readFile } from "node:fs/promises";
import path from "node:path";
import { TinyLLMError } from "@tinyllm/core";
import { parse } from "yaml";
import type { CodeTests } from "../checks/code-check";
import { GradingErrorCode } from "../grading-error-code";

/** Options of {@link loadCodeTests}. */
export interface LoadCodeTestsOptions {
  /** The function under test, for a Python `check(candidate)`; guessed from `answer` and `query` when not given. */
  entryPoint?: string;
  /** The answer the tests are for (to guess the entry point). */
  answer?: string;
  /** The question (to pick among several functions of the answer). */
  query?: string;
}

/** Largest tests file read, in bytes. */
const maxBytes = 1_000_000;

/**
 * Reads tests for the code check from a file:
 * - `.py`: a HumanEval `check(candidate)` (the entry point is guessed from the answer when there
 *   is one function, or one named in the query), or MBPP-style `assert` lines, or plain test code;
 * - `.js` / `.mjs` / `.cjs`: assertions run after the code;
 * - `.json` / `.yaml`: `{ language, testCode, entryPoint, asserts, setup }`.
 *
 * Throws `GRADING_INPUT_INVALID` with a hint for a missing, empty, oversized or unreadable file,
 * an unknown type, or an entry point that cannot be told.
 */
export async function loadCodeTests(file: string, { entryPoint, answer = "", query = "" }: LoadCodeTestsOptions = {}): Promise<CodeTests> {
  const text = await readText(file);
  if (text.length > maxBytes) throw invalid(`${file} is larger than 1 MB`);
  const ext = path.extname(file).toLowerCase();
  if (text.trim() === "") throw invalid(`${file} has no tests in it`, "write assertions, or a check(candidate) function for Python");
  if (entryPoint !== undefined && !/^[A-Za-z_$][\w$]*$/.test(entryPoint))
    throw invalid(`the entry point must be a function name (got '${entryPoint.slice(0, 80)}')`);
  if (ext === ".py") {
    if (/^def check\(/m.test(text)) return { language: "python", testCode: text, entryPoint: entryPoint ?? guessEntryPoint(answer, query) };
    const lines = text.split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
    if (lines.length > 0 && lines.every((line) => /^assert\b/.test(line))) return { language: "python", asserts: lines };
    return { language: "python", testCode: text, ...(entryPoint ? { entryPoint } : {}) };
  }
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") return { language: "javascript", testCode: text, ...(entryPoint ? { entryPoint } : {}) };
  if (ext === ".json" || ext === ".yaml" || ext === ".yml") {
    let data: unknown;
    try {
      data = parse(text, { maxAliasCount: 50 });
    } catch (error) {
      throw invalid(`${file} does not parse: ${(error as Error).message.split("\n")[0]}`);
    }
    const tests = data as CodeTests;
    const hasCode = typeof tests?.testCode === "string" && tests.testCode.trim() !== "";
    const hasAsserts = Array.isArray(tests?.asserts) && tests.asserts.length > 0 && tests.asserts.every((a) => typeof a === "string" && a.trim() !== "");
    const ok =
      typeof data === "object" &&
      data !== null &&
      (hasCode || hasAsserts) &&
      (tests.language === undefined || tests.language === "python" || tests.language === "javascript") &&
      (tests.entryPoint === undefined || (typeof tests.entryPoint === "string" && /^[A-Za-z_$][\w$]*$/.test(tests.entryPoint))) &&
      (tests.setup === undefined || typeof tests.setup === "string");
    if (!ok)
      throw invalid(`${file} needs a non-empty testCode (text) or asserts (a list of text), language python or javascript, and entryPoint a function name`);
    return { ...tests, ...(entryPoint ? { entryPoint } : {}) };
  }
  throw invalid(`unknown test file type '${ext || path.basename(file)}'`, "use .py, .js, .json or .yaml");
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : (error as Error).message}`,
    );
  }
}

function guessEntryPoint(answer: string, query: string): string {
  const names = [...new Set([...answer.matchAll(/^(?:async\s+)?def ([A-Za-z_]\w*)\s*\(/gm)].map((m) => m[1]!))].filter(
    (name) => name !== "check" && !name.startsWith("_") && !name.startsWith("test"),
  );
  if (names.length === 1) return names[0]!;
  const named = names.filter((name) => new RegExp(`\\b${name}\\b`).test(query));
  if (named.length === 1) return named[0]!;
  if (names.length === 0)
    throw invalid(
      "the tests define check(candidate), and the answer defines no Python function",
      "pass the entry point (--entry-point NAME), or check the answer",
    );
  throw invalid(
    `the tests define check(candidate), and the answer defines several functions (${names.slice(0, 5).join(", ")})`,
    "pass the entry point (--entry-point NAME)",
  );
}

function invalid(message: string, hint?: string): TinyLLMError {
  return new TinyLLMError({ code: GradingErrorCode.InputInvalid, message, ...(hint ? { hint } : {}) });
}
