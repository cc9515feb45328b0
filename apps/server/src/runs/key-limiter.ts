import { serverError } from "../http/server-error";

/** Options of {@link KeyLimiter}. */
export interface KeyLimiterOptions {
  /** Runs at once per API key (or per client without keys). */
  maxConcurrentPerKey: number;
  /** Runs waiting per key beyond those; more are refused with 429. */
  maxQueuedPerKey: number;
  /** Longest a run may wait for its turn before it is refused with 503. */
  maxQueueWaitMs: number;
}

interface Lane {
  active: number;
  waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

/** Lanes kept when idle, at most (beyond that an idle lane is dropped). */
const maxIdleLanes = 64;

/** Per-key concurrency with a bounded queue: a slot, a place in line, or a clear refusal with `Retry-After`. */
export class KeyLimiter {
  private readonly lanes = new Map<string, Lane>();
  constructor(private readonly options: KeyLimiterOptions) {}

  /** Runs waiting, over all keys. */
  get queued(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.waiting.length;
    return count;
  }

  /** Runs holding a slot, over all keys. */
  get active(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.active;
    return count;
  }

  /** A slot for `key` if one is free now (its release function), else undefined: wait for one with {@link acquire}. */
  tryAcquire(key: string): (() => void) | undefined {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { active: 0, waiting: [] }));
    if (lane.active >= this.options.maxConcurrentPerKey) return undefined;
    lane.active++;
    return this.releaser(key, lane);
  }

  /** Waits for a slot for `key`; resolves with its release function. */
  async acquire(key: string, abortSignal?: AbortSignal): Promise<() => void> {
    const free = this.tryAcquire(key);
    if (free) return free;
    const lane = this.lanes.get(key) as Lane;
    const release = this.releaser(key, lane);
    if (lane.waiting.length >= this.options.maxQueuedPerKey) {
      throw serverError(
        "SERVER_BUSY",
        `too many runs at once for this key: ${lane.active} running and ${lane.waiting.length} waiting`,
        "wait for an answer before asking again, or raise limits.maxConcurrentPerKey",
        1,
      );
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        resolve: () => {
          clearTimeout(timer);
          abortSignal?.removeEventListener("abort", onAbort);
          resolve();
        },
        reject,
      };
      const leave = (error: unknown) => {
        const index = lane.waiting.indexOf(entry);
        if (index >= 0) lane.waiting.splice(index, 1);
        clearTimeout(timer);
        abortSignal?.removeEventListener("abort", onAbort);
        reject(error);
      };
      const onAbort = () => leave(serverError("SERVER_RUN_CANCELLED", "the client went away while waiting for a slot"));
      const timer = setTimeout(
        () =>
          leave(
            serverError(
              "SERVER_QUEUE_TIMEOUT",
              `waited ${this.options.maxQueueWaitMs} ms for a free slot`,
              "try again shortly; the server is busy with other runs",
              5,
            ),
          ),
        this.options.maxQueueWaitMs,
      );
      timer.unref?.();
      abortSignal?.addEventListener("abort", onAbort, { once: true });
      lane.waiting.push(entry);
    });
    return release;
  }

  private releaser(key: string, lane: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lane.waiting.shift();
      if (next) next.resolve();
      else {
        lane.active--;
        // An idle lane is kept for its key's next run (keys are few: the API keys, `anonymous`),
        // unless there are many: making and dropping it for every run cost a map entry each time.
        if (lane.active === 0 && this.lanes.size > maxIdleLanes) this.lanes.delete(key);
      }
    };
  }
}
