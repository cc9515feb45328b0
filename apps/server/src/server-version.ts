/**
 * The version `/api/version` reports: dotted numbers, as Open WebUI parses them. It is the
 * Ollama API version this server speaks (its routes and fields), not TinyLLM's own version.
 */
export const serverVersion = "0.6.4";
