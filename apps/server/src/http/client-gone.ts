import type { ServerResponse } from "node:http";
import type { Context } from "hono";

/** An object told when the client goes away (an event listener object, as `AbortSignal` takes). */
export interface ClientGoneListener {
  handleEvent(): void;
}

/**
 * Whether the client of a request went away before its answer was complete, without an
 * `AbortSignal` until one is asked for: making an AbortController (an EventTarget) costs more
 * than the rest of a model-free request's bookkeeping, and almost every client stays.
 */
export interface ClientGone {
  /** True once the client has gone. */
  readonly gone: boolean;
  /** Why: an `AbortError` once gone. */
  readonly reason: unknown;
  /** A signal aborted when the client goes: made on first use (waiting for a slot, a session's memory). */
  readonly signal: AbortSignal;
  /** Tells `listener` when the client goes (once); nothing if it has already gone (check `gone`). */
  watch(listener: ClientGoneListener): void;
  /** Stops telling `listener`. */
  unwatch(listener: ClientGoneListener): void;
}

const key = Symbol("clientGone");

/**
 * The {@link ClientGone} of a request, one per request. On `@hono/node-server` it watches the
 * response's `close` (a `close` before the answer has been written means the client went away);
 * elsewhere (e.g. `app.fetch` in tests) it follows the request's `signal`.
 */
export function clientGone(c: Context): ClientGone {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.once === "function") {
    const holder = outgoing as ServerResponse & { [key]?: ClientGone };
    return (holder[key] ??= new ResponseClose(outgoing));
  }
  const request = c.req.raw as Request & { [key]?: ClientGone };
  return (request[key] ??= new SignalGone(request.signal));
}

/** {@link ClientGone} from a Node response's `close`. */
class ResponseClose implements ClientGone {
  gone = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined;
  private listeners: ClientGoneListener[] | undefined;

  constructor(outgoing: ServerResponse) {
    outgoing.once("close", () => {
      if (!outgoing.writableFinished) this.go();
    });
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.gone) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  watch(listener: ClientGoneListener): void {
    if (this.gone) return;
    (this.listeners ??= []).push(listener);
  }

  unwatch(listener: ClientGoneListener): void {
    const index = this.listeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.listeners?.splice(index, 1);
  }

  private go(): void {
    this.gone = true;
    this.reason = new DOMException("the client disconnected", "AbortError");
    this.controller?.abort(this.reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener.handleEvent();
  }
}

/** {@link ClientGone} from an `AbortSignal` (the request's own). */
class SignalGone implements ClientGone {
  constructor(readonly signal: AbortSignal) {}

  get gone(): boolean {
    return this.signal.aborted;
  }

  get reason(): unknown {
    return this.signal.reason;
  }

  watch(listener: ClientGoneListener): void {
    if (!this.signal.aborted) this.signal.addEventListener("abort", listener, { once: true });
  }

  unwatch(listener: ClientGoneListener): void {
    this.signal.removeEventListener("abort", listener);
  }
}
