import { TinyLLMError } from "@tinyllm/core";
import { LineCounter, parseDocument } from "yaml";
import { GradingErrorCode } from "../grading-error-code";
import { RubricSchema, type Rubric } from "./rubric-schema";

/** Largest rubric file accepted, in bytes. */
const maxRubricBytes = 256 * 1024;

/**
 * Parses and validates one rubric from YAML text (or an already parsed object). Every problem is
 * reported at once, with `file:line:col` when the text came from a file.
 *
 * @throws TinyLLMError `GRADING_RUBRIC_INVALID` with every problem in the message.
 *
 * @example
 * ```ts
 * const rubric = parseRubric(`
 * id: general
 * threshold: 0.6
 * dimensions:
 *   - { name: correctness, weight: 2, description: Facts and reasoning are right. }
 *   - { name: clarity, weight: 1, description: Easy to follow. }
 * `);
 * ```
 */
export function parseRubric(source: string | object, options: { file?: string } = {}): Rubric {
  const where = options.file ?? "rubric";
  let data: unknown = source;
  let locate: (path: (string | number)[]) => string = () => where;
  if (typeof source === "string") {
    if (Buffer.byteLength(source) > maxRubricBytes)
      throw invalid(`${where}: the rubric is larger than ${maxRubricBytes / 1024} KB`, "a rubric is a short YAML file; check that the right file was given");
    const lineCounter = new LineCounter();
    const doc = parseDocument(source, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      const pos = lineCounter.linePos(first.pos[0]);
      throw invalid(`${where}:${pos.line}:${pos.col}: YAML does not parse: ${first.message.split("\n")[0]}`, "fix the YAML syntax");
    }
    try {
      data = doc.toJS({ maxAliasCount: 50 });
    } catch (error) {
      throw invalid(`${where}: the YAML cannot be read: ${(error as Error).message.split("\n")[0]}`, "rubrics need no YAML aliases; write the values out");
    }
    locate = (path) => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      if (!node?.range) return where;
      const pos = lineCounter.linePos(node.range[0]);
      return `${where}:${pos.line}:${pos.col}`;
    };
  }
  const parsed = RubricSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
      return `${locate(path)}: ${path.length > 0 ? `${path.join(".")}: ` : ""}${issue.message}`;
    });
    throw invalid(lines.join("\n"), "see docs/grading.md for the rubric format");
  }
  const rubric = parsed.data;
  const names = new Set<string>();
  for (const [i, dimension] of rubric.dimensions.entries()) {
    if (names.has(dimension.name))
      throw invalid(`${locate(["dimensions", i, "name"])}: dimension '${dimension.name}' is listed twice`, "give each dimension a distinct name");
    names.add(dimension.name);
  }
  if (rubric.checks.minChars > rubric.checks.maxChars)
    throw invalid(`${locate(["checks"])}: checks.minChars is larger than checks.maxChars`, "make minChars ≤ maxChars");
  return rubric;
}

function invalid(message: string, hint: string): TinyLLMError {
  return new TinyLLMError({ code: GradingErrorCode.RubricInvalid, message, hint });
}
