import type { ConditionNode } from "./condition-node";
import { compilePath } from "./compile-path";
import { isTruthy } from "./is-truthy";
import { orderedComparators } from "./ordered-comparators";
import { testMembership } from "./test-membership";
import { valuesEqual } from "./values-equal";

type Evaluator = (state: unknown) => unknown;

/**
 * A compiled condition body. May throw only if reading the state throws (e.g. a getter);
 * {@link parseCondition} wraps it so that `evaluate` never throws.
 * @internal
 */
export type Predicate = (state: unknown) => boolean;

const NOT_CONSTANT: unique symbol = Symbol("not constant");

/** The value of a literal or of a list of constants (built and frozen once), else {@link NOT_CONSTANT}. */
function constantOf(node: ConditionNode): unknown {
  if (node.kind === "literal") return node.value;
  if (node.kind !== "list") return NOT_CONSTANT;
  const values: unknown[] = [];
  for (const item of node.items) {
    const value = constantOf(item);
    if (value === NOT_CONSTANT) return NOT_CONSTANT;
    values.push(value);
  }
  return Object.freeze(values);
}

function compileList(items: readonly ConditionNode[]): Evaluator {
  const evaluators = items.map(compileValue);
  // Reused across evaluations to avoid allocating: the list never escapes an evaluation.
  const buffer: unknown[] = new Array<unknown>(evaluators.length);
  return (state) => {
    for (let i = 0; i < evaluators.length; i++) buffer[i] = (evaluators[i] as Evaluator)(state);
    return buffer;
  };
}

function compileValue(node: ConditionNode): Evaluator {
  const constant = constantOf(node);
  if (constant !== NOT_CONSTANT) return () => constant;
  switch (node.kind) {
    case "path":
      return compilePath(node.segments);
    case "list":
      return compileList(node.items);
    default:
      return compilePredicate(node);
  }
}

function compileComparison(node: Extract<ConditionNode, { kind: "compare" }>): Predicate {
  const left = compileValue(node.left);
  const right = compileValue(node.right);
  switch (node.operator) {
    case "==":
    case "!=": {
      const negate = node.operator === "!=";
      // Fast path: against a scalar literal, deep array equality reduces to `===`.
      const scalar = node.right.kind === "literal" ? node.right : node.left.kind === "literal" ? node.left : undefined;
      if (scalar !== undefined) {
        const other = scalar === node.right ? left : right;
        const value = scalar.value;
        return negate ? (state) => other(state) !== value : (state) => other(state) === value;
      }
      return negate ? (state) => !valuesEqual(left(state), right(state)) : (state) => valuesEqual(left(state), right(state));
    }
    case "in":
      return (state) => {
        const item = left(state);
        return testMembership(right(state), item) === true;
      };
    case "not in":
      return (state) => {
        const item = left(state);
        return testMembership(right(state), item) === false;
      };
    default: {
      const compare = orderedComparators[node.operator];
      return (state) => compare(left(state), right(state));
    }
  }
}

function compileJunction(kind: "and" | "or", operands: readonly ConditionNode[]): Predicate {
  const predicates = operands.map(compilePredicate);
  const [a, b] = predicates;
  if (predicates.length === 2 && a !== undefined && b !== undefined) {
    return kind === "and" ? (state) => a(state) && b(state) : (state) => a(state) || b(state);
  }
  const stopOn = kind === "or";
  return (state) => {
    for (let i = 0; i < predicates.length; i++) {
      if ((predicates[i] as Predicate)(state) === stopOn) return stopOn;
    }
    return !stopOn;
  };
}

function compilePredicate(node: ConditionNode): Predicate {
  switch (node.kind) {
    case "and":
    case "or":
      return compileJunction(node.kind, node.operands);
    case "not": {
      const operand = compilePredicate(node.operand);
      return (state) => !operand(state);
    }
    case "compare":
      return compileComparison(node);
    default: {
      const constant = constantOf(node);
      if (constant !== NOT_CONSTANT) {
        const truth = isTruthy(constant);
        return () => truth;
      }
      const value = compileValue(node);
      return (state) => isTruthy(value(state));
    }
  }
}

/**
 * Compiles a condition tree into a tree of closures, once. Lookups are precomputed,
 * constant lists are built once, `==` against a scalar literal is a plain `===`, and
 * `and`/`or` chains short-circuit over a flat array: evaluation allocates nothing.
 * @internal
 */
export function compileCondition(node: ConditionNode): Predicate {
  return compilePredicate(node);
}
