import { ModelErrorCode, TinyLLMError, type ModelProvider, type ModelResolver } from "@tinyllm/core";
import {
  createLlamaProvider,
  createOllamaProvider,
  createOpenAIProvider,
  resolveModelRef,
  type LlamaProvider,
  type ModelsConfig,
  type OllamaProvider,
  type OpenAIProvider,
  type ProviderId,
} from "@tinyllm/models";
import type { Backend } from "./backend";
import { noProviderHint } from "./no-provider-hint";
import { ollamaAnswers } from "./ollama-answers";
import { createFleetBackend } from "./fleet-backend";

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  config: ModelsConfig;
  /** How long to wait for Ollama to answer when auto-detecting. Default 700 ms. */
  probeTimeoutMs?: number;
}

/**
 * Picks the backend: the configured provider; with none configured, Ollama when it answers,
 * else the embedded engine with the configured model file. With none of these it throws
 * `NO_PROVIDER` with a hint that says how to get a model, within the probe timeout.
 */
export async function selectBackend({ config, probeTimeoutMs = 700 }: SelectBackendOptions): Promise<Backend> {
  // A fleet of hosts, when configured, is the Ollama-style backend: the scheduler places its models.
  if (config.hosts && config.hosts.length > 0 && (config.provider === undefined || config.provider === "ollama")) return createFleetBackend({ config });
  let kind: ProviderId | undefined = config.provider;
  if (!kind) {
    if (await ollamaAnswers(config.ollama.host, probeTimeoutMs)) kind = "ollama";
    else if (config.llama.modelFile || config.llama.modelsDir) kind = "llama";
    else
      throw new TinyLLMError({
        code: ModelErrorCode.NoProvider,
        message: `no model provider is available (Ollama did not answer at ${config.ollama.host}, and no model file is set)`,
        hint: noProviderHint,
      });
  }
  const provider = createProvider(kind, config);
  const description =
    kind === "ollama"
      ? `Ollama at ${config.ollama.host}`
      : kind === "openai"
        ? `OpenAI-compatible server at ${(provider as { baseURL?: string }).baseURL}`
        : `embedded llama.cpp (${config.llama.modelFile ?? config.llama.modelsDir})`;
  return { kind, provider, resolveModel: tierResolver(provider, kind, config), description, close: () => provider.close?.() ?? Promise.resolve() };
}

/** Maps tiers and model names to `provider`'s models with the config's tier table. */
export function tierResolver(provider: ModelProvider, kind: ProviderId, config: Pick<ModelsConfig, "tiers" | "llama">): ModelResolver {
  return (ref) => {
    const resolved = resolveModelRef(ref.model ?? ref.tier ?? "T1", kind, config);
    return { provider, model: resolved.model, ...(resolved.tier ? { tier: resolved.tier } : {}) };
  };
}

/** A provider of `kind` built from the model settings. Throws `NO_PROVIDER` for `llama` without a model file or folder. */
export function createProvider(kind: "ollama", config: ModelsConfig): OllamaProvider;
export function createProvider(kind: "llama", config: ModelsConfig): LlamaProvider;
export function createProvider(kind: "openai", config: ModelsConfig): OpenAIProvider;
export function createProvider(kind: ProviderId, config: ModelsConfig): ModelProvider;
export function createProvider(kind: ProviderId, config: ModelsConfig): ModelProvider {
  if (kind === "ollama")
    return createOllamaProvider({ host: config.ollama.host, ...(config.ollama.keepAlive !== undefined ? { keepAlive: config.ollama.keepAlive } : {}) });
  if (kind === "openai")
    return createOpenAIProvider({
      ...(config.openai.baseUrl ? { baseURL: config.openai.baseUrl } : {}),
      ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}),
    });
  if (!config.llama.modelFile && !config.llama.modelsDir)
    throw new TinyLLMError({ code: ModelErrorCode.NoProvider, message: "the llama provider needs a model file", hint: noProviderHint });
  return createLlamaProvider({
    ...(config.llama.modelFile ? { modelPath: config.llama.modelFile } : {}),
    ...(config.llama.modelsDir ? { modelsDir: config.llama.modelsDir } : {}),
    threads: config.llama.threads ?? 1,
    gpu: config.llama.gpu ?? false,
    ...(config.llama.contextSize ? { contextSize: config.llama.contextSize } : {}),
  });
}
