import type { MemoryScope } from "@tinyllm/core";

/**
 * State field naming whose memories a run reads and writes: the user, the session and the
 * graph. `runtime.chat` and the server set it; the `memory` node and the `remember` tool read it.
 */
export const MEMORY_OWNERS_FIELD = "memoryOwners";

/** The value of {@link MEMORY_OWNERS_FIELD}. */
export interface MemoryOwners {
  user?: string;
  session?: string;
  graph?: string;
}

/** Reads {@link MEMORY_OWNERS_FIELD} from state: only string owners are kept. */
export function memoryOwnersOf(value: unknown): MemoryOwners {
  if (typeof value !== "object" || value === null) return {};
  const raw = value as Record<string, unknown>;
  const owners: MemoryOwners = {};
  for (const key of ["user", "session", "graph"] as const) {
    const owner = raw[key];
    if (typeof owner === "string" && owner.trim() !== "") owners[key] = owner;
  }
  return owners;
}

/** The `{ scope, owner }` pairs of `scopes` that `owners` names, in that order. */
export function scopesOf(owners: MemoryOwners, scopes: readonly MemoryScope[]): { scope: MemoryScope; owner: string }[] {
  return scopes.flatMap((scope) => (owners[scope] !== undefined ? [{ scope, owner: owners[scope] }] : []));
}
