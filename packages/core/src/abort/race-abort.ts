/** Options of {@link raceAbort}. */
export interface RaceAbortOptions {
  /** Turns the signal's reason into the error to reject with. Default: the reason itself. */
  toError?: (reason: unknown) => unknown;
}

/**
 * Settles with `promise`, or rejects as soon as `abortSignal` aborts (with its reason, or what
 * `toError` makes of it). The promise itself keeps running: use this for shared work, such as
 * loading a model, that one caller may stop waiting for. Without a signal it returns `promise`.
 */
export function raceAbort<T>(promise: Promise<T>, abortSignal: AbortSignal | undefined, { toError = (reason) => reason }: RaceAbortOptions = {}): Promise<T> {
  if (!abortSignal) return promise;
  if (abortSignal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(toError(abortSignal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(toError(abortSignal.reason));
    abortSignal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        abortSignal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        abortSignal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
