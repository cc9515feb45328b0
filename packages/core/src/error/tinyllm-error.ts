const marker = "tinyllm.error";
const symbol = Symbol.for(marker);

/** Options shared by every {@link TinyLLMError}. */
export interface TinyLLMErrorOptions {
  /** Stable machine-readable code, e.g. `NODE_TIMEOUT`. */
  code: string;
  /** Human message: what went wrong. */
  message: string;
  /** What the user can do about it. Appended to the message when shown. */
  hint?: string;
  /** Whether trying the same thing again may succeed. */
  isRetryable?: boolean;
  /** The node the error belongs to, when there is one. */
  nodeId?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The base class of every error TinyLLM raises. Each error has a stable `code`, an optional
 * `hint` that says what to do next, and `isRetryable`.
 *
 * Use {@link TinyLLMError.isInstance} rather than `instanceof`: it works across two copies of
 * the package.
 *
 * @example
 * ```ts
 * try { await something(); } catch (error) {
 *   if (TinyLLMError.isInstance(error)) console.error(error.code, error.hint);
 * }
 * ```
 */
export class TinyLLMError extends Error {
  private readonly [symbol] = true;
  /** Stable machine-readable code. */
  readonly code: string;
  /** What the user can do about it. */
  readonly hint: string | undefined;
  /** Whether trying again may succeed. */
  readonly isRetryable: boolean;
  /** The node the error belongs to, when there is one. */
  readonly nodeId: string | undefined;

  constructor({ code, message, hint, isRetryable = false, nodeId, cause }: TinyLLMErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "TinyLLMError";
    this.code = code;
    this.hint = hint;
    this.isRetryable = isRetryable;
    this.nodeId = nodeId;
  }

  /** True when `error` is a TinyLLM error, whichever copy of the package created it. */
  static isInstance(error: unknown): error is TinyLLMError {
    try {
      return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[symbol] === true;
    } catch {
      return false;
    }
  }

  /** The message followed by the hint, for people. */
  get fullMessage(): string {
    return this.hint ? `${this.message}\n  → ${this.hint}` : this.message;
  }

  /** A plain object for JSON output. */
  toJSON(): { code: string; message: string; hint?: string; nodeId?: string; isRetryable: boolean } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.nodeId ? { nodeId: this.nodeId } : {}),
      isRetryable: this.isRetryable,
    };
  }
}

/**
 * Turns anything thrown into a {@link TinyLLMError}, keeping the original as `cause`.
 * A thrown object with `retryable: true` or `isRetryable: true` stays retryable.
 */
export function toTinyLLMError(error: unknown, fallback: { code?: string; nodeId?: string } = {}): TinyLLMError {
  try {
    if (TinyLLMError.isInstance(error)) return error;
    const record = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : undefined;
    const message = error instanceof Error ? String(error.message) : typeof error === "string" ? error : `non-error value thrown: ${safeString(error)}`;
    return new TinyLLMError({
      code: fallback.code ?? "NODE_FAILED",
      message,
      nodeId: fallback.nodeId,
      isRetryable: record?.retryable === true || record?.isRetryable === true,
      cause: error,
    });
  } catch {
    // A hostile thrown value (a Proxy whose traps throw, a throwing getter) still becomes an error.
    return new TinyLLMError({ code: fallback.code ?? "NODE_FAILED", message: "a value that cannot be read was thrown", nodeId: fallback.nodeId, cause: error });
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}
