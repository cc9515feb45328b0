/**
 * A `fetch` wrapper for HTTP model providers: per-call abort, an inactivity timeout that
 * also covers streamed bodies, and classification of network errors.
 *
 * @module
 */
import { mergeAbortSignals } from "@tinyllm/core";

/** Options of {@link createGuardedFetch}. */
export interface GuardedFetchOptions {
  /** Aborts the request and any body still being read. */
  abortSignal?: AbortSignal;
  /**
   * Longest wait for the response headers and then between two body chunks. The request is
   * aborted when it passes. `0` or `undefined` disables it.
   */
  idleTimeoutMs?: number;
  /** The underlying fetch. Default: the global `fetch`. */
  baseFetch?: typeof fetch;
}

/** A fetch bound to one logical call, see {@link createGuardedFetch}. */
export interface GuardedFetch {
  fetch: typeof fetch;
  /** True once a request was aborted because of `idleTimeoutMs`. */
  readonly timedOut: boolean;
}

/** The abort reason used when `idleTimeoutMs` passes. */
export class IdleTimeoutError extends Error {
  constructor(readonly idleTimeoutMs: number) {
    super(`no data received for ${idleTimeoutMs} ms`);
    this.name = "IdleTimeoutError";
  }
}

/**
 * Wraps `fetch` for one logical call. Every request made through it is aborted when
 * `abortSignal` aborts or when no byte arrives for `idleTimeoutMs`; streamed bodies are
 * watched chunk by chunk.
 *
 * @internal
 */
export function createGuardedFetch({ abortSignal, idleTimeoutMs, baseFetch = fetch }: GuardedFetchOptions): GuardedFetch {
  const state = { timedOut: false };
  const guarded = async (input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> => {
    const controller = new AbortController();
    const signal = mergeAbortSignals(controller.signal, abortSignal, init.signal ?? undefined);
    let timer: NodeJS.Timeout | undefined;
    const stopTimer = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    const armTimer = (): void => {
      stopTimer();
      if (!idleTimeoutMs || idleTimeoutMs <= 0) return;
      timer = setTimeout(() => {
        state.timedOut = true;
        controller.abort(new IdleTimeoutError(idleTimeoutMs));
      }, idleTimeoutMs);
      timer.unref?.();
    };
    signal.addEventListener("abort", stopTimer, { once: true });
    armTimer();
    let response: Response;
    try {
      response = await baseFetch(input, { ...init, signal });
    } catch (error) {
      stopTimer();
      throw error;
    }
    if (!response.body) {
      stopTimer();
      return response;
    }
    armTimer();
    const watched = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          armTimer();
          controller.enqueue(chunk);
        },
        flush() {
          stopTimer();
        },
      }),
      { signal },
    );
    return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return {
    fetch: guarded as typeof fetch,
    get timedOut() {
      return state.timedOut;
    },
  };
}

const unreachableCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * True when `error` (or one of its causes) says the server could not be reached at all, as
 * opposed to failing after the connection was made.
 *
 * @internal
 */
export function isUnreachableError(error: unknown): boolean {
  return networkErrorCodes(error).some((code) => unreachableCodes.has(code));
}

/**
 * True when `error` says the connection broke while a response was being read (socket
 * closed, body cut short).
 *
 * @internal
 */
export function isConnectionLostError(error: unknown): boolean {
  if (networkErrorCodes(error).some((code) => ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"].includes(code))) {
    return true;
  }
  for (const item of causeChain(error)) {
    if (item instanceof Error && /^(terminated|other side closed|socket hang up)$/i.test(item.message)) return true;
  }
  return false;
}

function networkErrorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (const item of causeChain(error)) {
    const code = (item as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    if (item instanceof AggregateError) {
      for (const inner of item.errors) codes.push(...networkErrorCodes(inner));
    }
  }
  return codes;
}

function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  while (typeof current === "object" && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
