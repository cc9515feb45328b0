/**
 * A shared test suite every {@link ModelProvider} implementation should pass.
 *
 * @module
 */
import assert from "node:assert/strict";
import { TinyLLMError } from "@tinyllm/core";
import { ModelErrorCode } from "../provider/model-error-codes";
import type { ChatStreamPart, ModelProvider } from "@tinyllm/core";

/**
 * The test functions the suite registers with, e.g. vitest's
 * `{ describe, it, beforeAll, afterAll }`. Passing them in keeps the test runner out of this
 * package's runtime dependencies.
 */
export interface ConformanceTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
  beforeAll(body: () => Promise<void>, timeoutMs?: number): void;
  afterAll(body: () => Promise<void>, timeoutMs?: number): void;
}

/** What the factory of {@link describeProviderConformance} returns. */
export interface ConformanceSubject {
  provider: ModelProvider;
  /** A model the provider serves; `listModels()` must list it under this name. */
  model: string;
  /** Releases what the factory created (servers, …) after `provider.close()`. */
  cleanup?: () => Promise<void>;
}

/** Options of {@link describeProviderConformance}. */
export interface ProviderConformanceOptions {
  /** Suite name, e.g. `"llama provider"`. */
  name: string;
  /** The test functions to register with. */
  test: ConformanceTestApi;
  /** Creates the provider under test; called once before the suite. */
  createSubject: () => Promise<ConformanceSubject>;
  /** Upper bound on the time from `abort()` to the `MODEL_ABORTED` rejection. Default 5000. */
  abortWithinMs?: number;
  /** Whether to test `embed`. Default `true`. */
  embeddings?: boolean;
  /** Per-test timeout. Default 60000. */
  timeoutMs?: number;
}

/**
 * Registers the shared provider suite: chat returns text and usage; streamed deltas
 * concatenate to the final text and the stream ends with one `finish`; `jsonSchema` output
 * parses and matches; abort rejects with `MODEL_ABORTED` quickly; an unknown model is
 * `MODEL_NOT_FOUND`; `listModels` lists the model; `embed` returns one vector per input.
 * Assertions use `node:assert`, so any runner works.
 *
 * @example
 * ```ts
 * import { afterAll, beforeAll, describe, it } from "vitest";
 * describeProviderConformance({
 *   name: "ollama provider",
 *   test: { describe, it, beforeAll, afterAll },
 *   createSubject: async () => ({ provider: createOllamaProvider({ host }), model: "qwen2.5:0.5b" }),
 * });
 * ```
 */
