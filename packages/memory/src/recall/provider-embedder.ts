import { MemoryErrorCode, TinyLLMError, type Embedder, type ModelProvider } from "@tinyllm/core";

/**
 * An {@link @tinyllm/core!Embedder} over a model provider's `embed` (Ollama's `/api/embed`, a
 * llama.cpp embedding context, an OpenAI-compatible `/v1/embeddings`). Its id is
 * `provider:model`, so vectors of another model are never compared with its own.
 */
export function providerEmbedder({ provider, model }: { provider: ModelProvider; model: string }): Embedder {
  let dimensions: number | undefined;
  return {
    id: `${provider.id}:${model}`,
    get dimensions() {
      return dimensions;
    },
    async embed(texts, options = {}) {
      if (texts.length === 0) return [];
      try {
        const { embeddings } = await provider.embed({ model, input: texts, ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) });
        dimensions = embeddings[0]?.length ?? dimensions;
        return embeddings;
      } catch (error) {
        throw new TinyLLMError({
          code: MemoryErrorCode.EmbedderFailed,
          message: `Could not embed with ${provider.id} model ${model}: ${(error as Error)?.message ?? String(error)}`,
          hint: "check that the embedding model is available (e.g. ollama pull nomic-embed-text), or unset memory.embedModel to recall lexically",
          cause: error,
        });
      }
    },
  };
}
