import { AsyncLocalStorage } from "node:async_hooks";
import type { MemoryOwners } from "@tinyllm/memory";

const current = new AsyncLocalStorage<MemoryOwners>();

/**
 * Runs `fn` with the run's memory owners known to the tools it calls (the `remember` tool
 * writes to their scope). Only runs that name a user or a session pay for the context.
 */
export function withRunOwners<T>(owners: MemoryOwners, fn: () => T): T {
  if (owners.user === undefined && owners.session === undefined) return fn();
  return current.run(owners, fn);
}

/** The memory owners of the run the caller is part of, if it named any. */
export function currentRunOwners(): MemoryOwners | undefined {
  return current.getStore();
}
