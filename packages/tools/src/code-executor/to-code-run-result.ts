import { TinyLLMError } from "@tinyllm/core";
import { CodeErrorCode } from "./code-error-code";
import type { CodeRunError, CodeRunResult } from "./code-executor";
import { jsonDepth, readEnvelope } from "./read-envelope";
import type { Envelope } from "./read-envelope";
import type { SandboxOutcome } from "./sandbox-protocol";
import { envelopeToError, pendingError, stepToError } from "./to-code-run-error";
import type { ResultContext } from "./to-code-run-error";

/** Deepest nesting of arrays/objects a result may have (deeper data breaks recursive host code). */
export const MAX_RESULT_DEPTH = 100;

/** Console output of an envelope, with a visible marker when it was cut. @internal */
export function stdoutOf(envelope: Envelope | undefined, maxOutputChars: number): { stdout: string; truncated: boolean } {
  const stdout = envelope?.o ?? "";
  const truncated = envelope?.t === true;
  return { stdout: truncated ? `${stdout}\n… [output truncated at ${maxOutputChars} characters]` : stdout, truncated };
}

/** Parses a result's JSON text on the host, refusing oversized or too deeply nested values. @internal */
export function readResultValue(json: string | undefined, context: ResultContext): { value: unknown } | { error: CodeRunError } {
  if (json === undefined) return { value: undefined };
  if (json.length > context.maxReturnChars) {
    return {
      error: {
        code: CodeErrorCode.OutputLimit,
        message: `the result is ${json.length} characters as JSON; the limit is ${context.maxReturnChars}`,
        hint: "Return a smaller result (a summary, a slice, a count) or print the part you need.",
      },
    };
  }
  const depth = jsonDepth(json);
  if (depth > MAX_RESULT_DEPTH) {
    return {
      error: {
        code: CodeErrorCode.OutputLimit,
        message: `the result nests ${depth} levels deep; the limit is ${MAX_RESULT_DEPTH}`,
        hint: "Return flatter data.",
      },
    };
  }
  try {
    return { value: JSON.parse(json) as unknown };
  } catch {
    return { error: { code: CodeErrorCode.Runtime, message: "the sandbox returned a result that is not valid JSON" } };
  }
}

/** Throws for steps that mean the sandbox itself failed. @internal */
export function throwIfFailed(outcome: SandboxOutcome): void {
  if (outcome.main.kind === "failed") {
    throw new TinyLLMError({ code: CodeErrorCode.Unavailable, message: `the sandbox failed: ${outcome.main.message}`, isRetryable: true });
  }
}

/**
 * Turns what the sandbox reported for a run into the public {@link CodeRunResult}.
 *
 * @internal
 */
export function toCodeRunResult(outcome: SandboxOutcome, context: ResultContext, code: string, durationMs: number): CodeRunResult {
  throwIfFailed(outcome);
  const main = outcome.main;
  const envelope = main.kind === "done" ? readEnvelope(main.envelope, context) : undefined;
  const { stdout, truncated } = stdoutOf(envelope ?? readEnvelope(outcome.stdoutEnvelope, context), context.maxOutputChars);
  const failure = (error: CodeRunError): CodeRunResult => ({ ok: false, stdout, truncated, error, durationMs });
  if (main.kind !== "done") return failure(stepToError(main, context, code) ?? { code: CodeErrorCode.Runtime, message: "the code did not run" });
  if (!envelope) return failure({ code: CodeErrorCode.Runtime, message: "the sandbox returned an unreadable answer" });
  if (envelope.s === "pending") return failure(pendingError(context));
  if (envelope.s === "error") return failure(envelopeToError(envelope.e ?? { n: "", m: "the code failed" }, context));
  const result = readResultValue(envelope.v, context);
  if ("error" in result) return failure(result.error);
  return { ok: true, stdout, returnValue: result.value, durationMs, truncated };
}
