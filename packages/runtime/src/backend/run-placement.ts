import { AsyncLocalStorage } from "node:async_hooks";
import type { FleetCallContext } from "@tinyllm/models";

const current = new AsyncLocalStorage<FleetCallContext>();

/** Runs `fn` with its model calls attributed to `context` (the run and its priority), across awaits. @internal */
export function withRunPlacement<T>(context: FleetCallContext, fn: () => T): T {
  return current.run(context, fn);
}

/** The run and priority of the model call being made now, if a run is going on. @internal */
export function currentRunPlacement(): FleetCallContext | undefined {
  return current.getStore();
}
