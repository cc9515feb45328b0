/**
 * The ordering operators of the condition language.
 * @internal
 */
export type OrderedOperator = "<" | "<=" | ">" | ">=";

/** Both numbers or both strings: the only pairs that can be ordered. */
function orderable(a: unknown, b: unknown): boolean {
  const type = typeof a;
  return (type === "number" || type === "string") && typeof b === type;
}

/**
 * Implementations of `<`, `<=`, `>`, `>=`: true only when both sides are numbers or both
 * are strings (compared by UTF-16 code units) and the relation holds; any other pairing,
 * and any `NaN`, gives false.
 * @internal
 */
export const orderedComparators: Readonly<Record<OrderedOperator, (a: unknown, b: unknown) => boolean>> = {
  // The casts are sound: `orderable` guarantees both sides share a primitive type.
  "<": (a, b) => orderable(a, b) && (a as number) < (b as number),
  "<=": (a, b) => orderable(a, b) && (a as number) <= (b as number),
  ">": (a, b) => orderable(a, b) && (a as number) > (b as number),
  ">=": (a, b) => orderable(a, b) && (a as number) >= (b as number),
};
