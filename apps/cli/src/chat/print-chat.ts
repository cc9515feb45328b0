import { styleText } from "node:util";

/** Writes a TinyLLM or store error as the CLI prints them (message and hint, no stack) without ending the chat. */
export function chatErrorText(error: unknown): string {
  const { message, hint } = (typeof error === "object" && error !== null ? error : {}) as { message?: unknown; hint?: unknown };
  const text = typeof message === "string" ? message : String(error);
  if (process.env.TINYLLM_DEBUG && error instanceof Error && error.stack) return `error: ${text}\n${error.stack}`;
  return `error: ${text}${typeof hint === "string" ? `\n  → ${hint}` : ""}`;
}

/** Dims `text` on a colour terminal (not with NO_COLOR, not when piped). */
export function dim(text: string, stream: NodeJS.WriteStream): string {
  if (!stream.isTTY || process.env.NO_COLOR || process.env.TERM === "dumb") return text;
  return styleText("dim", text);
}
