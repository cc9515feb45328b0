/** True when an Ollama server answers `/api/version` at `host` within `timeoutMs`. Never throws. */
export async function ollamaAnswers(host: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(new URL("/api/version", host), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
