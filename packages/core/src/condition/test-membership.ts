/**
 * Membership for `in` / `not in`. Returns whether `item` is in `container`, or `undefined`
 * when the pair cannot be tested (then both `in` and `not in` are false):
 * - array: includes `item` by strict equality (`NaN` is never found);
 * - string: `item` is a string and a substring;
 * - plain object (prototype `Object.prototype` or `null`): `item` is a string or finite
 *   number naming an own key;
 * - anything else: `undefined`.
 * @internal
 */
export function testMembership(container: unknown, item: unknown): boolean | undefined {
  if (Array.isArray(container)) return container.indexOf(item) !== -1;
  if (typeof container === "string") return typeof item === "string" ? container.includes(item) : undefined;
  if (typeof container !== "object" || container === null) return undefined;
  const proto: unknown = Object.getPrototypeOf(container);
  if (proto !== Object.prototype && proto !== null) return undefined;
  if (typeof item === "string") return Object.hasOwn(container, item);
  if (typeof item === "number" && Number.isFinite(item)) return Object.hasOwn(container, String(item));
  return undefined;
}
