import type { ModelProvider } from "./model-provider";

/** What a node asks for: a tier (`T0`–`T3`) or a model name. */
export interface ModelRef {
  tier?: string;
  model?: string;
}

/** A provider and the model name it knows. */
export interface ResolvedModel {
  provider: ModelProvider;
  model: string;
  tier?: string;
}

/**
 * Maps a node's tier or model to a provider and model. Apps build it from their config
 * (see `resolveModelRef`); tests can return a fixed provider.
 */
export type ModelResolver = (ref: ModelRef) => ResolvedModel;
