import type { Context } from "hono";
import type { ServerEnv } from "../server-context";

/** Marks a response that already carries its `X-Request-Id` (a property, not a WeakSet: no GC cost). */
const stamped = Symbol("requestIdStamped");

/**
 * A JSON answer built with its headers as a plain object: the request id, `Content-Type` and
 * `extraHeaders`. It costs less than `c.json` after `c.header` (which keeps the headers in a web
 * `Headers`, copied again when the response is written). Headers set earlier with `c.header` are
 * not part of it: pass them in `extraHeaders`. Headers that middleware put on `c.res` (CORS) are
 * still added by hono.
 */
export function jsonResponse(c: Context<ServerEnv>, body: unknown, extraHeaders?: Record<string, string>): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Request-Id": c.get("requestId") };
  if (extraHeaders) for (const name in extraHeaders) headers[name] = extraHeaders[name] as string;
  const response = new Response(JSON.stringify(body), { status: 200, headers }) as Response & { [stamped]?: true };
  response[stamped] = true;
  c.set("wholeAnswer", true);
  return response;
}

/**
 * Whether the request was answered by {@link jsonResponse}: a whole JSON answer, not a stream.
 * Marked on the context, not the response: middleware such as CORS may copy the response.
 */
export function isWholeAnswer(c: Context<ServerEnv>): boolean {
  return c.get("wholeAnswer") === true;
}

/** Puts the request id on a response, unless {@link jsonResponse} already did. */
export function stampRequestId(c: Context<ServerEnv>, id: string): void {
  const response = c.res as Response & { [stamped]?: true };
  if (response[stamped]) return;
  try {
    response.headers.set("X-Request-Id", id);
  } catch {
    // Immutable headers (a response fetched from elsewhere): hono copies the response.
    c.header("X-Request-Id", id);
  }
}
