import type { PathSegment } from "./path-segment";

/**
 * Kinds of tokens that carry no payload beyond their text. `&&`, `||` and `!` are
 * normalised to `and`, `or` and `not`; `end` marks the end of the source.
 * @internal
 */
export type ConditionPunctuationKind =
  "true" | "false" | "null" | "and" | "or" | "not" | "in" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "(" | ")" | "[" | "]" | "," | "-" | "end";

/**
 * A lexical token of the condition language. `offset` is the 0-based start in the source
 * and `text` the exact source text (empty for `end`).
 * @internal
 */
export type ConditionToken =
  | { readonly kind: "number"; readonly offset: number; readonly text: string; readonly value: number }
  | { readonly kind: "string"; readonly offset: number; readonly text: string; readonly value: string }
  | {
      readonly kind: "path";
      readonly offset: number;
      readonly text: string;
      /** Precomputed lookup steps, e.g. `["route", "labels", 0]`. */
      readonly segments: readonly PathSegment[];
      /** Canonical dotted form, e.g. `route.labels[0]`. */
      readonly field: string;
    }
  | { readonly kind: ConditionPunctuationKind; readonly offset: number; readonly text: string };
