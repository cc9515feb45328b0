import { TinyLLMError } from "../error/tinyllm-error";
import { CoreErrorCode } from "../error/error-codes";
import type { NodeKind } from "./node-kind";

/** Maps kind names to {@link NodeKind}s. */
export interface NodeRegistry {
  /** Adds a kind; throws `INVALID_ARGUMENT` if the name is taken (use `replace` to override). */
  register(kind: NodeKind<never> | NodeKind<any>, options?: { replace?: boolean }): NodeRegistry; // eslint-disable-line @typescript-eslint/no-explicit-any
  get(kind: string): NodeKind<unknown> | undefined;
  has(kind: string): boolean;
  /** Registered kind names, sorted. */
  kinds(): string[];
}

/**
 * Creates a registry holding `kinds`. Start from {@link builtinNodeKinds} to keep the
 * built-in kinds.
 *
 * @example
 * ```ts
 * const registry = createNodeRegistry([...builtinNodeKinds, myKind]);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function createNodeRegistry(kinds: Iterable<NodeKind<any>> = []): NodeRegistry {
  const map = new Map<string, NodeKind<unknown>>();
  const registry: NodeRegistry = {
    register(kind, { replace = false } = {}) {
      if (!replace && map.has(kind.kind)) {
        throw new TinyLLMError({
          code: CoreErrorCode.InvalidArgument,
          message: `node kind '${kind.kind}' is already registered`,
          hint: "pass { replace: true } to override it",
        });
      }
      map.set(kind.kind, kind as NodeKind<unknown>);
      return registry;
    },
    get: (kind) => map.get(kind),
    has: (kind) => map.has(kind),
    kinds: () => [...map.keys()].sort(),
  };
  for (const kind of kinds) registry.register(kind);
  return registry;
}