export function describeProviderConformance(options: ProviderConformanceOptions): void {
  const { test } = options;
  const abortWithinMs = options.abortWithinMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let subject: ConformanceSubject | undefined;
  const current = (): ConformanceSubject => {
    assert.ok(subject, "createSubject did not run");
    return subject;
  };
  const user = (content: string) => [{ role: "user" as const, content }];

  test.describe(`${options.name} conformance`, () => {
    test.beforeAll(async () => {
      subject = await options.createSubject();
    }, timeoutMs);

    test.afterAll(async () => {
      await subject?.provider.close?.();
      await subject?.cleanup?.();
    }, timeoutMs);

    test.it(
      "chat returns text, usage and timings",
      async () => {
        const { provider, model } = current();
        const result = await provider.chat({ model, messages: user("Once upon a time"), maxTokens: 16 });
        assert.equal(typeof result.text, "string");
        assert.ok(result.text.length > 0, "text is empty");
        assert.equal(result.model, model);
        assert.ok(result.usage.inputTokens > 0, `inputTokens ${result.usage.inputTokens}`);
        assert.ok(result.usage.outputTokens > 0, `outputTokens ${result.usage.outputTokens}`);
        assert.ok(result.usage.outputTokens <= 16 + 1, `outputTokens ${result.usage.outputTokens} > maxTokens`);
        assert.ok(["stop", "length"].includes(result.finishReason), `finishReason ${result.finishReason}`);
        assert.ok(result.durationMs > 0);
      },
      timeoutMs,
    );

    test.it(
      "stream deltas concatenate to the final text and end with finish",
      async () => {
        const { provider, model } = current();
        const parts: ChatStreamPart[] = [];
        for await (const part of provider.streamChat({ model, messages: user("Once upon a time"), maxTokens: 16 })) {
          parts.push(part);
        }
        const last = parts.at(-1);
        assert.ok(last && last.type === "finish", "the last part is not finish");
        assert.equal(parts.filter((part) => part.type === "finish").length, 1, "more than one finish");
        const text = parts.map((part) => (part.type === "text-delta" ? part.text : "")).join("");
        assert.ok(text.length > 0, "no text deltas");
        assert.equal(last.result.text, text);
        assert.ok(last.result.usage.outputTokens > 0);
        if (last.result.timeToFirstTokenMs !== undefined) {
          assert.ok(last.result.timeToFirstTokenMs <= last.result.durationMs);
        }
      },
      timeoutMs,
    );

    test.it(
      "jsonSchema output parses and matches",
      async () => {
        const { provider, model } = current();
        const result = await provider.chat({
          model,
          messages: user("Answer in JSON."),
          maxTokens: 60,
          jsonSchema: {
            type: "object",
            properties: { mood: { type: "string", enum: ["happy", "sad"] }, sunny: { type: "boolean" } },
            required: ["mood", "sunny"],
            additionalProperties: false,
          },
        });
        const value = JSON.parse(result.text) as { mood?: unknown; sunny?: unknown };
        assert.ok(value.mood === "happy" || value.mood === "sad", `mood ${String(value.mood)}`);
        assert.equal(typeof value.sunny, "boolean");
      },
      timeoutMs,
    );

    test.it(
      "abort rejects with MODEL_ABORTED quickly",
      async () => {
        const { provider, model } = current();
        const controller = new AbortController();
        let abortedAt = 0;
        const error = await captureRejection(
          (async () => {
            for await (const part of provider.streamChat({
              model,
              messages: user("Once upon a time"),
              maxTokens: 4_000,
              abortSignal: controller.signal,
            })) {
              if (part.type === "text-delta" && abortedAt === 0) {
                abortedAt = performance.now();
                controller.abort();
              }
            }
          })(),
        );
        assert.ok(abortedAt > 0, "no delta arrived before the abort");
        assertModelError(error, ModelErrorCode.ModelAborted);
        const latencyMs = performance.now() - abortedAt;
        assert.ok(latencyMs < abortWithinMs, `abort took ${Math.round(latencyMs)} ms`);

        const early = await captureRejection(provider.chat({ model, messages: user("hi"), abortSignal: AbortSignal.abort() }));
        assertModelError(early, ModelErrorCode.ModelAborted);

        // The provider still works afterwards.
        const after = await provider.chat({ model, messages: user("Once"), maxTokens: 4 });
        assert.ok(after.usage.outputTokens > 0);
      },
      timeoutMs,
    );

    test.it(
      "an unknown model is MODEL_NOT_FOUND",
      async () => {
        const { provider } = current();
        const error = await captureRejection(provider.chat({ model: "no-such-model-xyz", messages: user("hi"), maxTokens: 2 }));
        assertModelError(error, ModelErrorCode.ModelNotFound);
      },
      timeoutMs,
    );

    test.it(
      "listModels lists the model",
      async () => {
        const { provider, model } = current();
        const models = await provider.listModels();
        assert.ok(
          models.some((info) => info.name === model),
          `${model} not in ${JSON.stringify(models.map((info) => info.name))}`,
        );
      },
      timeoutMs,
    );

    if (options.embeddings !== false) {
      test.it(
        "embed returns one vector per input",
        async () => {
          const { provider, model } = current();
          const { embeddings } = await provider.embed({ model, input: ["a cat", "a dog"] });
          assert.equal(embeddings.length, 2);
          assert.ok(embeddings[0]!.length > 0);
          assert.equal(embeddings[0]!.length, embeddings[1]!.length);
          assert.ok(embeddings.flat().every(Number.isFinite));
        },
        timeoutMs,
      );
    }
  });
}

async function captureRejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

function assertModelError(error: unknown, code: ModelErrorCode): void {
  assert.ok(TinyLLMError.isInstance(error), `expected a TinyLLMError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  assert.equal(error.code, code, error.message);
}
