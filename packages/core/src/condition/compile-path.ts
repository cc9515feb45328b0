import type { PathSegment } from "./path-segment";
import { readPath } from "./read-path";

/**
 * Compiles a field path into a reader closure; a single-name path gets a specialised
 * closure without a loop. Never reads through the prototype chain.
 * @internal
 */
export function compilePath(segments: readonly PathSegment[]): (state: unknown) => unknown {
  const first = segments[0];
  if (segments.length === 1 && typeof first === "string") {
    return (state) => (typeof state === "object" && state !== null && Object.hasOwn(state, first) ? (state as Record<string, unknown>)[first] : undefined);
  }
  return (state) => readPath(state, segments);
}
