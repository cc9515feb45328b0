import type { Condition } from "./condition";
import type { ConditionSyntaxError } from "./condition-syntax-error";
import { MAX_CONDITION_LENGTH } from "./condition-limits";
import { ConditionSyntaxFailure } from "./condition-syntax-failure";
import { compileCondition } from "./compile-condition";
import { parseConditionTree } from "./parse-condition-tree";
import { tokenizeCondition } from "./tokenize-condition";

/**
 * Outcome of {@link parseCondition}: a compiled condition, or the first syntax error.
 */
export type ParseConditionResult = { ok: true; condition: Condition } | { ok: false; error: ConditionSyntaxError };

function failure(offset: number, message: string): ParseConditionResult {
  return { ok: false, error: { message, offset } };
}

/**
 * Parses and compiles an edge condition such as
 * `confidence >= 0.8 and route.name in ["code", "math"]`.
 *
 * The language has number, string (`"…"` or `'…'`), `true`/`false`/`null` and list
 * literals; field paths like `route.labels[0]`; comparisons `==` `!=` `<` `<=` `>` `>=`;
 * membership `in` / `not in`; and `and`/`&&`, `or`/`||`, `not`/`!` with parentheses.
 * Precedence, tightest first: `not`, comparison, `and`, `or`. Sources over 2,000
 * characters or nested more than 64 levels are rejected. No `eval` is involved: the
 * expression is compiled once into closures.
 *
 * Never throws: syntax errors come back as `{ ok: false, error }` with a 0-based offset.
 *
 * @example
 * ```ts
 * const result = parseCondition('confidence > 0.5 and "code" in labels');
 * if (result.ok) result.condition.evaluate({ confidence: 0.9, labels: ["code"] }); // true
 * ```
 */
export function parseCondition(source: string): ParseConditionResult {
  if (source.length > MAX_CONDITION_LENGTH) {
    return failure(
      MAX_CONDITION_LENGTH,
      `the condition is ${source.length} characters long, over the limit of ${MAX_CONDITION_LENGTH}: shorten it or move logic into a node`,
    );
  }
  if (source.trim() === "") return failure(0, "the condition is empty: write an expression such as confidence > 0.5");
  try {
    const tokens = tokenizeCondition(source);
    const predicate = compileCondition(parseConditionTree(source, tokens));
    const fields: string[] = [];
    for (const token of tokens) {
      if (token.kind === "path" && !fields.includes(token.field)) fields.push(token.field);
    }
    const condition: Condition = Object.freeze({
      source,
      fields: Object.freeze(fields),
      evaluate(state: Readonly<Record<string, unknown>>): boolean {
        try {
          return predicate(state);
        } catch {
          return false;
        }
      },
    });
    return { ok: true, condition };
  } catch (error) {
    if (error instanceof ConditionSyntaxFailure) return failure(error.offset, error.message);
    throw error;
  }
}
