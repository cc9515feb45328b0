import type { ServerContext } from "./server-context";
import { serverError } from "./http/server-error";

/** Most texts per embedding request. */
const maxEmbedInputs = 256;

/**
 * Embeds texts with the backend. A served graph's name means the backend's embedding model (the
 * T0 tier's model); any other name is handed to the backend as it is (e.g. `nomic-embed-text` on Ollama).
 */
export async function embedTexts(
  server: ServerContext,
  model: string,
  input: string[],
  key: string,
  abortSignal?: AbortSignal,
): Promise<{ embeddings: number[][]; inputTokens: number }> {
  if (input.length === 0) throw serverError("SERVER_BAD_REQUEST", "input is empty", "send a string or a list of strings");
  if (input.length > maxEmbedInputs)
    throw serverError(
      "SERVER_BAD_REQUEST",
      `input has ${input.length} texts; this server embeds at most ${maxEmbedInputs} per request`,
      "split it into several requests",
    );
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
  // A client names a served graph, or a model the backend lists; never a path on this machine.
  let name: string;
  if (server.graphs.find(model)) name = backend.resolveModel({ tier: "T0" }).model;
  else {
    const listed = await backend.provider.listModels(abortSignal ? { abortSignal } : {});
    if (!listed.some((info) => info.name === model))
      throw serverError(
        "SERVER_MODEL_NOT_FOUND",
        `model '${model}' not found`,
        `name a served graph (${server.graphs.ids.join(", ")}) or a model the backend lists`,
      );
    name = model;
  }
  const release = await server.hub.slot(key, abortSignal);
  let result;
  try {
    result = await backend.provider.embed({ model: name, input, ...(abortSignal ? { abortSignal } : {}) });
  } finally {
    release();
  }
  const inputTokens = input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
  return { embeddings: result.embeddings, inputTokens };
}
