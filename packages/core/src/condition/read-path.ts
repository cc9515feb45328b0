import type { PathSegment } from "./path-segment";

/**
 * Reads a field path from `root`, following own properties only.
 * A name segment reads an own property of an object or array (`labels.length` works), or
 * `length` of a string; a numeric segment reads an own element of an array or a character
 * (UTF-16 unit, like `length`) of a string. Anything
 * missing or unreadable gives `undefined`. Never touches the prototype chain.
 * @internal
 */
export function readPath(root: unknown, segments: readonly PathSegment[]): unknown {
  let value = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    if (typeof segment === "number" && typeof value === "string") {
      if (segment >= value.length) return undefined;
      value = value[segment];
    } else if (typeof segment === "number") {
      if (!Array.isArray(value) || segment >= value.length || !Object.hasOwn(value, segment)) return undefined;
      value = value[segment];
    } else if (typeof value === "object" && value !== null) {
      if (!Object.hasOwn(value, segment)) return undefined;
      value = (value as Record<string, unknown>)[segment];
    } else if (typeof value === "string" && segment === "length") {
      value = value.length;
    } else {
      return undefined;
    }
  }
  return value;
}
