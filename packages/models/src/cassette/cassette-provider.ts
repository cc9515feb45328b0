import { ModelErrorCode, TinyLLMError, type ChatOptions, type ChatResult, type ChatStreamPart, type EmbedOptions, type ModelProvider } from "@tinyllm/core";
import { requestKey, type Cassette } from "./cassette";

/** Options of {@link cassetteProvider}. */
export interface CassetteProviderOptions {
  cassette: Cassette;
  /**
   * `record`: every call goes to `live` and is recorded. `replay`: every call is answered from the
   * cassette; a call not in it fails with `CASSETTE_MISS`. `replay-or-live`: answered from the
   * cassette when it is there, else by `live`, and recorded.
   */
  mode: "record" | "replay" | "replay-or-live";
  /** The provider that really answers (required for `record`, optional for `replay-or-live`). */
  live?: ModelProvider;
}

/** The request fields that determine an answer: not the abort signal, not keep-alive. */
function chatRequest(options: ChatOptions): Record<string, unknown> {
  const { abortSignal: _signal, keepAlive: _keepAlive, ...request } = options;
  return request;
}

/**
 * A model provider that records every call into a cassette, replays calls from it, or both: the
 * same requests in the same order get the same answers (streamed as the same deltas), with no
 * model at all when every call is recorded. Repeated identical requests replay in the order they
 * were recorded.
 */
export function cassetteProvider({ cassette, mode, live }: CassetteProviderOptions): ModelProvider {
  if (mode === "record" && !live)
    throw new TinyLLMError({
      code: ModelErrorCode.CassetteFailed,
      message: "recording needs a provider to record",
      hint: "pass live: the provider that answers",
    });
  if (live)
    cassette.setProvider({ id: live.id, capabilities: { ...live.capabilities }, ...(cassette.provider()?.kind ? { kind: cassette.provider()!.kind } : {}) });
  const recorded = cassette.provider();
  if (!live && !recorded)
    throw new TinyLLMError({
      code: ModelErrorCode.CassetteFailed,
      message: `the cassette ${cassette.path} holds no recorded call`,
      hint: "record one first with --record FILE",
    });
  const seen = new Map<string, number>();
  const next = (key: string) => {
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return occurrence;
  };
  const miss = (kind: string, model: string, request: Record<string, unknown>) => {
    const messages = (request.messages as { role: string; content: string }[] | undefined) ?? [];
    const lastUser = [...messages].reverse().find((message) => message.role === "user")?.content ?? String(request.input ?? "");
    return new TinyLLMError({
      code: ModelErrorCode.CassetteMiss,
      message: `the cassette ${cassette.path} has no ${kind} call to ${model} for "${lastUser.slice(0, 60)}${lastUser.length > 60 ? "…" : ""}"`,
      hint: "the run asked for something that was not recorded: record it again with --record, or let misses go to a live model (--replay-miss live)",
    });
  };
  /** The recorded answer, or the live one (recorded), or a miss. */
  const call = async <T>(
    kind: string,
    model: string,
    request: Record<string, unknown>,
    run: (() => Promise<T>) | undefined,
  ): Promise<{ value: T; replayed: boolean }> => {
    const key = requestKey(kind, request);
    const occurrence = next(key);
    if (mode !== "record") {
      const hit = cassette.find(key, occurrence);
      if (hit) return { value: hit.response as T, replayed: true };
      if (mode === "replay" || !run) throw miss(kind, model, request);
    }
    const started = performance.now();
    const value = await run!();
    cassette.add(key, occurrence, { kind, model, request, response: value, latencyMs: performance.now() - started });
    return { value, replayed: false };
  };
  const provider: ModelProvider = {
    specificationVersion: "v1",
    id: live?.id ?? recorded!.id,
    capabilities: live?.capabilities ?? recorded!.capabilities,
    async chat(options) {
      const request = chatRequest(options);
      return (await call<ChatResult>("chat", options.model, request, live ? () => live.chat(options) : undefined)).value;
    },
    async *streamChat(options) {
      const request = chatRequest(options);
      const key = requestKey("stream", request);
      const occurrence = next(key);
      if (mode !== "record") {
        const hit = cassette.find(key, occurrence);
        if (hit) {
          const { deltas, result } = hit.response as { deltas: string[]; result: ChatResult };
          for (const text of deltas) {
            options.abortSignal?.throwIfAborted();
            yield { type: "text-delta", text };
          }
          yield { type: "finish", result };
          return;
        }
        if (mode === "replay" || !live) throw miss("stream", options.model, request);
      }
      const started = performance.now();
      const deltas: string[] = [];
      let result: ChatResult | undefined;
      for await (const part of live!.streamChat(options) as AsyncIterable<ChatStreamPart>) {
        if (part.type === "text-delta") deltas.push(part.text);
        else result = part.result;
        yield part;
      }
      if (result)
        cassette.add(key, occurrence, { kind: "stream", model: options.model, request, response: { deltas, result }, latencyMs: performance.now() - started });
    },
    async embed(options: EmbedOptions) {
      const { abortSignal: _signal, ...request } = options;
      return (await call<{ embeddings: number[][]; model: string }>("embed", options.model, request, live ? () => live.embed(options) : undefined)).value;
    },
    async listModels(options) {
      return (await call("list", "", {}, live ? () => live.listModels(options) : undefined)).value;
    },
    async close() {
      await live?.close?.();
    },
  };
  if (live?.countTokens || !live) {
    provider.countTokens = async (options) => {
      const { abortSignal: _signal, ...request } = options;
      return (
        await call<{ inputTokens: number; contextTokens: number }>(
          "count",
          options.model,
          request,
          live?.countTokens ? () => live.countTokens!(options) : undefined,
        )
      ).value;
    };
  }
  return provider;
}
