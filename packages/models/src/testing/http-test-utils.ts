/**
 * Small node:http helpers shared by the loopback test servers.
 *
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename } from "node:path";
import { createLlamaProvider } from "../provider/llama-provider";
import type { ChatStreamPart, ModelProvider } from "@tinyllm/core";
import { resolveTestModel } from "./test-model";
import type { TestServerFault } from "./test-server-fault";

/** One request a test server received, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The parsed JSON body, when there was one. */
  body?: unknown;
}

/**
 * Reads and parses a JSON request body of at most `maxBytes`.
 *
 * @internal
 */
export async function readJsonBody(request: IncomingMessage, { maxBytes = 8 * 1024 * 1024 } = {}): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, "request body too large");
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "invalid JSON body");
  }
}

/**
 * An error answered with its status code.
 *
 * @internal
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends a JSON response.
 *
 * @internal
 */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

/**
 * An AbortSignal that aborts when the client goes away before the response finished.
 *
 * @internal
 */
export function clientGoneSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.on("close", () => {
    if (!response.writableFinished) controller.abort(new Error("client disconnected"));
  });
  return controller.signal;
}

/**
 * Waits `delayMs`, or less when `abortSignal` aborts first (never rejects).
 *
 * @internal
 */
export function pause({ delayMs, abortSignal }: { delayMs: number; abortSignal: AbortSignal }): Promise<void> {
  return new Promise((resolve) => {
    if (abortSignal.aborted) return resolve();
    const timer = setTimeout(done, delayMs);
    function done(): void {
      clearTimeout(timer);
      abortSignal.removeEventListener("abort", done);
      resolve();
    }
    abortSignal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Listens on 127.0.0.1 and returns the port.
 *
 * @internal
 */
export function listenOnLoopback(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Closes a server and every connection it still has (idle keep-alive ones included).
 *
 * @internal
 */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The model behind a test server. */
export interface BackingModel {
  provider: ModelProvider;
  /** The model name to pass to `provider`. */
  providerModel: string;
  /** Whether the test server created the provider (and so closes it). */
  owned: boolean;
}

/**
 * The provider a test server forwards to: the given one, or the embedded llama provider on
 * {@link resolveTestModel} with one thread.
 *
 * @internal
 */
export async function resolveBackingModel(options: { provider?: ModelProvider; providerModel?: string }): Promise<BackingModel> {
  if (options.provider) {
    if (options.providerModel === undefined) throw new Error("test server: pass providerModel together with provider");
    return { provider: options.provider, providerModel: options.providerModel, owned: false };
  }
  const model = await resolveTestModel();
  return {
    provider: createLlamaProvider({ modelPath: model.path, threads: 1 }),
    providerModel: basename(model.path),
    owned: true,
  };
}

/**
 * Writes `lastWrite`, waits until it reached the socket, then ends the response early or
 * drops the connection.
 *
 * @internal
 */
export async function cutResponse(response: ServerResponse, cut: Extract<TestServerFault, { kind: "cut-stream" }>, lastWrite: string): Promise<void> {
  if (cut.mode === "end") {
    response.end(lastWrite);
    return;
  }
  await new Promise<void>((resolve) => {
    if (lastWrite.length === 0) return resolve();
    response.write(lastWrite, () => resolve());
  });
  response.socket?.destroy();
}

/**
 * Streams `text` in 8-character deltas and a finish part, as a provider would.
 *
 * @internal
 */
export async function* fakeTextStream(text: string): AsyncGenerator<ChatStreamPart> {
  const pieces = text.match(/.{1,8}/gs) ?? [];
  for (const piece of pieces) yield { type: "text-delta", text: piece };
  yield {
    type: "finish",
    result: {
      text,
      model: "invalid-json",
      usage: { inputTokens: 1, outputTokens: pieces.length },
      finishReason: "stop",
      durationMs: 1,
    },
  };
}
