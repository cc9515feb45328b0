/**
 * A circuit breaker per host: closed while calls succeed, open after failures (no calls go
 * there), half-open after a cool-down (one probe decides).
 *
 * @module
 */

/** The breaker's state: `closed` (healthy), `open` (down), `half-open` (one probe allowed). */
export type CircuitState = "closed" | "open" | "half-open";

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 3). A failure marked `fatal` opens it at once. */
  failureThreshold?: number;
  /** How long the circuit stays open before a probe may try again, in ms (default 5,000). */
  cooldownMs?: number;
  /** The clock, in ms (default `performance.now`). */
  now?: () => number;
}

/** A {@link createCircuitBreaker}. */
export interface CircuitBreaker {
  /** The state now (an open circuit whose cool-down is over reads `half-open`). */
  readonly state: CircuitState;
  /** The last failure's message, while not closed. */
  readonly lastError: string | undefined;
  /** Records a success: the circuit closes. Returns true when it was not closed before. */
  success(): boolean;
  /** Records a failure; `fatal` (the host cannot be reached) opens the circuit at once. Returns true when this opened it. */
  failure(message: string, options?: { fatal?: boolean }): boolean;
}

/** Creates a {@link CircuitBreaker}. */
export function createCircuitBreaker({ failureThreshold = 3, cooldownMs = 5_000, now = () => performance.now() }: CircuitBreakerOptions = {}): CircuitBreaker {
  let failures = 0;
  let openedAtMs: number | undefined;
  let lastError: string | undefined;
  return {
    get state(): CircuitState {
      if (openedAtMs === undefined) return "closed";
      return now() - openedAtMs >= cooldownMs ? "half-open" : "open";
    },
    get lastError() {
      return lastError;
    },
    success() {
      const wasOpen = openedAtMs !== undefined;
      failures = 0;
      openedAtMs = undefined;
      lastError = undefined;
      return wasOpen;
    },
    failure(message, { fatal = false } = {}) {
      failures += 1;
      lastError = message;
      const wasOpen = openedAtMs !== undefined;
      if (fatal || failures >= failureThreshold || wasOpen) openedAtMs = now();
      return !wasOpen && openedAtMs !== undefined;
    },
  };
}
