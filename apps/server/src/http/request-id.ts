import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import { requestHeader } from "./request-header";

/** Longest request id taken from a client, as hono's request-id middleware has it. */
const maxClientIdLength = 255;
const unsafeIdCharacter = /[^\w\-=]/;

/**
 * Makes request ids: a random prefix (12 hex digits, new for each server) and a counter, e.g.
 * `3f9a1c2e7b40-1a`. Unique within the server, unlikely to repeat across restarts, and cheaper
 * than a random UUID per request.
 */
export function requestIdSource(): () => string {
  const prefix = randomBytes(6).toString("hex");
  let counter = 0;
  return () => `${prefix}-${(++counter).toString(36)}`;
}

/**
 * The request's id: the client's `X-Request-Id` when it is safe to echo (at most 255 letters,
 * digits, `_`, `-` or `=`), else a new one.
 */
export function requestIdOf(c: Context, next: () => string): string {
  const given = requestHeader(c, "x-request-id");
  return given && given.length <= maxClientIdLength && !unsafeIdCharacter.test(given) ? given : next();
}
