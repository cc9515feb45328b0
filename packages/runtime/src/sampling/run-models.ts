import { AsyncLocalStorage } from "node:async_hooks";
import type { ModelRef, ModelResolver } from "@tinyllm/core";

/** Models a caller picks for one run, by tier: `{ T1: "qwen2.5:3b" }` (a session's `/model` overrides). */
export type RunModels = Readonly<Record<string, string>>;

const current = new AsyncLocalStorage<RunModels>();

/** Runs `fn` with `models` used for their tiers by every model call made inside it (across awaits). */
export function withRunModels<T>(models: RunModels | undefined, fn: () => T): T {
  if (!models || Object.keys(models).length === 0) return fn();
  return current.run(models, fn);
}

/**
 * A resolver that gives a tier the current run's model for it, when the run picked one; a node
 * that names its own model keeps it. @internal
 */
export function runModelsResolver(resolve: ModelResolver): ModelResolver {
  return (ref: ModelRef) => {
    const models = current.getStore();
    const picked = models && ref.tier !== undefined && ref.model === undefined ? models[ref.tier] : undefined;
    return resolve(picked === undefined ? ref : { tier: ref.tier as string, model: picked });
  };
}
