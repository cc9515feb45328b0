import { TinyLLMError } from "@tinyllm/core";
import type { Tool, ToolResult } from "./tool";
import { ToolErrorCode } from "./tool-error-codes";

/** Options of {@link runTool}. */
export interface RunToolOptions {
  abortSignal?: AbortSignal;
  /** Overrides the tool's own `timeoutMs`. */
  timeoutMs?: number;
}

/**
 * Calls a tool safely: validates the raw input against its schema, runs it under its timeout
 * and the caller's signal, and returns a {@link ToolResult}. Never throws.
 *
 * @example
 * ```ts
 * const result = await runTool(calculator, { expression: "sqrt(16) * 3" });
 * if (result.ok) console.log(result.output.text); // "12"
 * ```
 */
export async function runTool<TInput, TOutput>(
  tool: Tool<TInput, TOutput>,
  rawInput: unknown,
  { abortSignal, timeoutMs = tool.timeoutMs }: RunToolOptions = {},
): Promise<ToolResult<TOutput>> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const parsed = tool.inputSchema.safeParse(rawInput);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
    return {
      ok: false,
      error: { code: ToolErrorCode.ToolInputInvalid, message: `invalid input for ${tool.name}: ${detail}`, hint: "match the tool's input schema" },
      durationMs: elapsed(),
    };
  }
  if (abortSignal?.aborted)
    return { ok: false, error: { code: ToolErrorCode.ToolAborted, message: `${tool.name} was aborted before it started` }, durationMs: elapsed() };
  const controller = new AbortController();
  const onAbort = () => controller.abort(new TinyLLMError({ code: ToolErrorCode.ToolAborted, message: `${tool.name} was aborted` }));
  abortSignal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(
    () =>
      controller.abort(
        new TinyLLMError({
          code: ToolErrorCode.ToolTimeout,
          message: `${tool.name} did not finish within ${timeoutMs} ms`,
          hint: "simplify the input, or raise the tool's timeout",
        }),
      ),
    timeoutMs,
  );
  try {
    const work = tool.execute(parsed.data, { abortSignal: controller.signal });
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason as unknown), { once: true }),
    );
    const output = await Promise.race([work, aborted]);
    work.catch(() => undefined);
    const checked = tool.outputSchema.safeParse(output);
    if (!checked.success) {
      return {
        ok: false,
        error: { code: ToolErrorCode.ToolFailed, message: `${tool.name} returned output that does not match its schema` },
        durationMs: elapsed(),
      };
    }
    return { ok: true, output: checked.data, durationMs: elapsed() };
  } catch (thrown) {
    return { ok: false, error: toToolError(thrown), durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
    abortSignal?.removeEventListener("abort", onAbort);
  }
}

/** Any thrown value as a {@link ToolError}. */
export function toToolError(thrown: unknown): { code: string; message: string; hint?: string } {
  if (TinyLLMError.isInstance(thrown)) return { code: thrown.code, message: thrown.message, ...(thrown.hint ? { hint: thrown.hint } : {}) };
  const message = thrown instanceof Error ? thrown.message : typeof thrown === "string" ? thrown : "the tool failed";
  return { code: ToolErrorCode.ToolFailed, message };
}
