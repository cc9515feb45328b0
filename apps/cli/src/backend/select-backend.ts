import type { ModelProvider, ModelResolver, ResolvedConfig } from "@tinyllm/models";
import { CliError } from "../cli-error";

/** A model backend ready for a run: the provider and how nodes find their models. */
export interface Backend {
  kind: "ollama" | "llama" | "openai";
  provider: ModelProvider;
  resolveModel: ModelResolver;
  /** One line for people, e.g. `embedded llama.cpp (stories260K.gguf)`. */
  description: string;
  close(): Promise<void>;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  config: ResolvedConfig;
  /** How long to wait for Ollama to answer when auto-detecting. Default 700 ms. */
  probeTimeoutMs?: number;
}

/** How to get a model, printed when there is none. */
export const noProviderHint = [
  "TinyLLM needs a model. Either:",
  "  • start Ollama (`ollama serve`) and pull the tier models, e.g. `ollama pull qwen2.5:0.5b && ollama pull qwen2.5:3b`;",
  "  • or run a GGUF file in-process: `tinyllm run \"…\" --model-file ./model.gguf`",
  "    (or set TINYLLM_MODEL_FILE, or llama.modelFile in tinyllm.yaml);",
  "    download one with `tinyllm models pull hf:<user>/<repo>/<file>.gguf`;",
  "  • or point at an OpenAI-compatible server: `--provider openai` with OPENAI_BASE_URL.",
  "Run `tinyllm doctor` to check the set-up.",
].join("\n");

/**
 * Picks the backend: the configured provider; with none configured, Ollama when it answers,
 * else the embedded engine with the configured model file. With none of these it throws a
 * {@link CliError} that says how to get a model — within the probe timeout, never hanging.
 */
export async function selectBackend({ config, probeTimeoutMs = 700 }: SelectBackendOptions): Promise<Backend> {
  const models = await import("@tinyllm/models");
  let kind = config.provider;
  if (!kind) {
    if (await ollamaAnswers(config.ollama.host, probeTimeoutMs)) kind = "ollama";
    else if (config.llama.modelFile || config.llama.modelsDir) kind = "llama";
    else throw new CliError(`no model provider is available (Ollama did not answer at ${config.ollama.host}, and no model file is set)`, 1, noProviderHint);
  }
  const resolver = (provider: ModelProvider): ModelResolver => (ref) => {
    const resolved = models.resolveModelRef(ref.model ?? ref.tier ?? "T1", kind as "ollama" | "llama" | "openai", config);
    return { provider, model: resolved.model, ...(resolved.tier ? { tier: resolved.tier } : {}) };
  };
  if (kind === "ollama") {
    const provider = models.createOllamaProvider({ host: config.ollama.host, ...(config.ollama.keepAlive !== undefined ? { keepAlive: config.ollama.keepAlive } : {}) });
    return { kind, provider, resolveModel: resolver(provider), description: `Ollama at ${config.ollama.host}`, close: () => provider.close?.() ?? Promise.resolve() };
  }
  if (kind === "openai") {
    const provider = models.createOpenAIProvider({ ...(config.openai.baseUrl ? { baseURL: config.openai.baseUrl } : {}), ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}) });
    return { kind, provider, resolveModel: resolver(provider), description: `OpenAI-compatible server at ${provider.baseURL}`, close: () => provider.close() };
  }
  if (!config.llama.modelFile && !config.llama.modelsDir) throw new CliError("the llama provider needs a model file", 1, noProviderHint);
  const provider = models.createLlamaProvider({
    ...(config.llama.modelFile ? { modelPath: config.llama.modelFile } : {}),
    ...(config.llama.modelsDir ? { modelsDir: config.llama.modelsDir } : {}),
    threads: config.llama.threads ?? 1,
    gpu: config.llama.gpu ?? false,
    ...(config.llama.contextSize ? { contextSize: config.llama.contextSize } : {}),
  });
  return {
    kind: "llama",
    provider,
    resolveModel: resolver(provider),
    description: `embedded llama.cpp (${config.llama.modelFile ?? config.llama.modelsDir})`,
    close: () => provider.close(),
  };
}

/** True when an Ollama server answers `/api/version` within the timeout. */
export async function ollamaAnswers(host: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(new URL("/api/version", host), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

