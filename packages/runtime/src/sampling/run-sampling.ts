import { AsyncLocalStorage } from "node:async_hooks";
import type { ChatOptions, ModelProvider, ModelResolver } from "@tinyllm/core";

/**
 * Sampling a caller sets for one run (an Ollama `options` object, an OpenAI request's `seed`,
 * `temperature`, `top_p` and `max_tokens`, or the CLI's `--seed`).
 *
 * - `seed` fills in every model call of the run that has none of its own, so a run with a seed
 *   gives the same answers every time.
 * - `temperature`, `topP` and `maxTokens` override the graph's values on the calls that write the
 *   answer. Structured calls (the router's and the judge's JSON) keep the graph's values: the
 *   caller tunes the answer, not the machinery that grades it.
 */
export interface RunSampling {
  seed?: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** Ollama's `keep_alive` for every call of the run without its own (see `ChatOptions.keepAlive`). */
  keepAlive?: string | number;
}

const current = new AsyncLocalStorage<RunSampling>();

/** Runs `fn` with `sampling` applied to every model call made inside it (across awaits). */
export function withRunSampling<T>(sampling: RunSampling | undefined, fn: () => T): T {
  if (!sampling || Object.values(sampling).every((value) => value === undefined)) return fn();
  return current.run(sampling, fn);
}

/** The chat options with the current run's sampling applied. */
export function applyRunSampling(options: ChatOptions): ChatOptions {
  const sampling = current.getStore();
  if (!sampling) return options;
  const next: ChatOptions = { ...options };
  if (sampling.seed !== undefined && next.seed === undefined) next.seed = sampling.seed;
  if (sampling.keepAlive !== undefined && next.keepAlive === undefined) next.keepAlive = sampling.keepAlive;
  if (!options.jsonSchema) {
    if (sampling.temperature !== undefined) next.temperature = sampling.temperature;
    if (sampling.topP !== undefined) next.topP = sampling.topP;
    if (sampling.maxTokens !== undefined) next.maxTokens = sampling.maxTokens;
  }
  return next;
}

const wrapped = new WeakMap<ModelProvider, ModelProvider>();

/** A view of `provider` whose chat calls take the current run's sampling. */
export function samplingProvider(provider: ModelProvider): ModelProvider {
  let view = wrapped.get(provider);
  if (!view) {
    view = Object.create(provider, {
      chat: { value: (options: ChatOptions) => provider.chat(applyRunSampling(options)) },
      streamChat: { value: (options: ChatOptions) => provider.streamChat(applyRunSampling(options)) },
    }) as ModelProvider;
    wrapped.set(provider, view);
  }
  return view;
}

/** A resolver whose providers take the current run's sampling. */
export function samplingResolver(resolve: ModelResolver): ModelResolver {
  return (ref) => {
    const resolved = resolve(ref);
    return { ...resolved, provider: samplingProvider(resolved.provider) };
  };
}
