import type { Context } from "hono";
import type { z } from "zod";
import { serverError } from "./server-error";

/** The request body parsed as JSON and checked against `schema`; a clear 400 when it is not. */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw serverError("SERVER_BAD_REQUEST", "the request body could not be read", "send the whole body with a Content-Length or chunked encoding");
  }
  let body: unknown;
  try {
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    throw serverError(
      "SERVER_BAD_REQUEST",
      `the body is not valid JSON: ${(error as Error).message}`,
      'send a JSON object, e.g. {"model":"multi_domain","messages":[…]}',
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join(".") : "the body";
    throw serverError("SERVER_BAD_REQUEST", `${where}: ${issue.message}`, "check the field's type against the API reference");
  }
  return parsed.data;
}
