import { MAX_CONDITION_DEPTH } from "./condition-limits";
import type { ComparisonOperator, ConditionNode } from "./condition-node";
import { ConditionSyntaxFailure } from "./condition-syntax-failure";
import type { ConditionToken } from "./condition-token";
import { describePosition } from "./describe-position";
import { CONDITION_KEYWORDS } from "./reserved-words";

/** Quotes a token for a message; string literals already carry their quotes. */
function show(token: ConditionToken): string {
  return token.kind === "string" ? token.text : `"${token.text}"`;
}

const COMPARISON_KINDS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">=", "in"]);

/**
 * Recursive-descent parser over the tokens of {@link tokenizeCondition}.
 *
 * Grammar (loosest first): `or := and (("or"|"||") and)*`, `and := cmp (("and"|"&&") cmp)*`,
 * `not := ("not"|"!") not | cmp`, `cmp := primary (op primary)?` with no chaining (so `not a == b` means `not (a == b)`, as in Python),
 * `primary := "(" or ")" | list | literal | path | "-" number`.
 *
 * Nesting (`(`, `[`, `not`) is capped at {@link MAX_CONDITION_DEPTH} before recursing, so
 * the parser cannot overflow the stack whatever the input length. Throws
 * {@link ConditionSyntaxFailure} on the first syntax error.
 * @internal
 */
