import type { PathSegment } from "./path-segment";

/**
 * Comparison and membership operators.
 * @internal
 */
export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in";

/**
 * A literal scalar value.
 * @internal
 */
export type LiteralValue = string | number | boolean | null;

/**
 * Syntax tree of a parsed condition. `and`/`or` chains are flattened into one node.
 * @internal
 */
export type ConditionNode =
  | { readonly kind: "literal"; readonly value: LiteralValue }
  | { readonly kind: "path"; readonly segments: readonly PathSegment[]; readonly field: string }
  | { readonly kind: "list"; readonly items: readonly ConditionNode[] }
  | { readonly kind: "not"; readonly operand: ConditionNode }
  | { readonly kind: "and" | "or"; readonly operands: readonly ConditionNode[] }
  | {
      readonly kind: "compare";
      readonly operator: ComparisonOperator;
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    };
