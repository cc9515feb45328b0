import type { Context } from "hono";
import type { z } from "zod";
import { TinyLLMError } from "@tinyllm/core";
import { requestHeader } from "./request-header";
import { serverError } from "./server-error";

/** The 413 for a body over `maxBytes`. */
export function bodyTooLarge(maxBytes: number) {
  return serverError("SERVER_BODY_TOO_LARGE", `the body is larger than ${maxBytes} bytes`, "send less, or raise limits.maxBodyBytes");
}

/**
 * The body as text, at most `maxBytes`. With a `Content-Length` (checked before reading, see
 * the server's body-size check) it is read in one go; a chunked body is counted as it streams
 * and refused as soon as it passes the cap, so it is never held whole.
 */
async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  if (requestHeader(c, "content-length") !== undefined && requestHeader(c, "transfer-encoding") === undefined) return c.req.text();
  const body = c.req.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The request body parsed as JSON and checked against `schema`; a clear 400 when it is not.
 * `fast`, when given, checks the common shape by hand: it returns the body as `schema` would, or
 * undefined for anything it does not vouch for, which `schema` then checks (and words the error).
 */
export async function readJson<T extends z.ZodType>(
  c: Context,
  schema: T,
  maxBytes: number,
  fast?: (body: unknown) => z.output<T> | undefined,
): Promise<z.output<T>> {
  let text: string;
  try {
    text = await readBodyText(c, maxBytes);
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw error;
    throw serverError("SERVER_BAD_REQUEST", "the request body could not be read", "send the whole body with a Content-Length or chunked encoding");
  }
  let body: unknown;
  try {
    // An empty body is an empty object (`{` first is the common case: nothing to trim).
    body = text.charCodeAt(0) !== 123 && text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    throw serverError(
      "SERVER_BAD_REQUEST",
      `the body is not valid JSON: ${(error as Error).message}`,
      'send a JSON object, e.g. {"model":"multi_domain","messages":[…]}',
    );
  }
  const checked = fast?.(body);
  if (checked !== undefined) return checked;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join(".") : "the body";
    throw serverError("SERVER_BAD_REQUEST", `${where}: ${issue.message}`, "check the field's type against the API reference");
  }
  return parsed.data;
}
