import type { SessionMessageInput, SessionRole, SessionSettings } from "@tinyllm/core";
import { memoryInputInvalid } from "../memory-error";

const ID_PATTERN = /^[A-Za-z0-9\-_.:]{1,128}$/;
const ROLES: readonly SessionRole[] = ["system", "user", "assistant"];
// C0 controls except tab, newline and carriage return, plus DEL: signs of binary content.
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Checks a session id: letters, digits, `-`, `_`, `.` and `:`, 1 to 128 characters.
 * @throws TinyLLMError `MEMORY_INPUT_INVALID`.
 * @internal
 */
export function checkSessionId(id: unknown): string {
  if (typeof id !== "string" || !ID_PATTERN.test(id)) {
    const shown = typeof id === "string" ? `'${id.length > 40 ? `${id.slice(0, 40)}…` : id}'` : typeof id;
    throw memoryInputInvalid(
      `${shown} is not a valid session id`,
      "use 1 to 128 letters, digits, '-', '_', '.' or ':', or leave the id out for a new random one",
    );
  }
  return id;
}

/**
 * Checks one message to append: a known role, non-empty text content without binary control
 * characters, at most `maxChars` characters.
 * @throws TinyLLMError `MEMORY_INPUT_INVALID` naming the message's position.
 * @internal
 */
export function checkMessageInput(message: SessionMessageInput, index: number, maxChars: number): void {
  const where = `message ${index + 1}`;
  if (typeof message !== "object" || message === null) throw memoryInputInvalid(`${where} is not an object`, "pass { role, content }");
  if (!ROLES.includes(message.role)) {
    throw memoryInputInvalid(`${where} has the unknown role ${JSON.stringify(message.role)}`, `use one of ${ROLES.join(", ")}`);
  }
  if (typeof message.content !== "string" || message.content.trim().length === 0) {
    throw memoryInputInvalid(`${where} has empty content`, "append only messages with some text");
  }
  if (message.content.length > maxChars) {
    throw memoryInputInvalid(
      `${where} has ${message.content.length} characters; the session store keeps at most ${maxChars} per message`,
      "shorten the message (attach large documents as files instead), or open the store with a larger maxMessageChars",
    );
  }
  if (BINARY.test(message.content)) {
    throw memoryInputInvalid(
      `${where} contains binary data (control characters such as NUL)`,
      "send text only; encode binary data (e.g. base64) if it must be kept",
    );
  }
  if (message.runId !== undefined && (typeof message.runId !== "string" || message.runId.length === 0 || message.runId.length > 256)) {
    throw memoryInputInvalid(`${where} has an invalid runId`, "pass the run's id (a non-empty string) or leave it out");
  }
  if (message.atMs !== undefined && (!Number.isFinite(message.atMs) || message.atMs < 0)) {
    throw memoryInputInvalid(`${where} has an invalid atMs ${String(message.atMs)}`, "pass ms since the Unix epoch, or leave it out for now");
  }
}

/**
 * Checks settings: an object whose `graph`/`user` are strings and whose `models` maps strings to strings.
 * @throws TinyLLMError `MEMORY_INPUT_INVALID`.
 * @internal
 */
export function checkSettings(settings: unknown): SessionSettings {
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
    throw memoryInputInvalid("session settings must be an object", "pass e.g. { graph: 'graphs/chat.yaml' }");
  }
  const { graph, user, models } = settings as SessionSettings;
  for (const [key, value] of [
    ["graph", graph],
    ["user", user],
  ] as const) {
    if (value !== undefined && typeof value !== "string")
      throw memoryInputInvalid(`session setting '${key}' must be a string`, `pass a string or undefined to remove it`);
  }
  if (models !== undefined) {
    const valid = typeof models === "object" && models !== null && !Array.isArray(models) && Object.values(models).every((value) => typeof value === "string");
    if (!valid) throw memoryInputInvalid("session setting 'models' must map names to model names", "pass e.g. { T1: 'qwen2.5:3b' }");
  }
  return settings as SessionSettings;
}
