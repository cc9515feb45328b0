import type { ServerResponse } from "node:http";
import type { Context } from "hono";

const signals = new WeakMap<object, AbortSignal>();

/**
 * A signal aborted when the client goes away before its answer is complete. On
 * `@hono/node-server` it watches the response's `close`, which costs less than the request's
 * own `signal` (that one is created for every request that reads it and aborted after every
 * answer); elsewhere (e.g. `app.fetch` in tests) it is the request's signal. One per request.
 */
export function clientGoneSignal(c: Context): AbortSignal {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing || typeof outgoing.once !== "function") return c.req.raw.signal;
  let signal = signals.get(outgoing);
  if (signal) return signal;
  const controller = new AbortController();
  outgoing.once("close", () => {
    if (!outgoing.writableFinished) controller.abort(new DOMException("the client disconnected", "AbortError"));
  });
  signal = controller.signal;
  signals.set(outgoing, signal);
  return signal;
}
