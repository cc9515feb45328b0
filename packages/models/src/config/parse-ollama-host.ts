/**
 * Reads an Ollama server address the way Ollama reads `OLLAMA_HOST`.
 *
 * @module
 */

/** Ollama's default address. */
export const defaultOllamaHost = "http://127.0.0.1:11434";

/**
 * Turns an Ollama server address into a full URL, accepting what `OLLAMA_HOST` accepts:
 * `http://host:port`, `host`, `host:port` and `:port`. Without a scheme the port defaults to
 * Ollama's 11434; `0.0.0.0` (a server bound to every interface) becomes `127.0.0.1`. Returns
 * `undefined` when `value` is not an http(s) address.
 *
 * @example
 * ```ts
 * parseOllamaHost("localhost"); // "http://localhost:11434"
 * parseOllamaHost(":8080"); // "http://127.0.0.1:8080"
 * parseOllamaHost("ftp://x"); // undefined
 * ```
 */
export function parseOllamaHost(value: string): string | undefined {
  let text = value.trim();
  if (text === "" || /\s/.test(text)) return undefined;
  if (text.startsWith(":")) text = `127.0.0.1${text}`;
  const explicitScheme = text.includes("://");
  if (!explicitScheme) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.hostname === "" || url.search !== "" || url.hash !== "") return undefined;
  if (!url.port && !explicitScheme) url.port = "11434";
  if (url.hostname === "0.0.0.0") url.hostname = "127.0.0.1";
  return url.href.replace(/\/+$/, "");
}
