import type { ModelProvider, ModelResolver } from "@tinyllm/core";
import type { FleetProvider } from "@tinyllm/models";

/** A model backend ready for runs: the provider and how nodes find their models. */
export interface Backend {
  /** Which provider it is. */
  kind: "ollama" | "llama" | "openai" | "fleet" | "custom";
  /** The scheduler, when the backend is a fleet of hosts (`hosts:` in tinyllm.yaml). */
  fleet?: FleetProvider;
  provider: ModelProvider;
  /** Maps a node's tier or model to this provider's model. */
  resolveModel: ModelResolver;
  /** One line for people, e.g. `embedded llama.cpp (stories260K.gguf)`. */
  description: string;
  /** What looks wrong in the backend's settings, one sentence each (the runtime reports them as warnings). */
  warnings?: readonly string[];
  /** Frees the provider (loaded models, sockets). */
  close(): Promise<void>;
}
