import type { ServerContext } from "./server-context";
import { serverError } from "./http/server-error";

/**
 * Embeds texts with the backend. A served graph's name means the backend's embedding model (the
 * T0 tier's model); any other name is handed to the backend as it is (e.g. `nomic-embed-text` on Ollama).
 */
export async function embedTexts(
  server: ServerContext,
  model: string,
  input: string[],
  abortSignal?: AbortSignal,
): Promise<{ embeddings: number[][]; inputTokens: number }> {
  if (input.length === 0) throw serverError("SERVER_BAD_REQUEST", "input is empty", "send a string or a list of strings");
  for (const text of input) {
    if (text.length > server.limits.maxQueryChars)
      throw serverError(
        "SERVER_QUERY_TOO_LONG",
        `an input is ${text.length} characters; this server takes at most ${server.limits.maxQueryChars}`,
        "shorten it",
      );
  }
  const backend = await server.runtime.backend();
  if (!backend.provider.capabilities.embeddings)
    throw serverError(
      "SERVER_BAD_REQUEST",
      `the backend (${backend.description}) does not make embeddings`,
      "serve with a provider that does: Ollama or the embedded engine",
    );
  const name = server.graphs.find(model) ? backend.resolveModel({ tier: "T0" }).model : model;
  const result = await backend.provider.embed({ model: name, input, ...(abortSignal ? { abortSignal } : {}) });
  const inputTokens = input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
  return { embeddings: result.embeddings, inputTokens };
}
