import { TinyLLMError } from "../error/tinyllm-error";

/** Waits `delayMs`, or rejects with the signal's reason when it aborts first. */
export function delay(delayMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as unknown);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The reason an aborted signal carries, as a TinyLLM error. */
export function abortReason(signal: { readonly reason: unknown }, fallbackCode: string): TinyLLMError {
  const reason = signal.reason as unknown;
  if (TinyLLMError.isInstance(reason)) return reason;
  return new TinyLLMError({ code: fallbackCode, message: reason instanceof Error ? reason.message : "aborted", cause: reason });
}

/** Exponential backoff with optional full jitter. */
export function backoffDelayMs(
  attempt: number,
  { initialDelayMs, maxDelayMs, factor, jitter }: { initialDelayMs: number; maxDelayMs: number; factor: number; jitter: boolean },
  random: () => number,
): number {
  const base = Math.min(maxDelayMs, initialDelayMs * factor ** (attempt - 1));
  return jitter ? Math.round(random() * base) : base;
}
