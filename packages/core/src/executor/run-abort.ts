import { CoreErrorCode } from "../error/error-codes";
import { TinyLLMError } from "../error/tinyllm-error";

/** What the executor reads of a signal: a real `AbortSignal`, or a run's {@link RunAbort}. */
export interface AbortState {
  readonly aborted: boolean;
  readonly reason: unknown;
}

/** The `AbortSignal` of `state`: itself, or the run's signal, made on first use. */
export function signalOf(state: AbortState): AbortSignal {
  return state instanceof RunAbort ? state.signal : (state as AbortSignal);
}

/**
 * How a run is stopped: by the caller's signal, the run's deadline or `abort` (a stream left
 * early). It makes no `AbortController` until something needs a real signal (a node reads
 * `context.abortSignal`, a handler returns a promise that has to be raced, a node timeout, a
 * fan-out, a retry's wait); before that, `aborted` reads the caller's signal directly.
 *
 * The deadline's timer is armed at the same moment, for what is left of the deadline. Until then
 * the run has only done synchronous work and awaited settled promises (microtasks), during which
 * no timer can fire, so a timer armed at the start would not have fired either. A run whose
 * nodes all answer synchronously therefore costs no controller, no listener and no timer.
 */
export class RunAbort implements AbortState {
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listening = false;
  private isAborted = false;
  private abortReason: unknown;
  private readonly startedAt = performance.now();

  constructor(
    private readonly caller: AbortSignal | undefined,
    private readonly deadlineMs: number | undefined,
  ) {}

  get aborted(): boolean {
    if (this.isAborted) return true;
    if (this.caller?.aborted) {
      this.abort(callerCancelled(this.caller));
      return true;
    }
    return false;
  }

  get reason(): unknown {
    return this.aborted ? this.abortReason : undefined;
  }

  /** The run's signal: made now if it was not yet, linked to the caller's and the deadline. */
  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = new AbortController();
    this.controller = controller;
    if (this.aborted) {
      controller.abort(this.abortReason);
      return controller.signal;
    }
    if (this.caller) {
      this.caller.addEventListener("abort", this, { once: true });
      this.listening = true;
    }
    if (this.deadlineMs !== undefined) {
      const deadlineMs = this.deadlineMs;
      this.timer = setTimeout(
        () =>
          this.abort(
            new TinyLLMError({
              code: CoreErrorCode.RunTimeout,
              message: `the run passed its ${deadlineMs} ms deadline`,
              hint: "raise the deadline (limits.deadlineMs or --deadline), or make the graph faster",
            }),
          ),
        Math.max(0, deadlineMs - (performance.now() - this.startedAt)),
      );
    }
    return controller.signal;
  }

  /** Stops the run with `reason` (the first reason wins). */
  abort(reason: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /** The caller's signal aborted (an event listener object, so no closure per run). */
  handleEvent(): void {
    if (this.caller) this.abort(callerCancelled(this.caller));
  }

  /** The run has ended: stops the timer and the listener, and aborts work still in flight with `reason`. */
  dispose(reason: unknown): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.listening) this.caller?.removeEventListener("abort", this);
    this.abort(reason);
  }
}

function callerCancelled(caller: AbortSignal): TinyLLMError {
  return new TinyLLMError({ code: CoreErrorCode.RunCancelled, message: "the run was cancelled by the caller", cause: caller.reason });
}