export function parseConditionTree(source: string, tokens: readonly ConditionToken[]): ConditionNode {
  let pos = 0;
  let depth = 0;
  const last = tokens[tokens.length - 1];
  if (last === undefined || last.kind !== "end") throw new Error("tokens must end with an end token");
  const endToken = last;

  const at = (offset: number): string => describePosition(source, offset);
  function fail(offset: number, message: string): never {
    throw new ConditionSyntaxFailure(offset, message);
  }
  const peek = (ahead = 0): ConditionToken => tokens[pos + ahead] ?? endToken;
  const advance = (): ConditionToken => {
    const token = peek();
    if (pos < tokens.length - 1) pos++;
    return token;
  };

  const enter = (token: ConditionToken): void => {
    depth++;
    if (depth > MAX_CONDITION_DEPTH) {
      fail(
        token.offset,
        `the condition nests more than ${MAX_CONDITION_DEPTH} levels deep at ${at(token.offset)}: simplify it (nesting counts "(", "[" and "not")`,
      );
    }
  };

  /** Error for a token that cannot follow a complete value. */
  const unexpectedAfterValue = (token: ConditionToken): never => {
    const where = at(token.offset);
    switch (token.kind) {
      case ")":
        return fail(token.offset, `unmatched ")" at ${where}: remove it or add a matching "("`);
      case "-":
        return fail(token.offset, `unexpected "-" at ${where}: arithmetic is not supported`);
      case "not":
        return fail(
          token.offset,
          `unexpected "${token.text}" at ${where}: write "and not ..." or "or not ..." to combine conditions, or "not in" for membership`,
        );
      case "(":
        return fail(token.offset, `unexpected "(" at ${where}: function calls are not supported`);
      case "path":
        if (CONDITION_KEYWORDS.has(token.text.toLowerCase())) {
          return fail(token.offset, `unexpected "${token.text}" at ${where}: keywords are lowercase, write "${token.text.toLowerCase()}"`);
        }
        break;
    }
    return fail(token.offset, `unexpected ${show(token)} at ${where}: join conditions with "and" or "or"`);
  };

  /** Error for a missing value where `token` stands. */
  const expectedValue = (token: ConditionToken): never => {
    const previous = pos > 0 ? tokens[pos - 1] : undefined;
    if (token.kind === "end") {
      if (previous === undefined) return fail(token.offset, "the condition is empty: write an expression such as confidence > 0.5");
      const what = previous.kind === "(" || previous.kind === "not" ? "an expression" : previous.kind === "-" ? "a number" : "the right-hand side";
      return fail(token.offset, `the condition ends after "${previous.text}": add ${what}`);
    }
    const found = `found ${show(token)}`;
    if (previous === undefined) return fail(token.offset, `expected a value at ${at(token.offset)}, ${found}`);
    return fail(token.offset, `expected a value after "${previous.text}" at ${at(token.offset)}, ${found}`);
  };

  const parseList = (): ConditionNode => {
    const open = advance();
    enter(open);
    const items: ConditionNode[] = [];
    if (peek().kind === "]") {
      advance();
    } else {
      for (;;) {
        const item = peek();
        if (item.kind === "end") {
          fail(item.offset, `the condition ends inside the list opened at ${at(open.offset)}: add the missing items and "]"`);
        }
        if (item.kind === "(" || item.kind === "not" || item.kind === "]") {
          fail(
            item.offset,
            `expected a list item at ${at(item.offset)}, found "${item.text}": list items are numbers, strings, true, false, null, field paths or lists`,
          );
        }
        items.push(parsePrimary());
        const separator = advance();
        if (separator.kind === "]") break;
        if (separator.kind === ",") continue;
        if (separator.kind === "end") {
          fail(separator.offset, `missing "]" to close the list opened at ${at(open.offset)}`);
        }
        fail(separator.offset, `expected "," or "]" at ${at(separator.offset)} in the list opened at ${at(open.offset)}, found ${show(separator)}`);
      }
    }
    depth--;
    return { kind: "list", items };
  };

  const parsePrimary = (): ConditionNode => {
    const token = peek();
    switch (token.kind) {
      case "(": {
        advance();
        enter(token);
        const inner = parseOr();
        const close = peek();
        if (close.kind === "end") {
          fail(close.offset, `missing ")" to close the "(" at ${at(token.offset)}`);
        }
        if (close.kind !== ")") unexpectedAfterValue(close);
        advance();
        depth--;
        return inner;
      }
      case "[":
        return parseList();
      case "number":
      case "string":
        advance();
        return { kind: "literal", value: token.value };
      case "true":
      case "false":
        advance();
        return { kind: "literal", value: token.kind === "true" };
      case "null":
        advance();
        return { kind: "literal", value: null };
      case "path":
        advance();
        return { kind: "path", segments: token.segments, field: token.field };
      case "-": {
        advance();
        const number = peek();
        if (number.kind !== "number") {
          if (number.kind === "end") return expectedValue(number);
          fail(token.offset, `"-" at ${at(token.offset)} must be followed by a number, e.g. -1: negating fields or expressions is not supported`);
        }
        advance();
        return { kind: "literal", value: -number.value };
      }
    }
    return expectedValue(token);
  };

  const parseNot = (): ConditionNode => {
    const token = peek();
    if (token.kind !== "not") return parseComparison();
    advance();
    enter(token);
    const operand = parseNot();
    depth--;
    return { kind: "not", operand };
  };

  const comparisonOperator = (): ComparisonOperator | undefined => {
    const token = peek();
    if (COMPARISON_KINDS.has(token.kind)) return token.kind as ComparisonOperator;
    if (token.kind === "not" && token.text === "not" && peek(1).kind === "in") return "not in";
    return undefined;
  };

  const parseComparison = (): ConditionNode => {
    const left = parsePrimary();
    const operator = comparisonOperator();
    if (operator === undefined) return left;
    advance();
    if (operator === "not in") advance();
    const right = parsePrimary();
    const chained = peek();
    if (comparisonOperator() !== undefined) {
      fail(chained.offset, `comparisons cannot be chained at ${at(chained.offset)}: combine them with "and", e.g. a < b and b < c`);
    }
    return { kind: "compare", operator, left, right };
  };

  const parseAnd = (): ConditionNode => {
    const first = parseNot();
    if (peek().kind !== "and") return first;
    const operands = [first];
    while (peek().kind === "and") {
      advance();
      operands.push(parseNot());
    }
    return { kind: "and", operands };
  };

  const parseOr = (): ConditionNode => {
    const first = parseAnd();
    if (peek().kind !== "or") return first;
    const operands = [first];
    while (peek().kind === "or") {
      advance();
      operands.push(parseAnd());
    }
    return { kind: "or", operands };
  };

  const root = parseOr();
  const rest = peek();
  if (rest.kind !== "end") unexpectedAfterValue(rest);
  return root;
}
