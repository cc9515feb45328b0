/**
 * One signal that aborts when any of `signals` does. `undefined` entries are ignored; with one
 * signal left it is returned as it is, and with none, `undefined`.
 *
 * @example
 * ```ts
 * const signal = mergeAbortSignals(options.abortSignal, AbortSignal.timeout(5_000));
 * ```
 */
export function mergeAbortSignals(first: AbortSignal, ...rest: Array<AbortSignal | undefined>): AbortSignal;
export function mergeAbortSignals(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined;
export function mergeAbortSignals(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
