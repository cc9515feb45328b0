/** Arrays nested deeper than this compare unequal (guards against cyclic arrays). */
const MAX_EQUALITY_DEPTH = 32;

/**
 * Equality for `==` / `!=`: strict equality (`===`), except that two arrays are equal
 * when they have the same length and their elements are equal by this same rule.
 * `NaN` is never equal to anything. Never throws on cyclic arrays (they compare unequal).
 * @internal
 */
export function valuesEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || depth >= MAX_EQUALITY_DEPTH) return false;
  for (let i = 0; i < a.length; i++) {
    if (!valuesEqual(a[i], b[i], depth + 1)) return false;
  }
  return true;
}
