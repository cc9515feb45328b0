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

/** What a call that failed is recorded as: the replay fails the same way. */
interface RecordedFailure {
  failure: { code: string; message: string; hint?: string };
}

function isRecordedFailure(response: unknown): response is RecordedFailure {
  return typeof response === "object" && response !== null && "failure" in response && typeof (response as RecordedFailure).failure?.code === "string";
}

/**
 * The failure to record for an error thrown by the live provider: TinyLLM errors only (a prompt
 * over the context, a model that refused the request), not a call the caller aborted.
 */
function failureOf(error: unknown, abortSignal: AbortSignal | undefined): RecordedFailure | undefined {
  if (abortSignal?.aborted || !TinyLLMError.isInstance(error)) return undefined;
  return { failure: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
}

function replayFailure({ failure }: RecordedFailure): TinyLLMError {
  return new TinyLLMError({ code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) });
}

/**
 * A model provider that records every call into a cassette, replays calls from it, or both: the
 * same requests in the same order get the same answers (streamed as the same deltas), with no
 * model at all when every call is recorded. Repeated identical requests replay in the order they
 * were recorded. A call that failed with a TinyLLM error (a prompt longer than the model's
 * context) is recorded too, and fails the same way on replay; with `replay-or-live` it is tried
 * live again.
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
    abortSignal?: AbortSignal,
  ): Promise<{ value: T; replayed: boolean }> => {
    const key = requestKey(kind, request);
    const occurrence = next(key);
    if (mode !== "record") {
      const hit = cassette.find(key, occurrence);
      if (hit && isRecordedFailure(hit.response)) {
        if (mode === "replay" || !run) throw replayFailure(hit.response);
      } else if (hit) return { value: hit.response as T, replayed: true };
      else if (mode === "replay" || !run) throw miss(kind, model, request);
    }
    const started = performance.now();
    let value: T;
    try {
      value = await run!();
    } catch (error) {
      const failure = failureOf(error, abortSignal);
      if (failure) cassette.add(key, occurrence, { kind, model, request, response: failure, latencyMs: performance.now() - started });
      throw error;
    }
    cassette.add(key, occurrence, { kind, model, request, response: value, latencyMs: performance.now() - started });
    return { value, replayed: false };
  };
  const provider: ModelProvider = {
    specificationVersion: "v1",
    id: live?.id ?? recorded!.id,
    capabilities: live?.capabilities ?? recorded!.capabilities,
    async chat(options) {
      const request = chatRequest(options);
      return (await call<ChatResult>("chat", options.model, request, live ? () => live.chat(options) : undefined, options.abortSignal)).value;
    },
    async *streamChat(options) {
      const request = chatRequest(options);
      const key = requestKey("stream", request);
      const occurrence = next(key);
      if (mode !== "record") {
        const hit = cassette.find(key, occurrence);
        if (hit && isRecordedFailure(hit.response)) {
          if (mode === "replay" || !live) throw replayFailure(hit.response);
        } else if (hit) {
          const { deltas, result } = hit.response as { deltas: string[]; result: ChatResult };
          for (const text of deltas) {
            options.abortSignal?.throwIfAborted();
            yield { type: "text-delta", text };
          }
          yield { type: "finish", result };
          return;
        } else if (mode === "replay" || !live) throw miss("stream", options.model, request);
      }
      const started = performance.now();
      const deltas: string[] = [];
      let result: ChatResult | undefined;
      try {
        for await (const part of live!.streamChat(options) as AsyncIterable<ChatStreamPart>) {
          if (part.type === "text-delta") deltas.push(part.text);
          else result = part.result;
          yield part;
        }
      } catch (error) {
        // A failure before the first part (a prompt over the context) replays as the same failure.
        const failure = deltas.length === 0 && !result ? failureOf(error, options.abortSignal) : undefined;
        if (failure)
          cassette.add(key, occurrence, { kind: "stream", model: options.model, request, response: failure, latencyMs: performance.now() - started });
        throw error;
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
