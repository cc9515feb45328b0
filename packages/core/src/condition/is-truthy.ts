/**
 * Truthiness used when a bare value stands where a boolean is expected:
 * JavaScript truthiness, except that an empty array is false.
 * @internal
 */
export function isTruthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}
