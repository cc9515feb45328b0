/**
 * The model scheduler behind the Ollama test server: VRAM and load-time accounting, keep-alive
 * expiry and eviction the way Ollama's `server/sched.go` does them, on real timers.
 *
 * @module
 */

/** One model an Ollama test server serves. */
export interface OllamaTestModel {
  /** Its name; `:latest` is added when it has no tag. */
  name: string;
  /** Its size in MiB, counted against the VRAM while it is loading or loaded. */
  sizeMB: number;
  /** How long loading it takes, in ms (a real timer). Default 0. */
  loadMs?: number;
  /**
   * Its repeating layers (`<arch>.block_count` in `/api/show`); with the output layer, the
   * layers a request's `num_gpu` counts. Default 32.
   */
  blockCount?: number;
}

/** A load or an unload on an Ollama test server, from `OllamaTestServer.events`. */
export interface OllamaTestServerEvent {
  /** `load-start` when a load begins, `load-end` when the model is ready, `unload` when it leaves. */
  kind: "load-start" | "load-end" | "unload";
  /** The model, with its tag. */
  model: string;
  /** When it happened, on the `performance.now()` clock. */
  atMs: number;
  /**
   * Why the model left (unloads only): evicted to make room, its keep-alive `expired`, a request
   * with `keep_alive: 0`, the server `stopped`, or `reload`: a request asked for another
   * `num_gpu` than it was loaded with.
   */
  reason?: "evicted" | "expired" | "keep-alive-0" | "stopped" | "reload";
}

/** A model an Ollama test server has loaded, from `OllamaTestServer.loaded()`. */
export interface OllamaTestLoadedModel {
  /** The model, with its tag. */
  name: string;
  /** Its full size in MiB. */
  sizeMB: number;
  /**
   * The MiB of it in VRAM: `sizeMB`, the whole VRAM for a first model larger than it, or the
   * share of its layers a request's `num_gpu` put there.
   */
  vramMB: number;
  /** The `num_gpu` it was loaded with, when a request gave one. */
  numGpu?: number;
  /** Requests using it now (queued ones not counted). */
  inFlight: number;
  /**
   * When its keep-alive runs out, in epoch ms (`Date.now()` clock); `Infinity` for never. While
   * requests are in flight it is counted from the start of the latest one, and restarts when the
   * last one ends, as in Ollama.
   */
  expiresAt: number;
}

/** A request's hold on a loaded model. @internal */
export interface ModelLease {
  /** How long the request waited for loads (and evictions) before it could run; 0 when it did not. */
  loadDurationMs: number;
  /** Ends the request's use of the model; safe to call twice. */
  release(): void;
}

interface Runner {
  model: Required<OllamaTestModel>;
  vramMB: number;
  numGpu: number | undefined;
  loaded: boolean;
  /** Settles `true` when the load ends, `false` when the runner is dropped while loading. */
  ready: Promise<boolean>;
  settle: (ok: boolean) => void;
  loadTimer?: NodeJS.Timeout;
  inFlight: number;
  /** The latest request's keep-alive; negative = forever. */
  keepAliveMs: number;
  expiresAt: number;
  expiryTimer?: NodeJS.Timeout;
  drainWaiters: (() => void)[];
}

interface Pending {
  model: Required<OllamaTestModel>;
  keepAliveMs: number;
  numGpu: number | undefined;
  enqueuedAtMs: number;
  waited: boolean;
  abortSignal: AbortSignal | undefined;
  onAbort: () => void;
  resolve: (lease: ModelLease) => void;
  reject: (error: unknown) => void;
}

/**
 * Ollama's scheduler in miniature: one FIFO queue, one load at a time (a load blocks the queue,
 * ollama/ollama#5724), at most `maxLoadedModels` runners, eviction by shortest keep-alive (then
 * name) of the first idle runner, else draining the first one.
 *
 * @internal
 */
export class OllamaTestScheduler {
  /** Every load and unload, oldest first. */
  readonly events: OllamaTestServerEvent[] = [];
  private readonly runners = new Map<string, Runner>();
  private readonly queue: Pending[] = [];
  private readonly watchers = new Set<() => void>();
  private loading: Runner | undefined;
  private pumping = false;
  private readonly vramMB: number;
  private readonly maxLoadedModels: number;

  constructor({ vramMB = Number.POSITIVE_INFINITY, maxLoadedModels = 3 }: { vramMB?: number; maxLoadedModels?: number } = {}) {
    if (!(vramMB > 0)) throw new Error(`test server: vramMB must be positive, got ${vramMB}`);
    if (!Number.isInteger(maxLoadedModels) || maxLoadedModels < 1) {
      throw new Error(`test server: maxLoadedModels must be a whole number ≥ 1, got ${maxLoadedModels}`);
    }
    this.vramMB = vramMB;
    this.maxLoadedModels = maxLoadedModels;
  }

  /**
   * Queues a request for `model`; resolves once the model is loaded and the request holds it.
   * Rejects when `abortSignal` aborts while queued, or when the server stops. `numGpu` is the
   * request's `options.num_gpu`: that many of the model's layers go to VRAM, and such a model
   * loads beside others when they fit (as Ollama's `PredictServerFit` allows with an explicit
   * `num_gpu`); a loaded model asked for another `num_gpu` is reloaded.
   */
  acquire(model: Required<OllamaTestModel>, keepAliveMs: number, abortSignal?: AbortSignal, numGpu?: number): Promise<ModelLease> {
    return new Promise((resolve, reject) => {
      if (abortSignal?.aborted) return reject(abortSignal.reason);
      const pending: Pending = {
        model,
        keepAliveMs,
        // A negative num_gpu is Ollama's default (-1): as if none were given.
        numGpu: numGpu !== undefined && numGpu >= 0 ? numGpu : undefined,
        enqueuedAtMs: performance.now(),
        waited: false,
        abortSignal,
        onAbort: () => {
          const index = this.queue.indexOf(pending);
          if (index >= 0) this.queue.splice(index, 1);
          reject(abortSignal?.reason);
        },
        resolve,
        reject,
      };
      abortSignal?.addEventListener("abort", pending.onAbort, { once: true });
      this.queue.push(pending);
      void this.pump();
    });
  }

  /** `keep_alive: 0` with no prompt: unloads `name` now, or when its requests end. */
  expire(name: string): void {
    const runner = this.runners.get(name);
    if (!runner) return;
    runner.keepAliveMs = 0;
    clearTimeout(runner.expiryTimer);
    runner.expiresAt = Date.now();
    if (runner.loaded && runner.inFlight === 0) this.unload(runner, "keep-alive-0");
  }

  /** The loaded models (not ones still loading), in load order, after unloading expired ones. */
  loaded(): OllamaTestLoadedModel[] {
    this.sweep();
    return [...this.runners.values()]
      .filter((runner) => runner.loaded)
      .map((runner) => ({
        name: runner.model.name,
        sizeMB: runner.model.sizeMB,
        vramMB: runner.vramMB,
        ...(runner.numGpu !== undefined ? { numGpu: runner.numGpu } : {}),
        inFlight: runner.inFlight,
        expiresAt: runner.expiresAt,
      }));
  }

  /** Resolves once `predicate` holds over `events`, checked now and on each new event. */
  waitFor(predicate: (events: readonly OllamaTestServerEvent[]) => boolean, { timeoutMs }: { timeoutMs: number }): Promise<void> {
    if (predicate(this.events)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.watchers.delete(watcher);
        if (error) reject(error);
        else resolve();
      };
      const watcher = (): void => {
        try {
          if (predicate(this.events)) finish();
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const timer = setTimeout(() => {
        const seen = this.events.map((event) => `${event.kind} ${event.model}${event.reason ? ` (${event.reason})` : ""}`);
        finish(new Error(`waitFor: condition not met within ${timeoutMs} ms; events so far: [${seen.join(", ")}]`));
      }, timeoutMs);
      this.watchers.add(watcher);
    });
  }

  /** Forgets everything: rejects queued requests and unloads every runner (reason `stopped`). */
  stop(): void {
    for (const pending of this.queue.splice(0)) {
      pending.abortSignal?.removeEventListener("abort", pending.onAbort);
      pending.reject(new Error("the Ollama test server stopped"));
    }
    for (const runner of [...this.runners.values()]) this.unload(runner, "stopped");
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        this.sweep();
        const runner = this.runners.get(head.model.name);
        if (this.loading && this.loading !== runner) {
          // A load blocks the whole queue, even requests for models already loaded.
          head.waited = true;
          await this.loading.ready;
          continue;
        }
        if (runner && head.numGpu !== undefined && head.numGpu !== runner.numGpu) {
          // Another num_gpu than the runner's: Ollama reloads the model, once its load and its
          // requests have ended (then everything is checked again: the head may be gone).
          if (runner.inFlight > 0 || !runner.loaded) {
            head.waited = true;
            await (runner.loaded ? new Promise<void>((resolve) => runner.drainWaiters.push(resolve)) : runner.ready);
            continue;
          }
          this.unload(runner, "reload");
          continue;
        }
        if (runner) {
          this.queue.shift();
          this.attach(runner, head);
          continue;
        }
        if (!this.fits(head.model, head.numGpu)) {
          const victim = this.chooseVictim();
          if (victim.inFlight > 0) {
            head.waited = true;
            await new Promise<void>((resolve) => victim.drainWaiters.push(resolve));
          }
          this.unload(victim, "evicted");
          continue;
        }
        this.queue.shift();
        this.attach(this.startLoad(head.model, head.numGpu), head);
      }
    } finally {
      this.pumping = false;
    }
  }

  private fits(model: Required<OllamaTestModel>, numGpu: number | undefined): boolean {
    if (this.runners.size === 0) return true;
    if (this.runners.size >= this.maxLoadedModels) return false;
    let usedMB = 0;
    for (const runner of this.runners.values()) usedMB += runner.vramMB;
    return this.vramOf(model, numGpu) <= this.vramMB - usedMB;
  }

  /**
   * The VRAM `model` takes with `numGpu` of its layers there (all of them without). A partial
   * load also puts compute buffers on the GPU, counted here as one more layer, as Ollama's
   * estimate adds its graph memory to the layers'.
   */
  private vramOf(model: Required<OllamaTestModel>, numGpu: number | undefined): number {
    const layers = model.blockCount + 1;
    if (numGpu === undefined || numGpu >= layers) return model.sizeMB;
    return (model.sizeMB * (numGpu + 1)) / layers;
  }

  /** Shortest keep-alive first (forever last), then name; the first idle one, else the first. */
  private chooseVictim(): Runner {
    const key = (runner: Runner): number => (runner.keepAliveMs < 0 ? Number.POSITIVE_INFINITY : runner.keepAliveMs);
    const sorted = [...this.runners.values()].sort((a, b) => key(a) - key(b) || a.model.name.localeCompare(b.model.name));
    return sorted.find((runner) => runner.inFlight === 0) ?? sorted[0]!;
  }

  private startLoad(model: Required<OllamaTestModel>, numGpu: number | undefined): Runner {
    let settle: (ok: boolean) => void = () => {};
    const ready = new Promise<boolean>((resolve) => (settle = resolve));
    const runner: Runner = {
      model,
      // A model that fits has all of itself in VRAM; only a first one larger than the VRAM, or one asked for more layers than it holds, is capped.
      vramMB: Math.min(this.vramOf(model, numGpu), this.vramMB),
      numGpu,
      loaded: false,
      ready,
      settle,
      inFlight: 0,
      keepAliveMs: 0,
      expiresAt: 0,
      drainWaiters: [],
    };
    this.runners.set(model.name, runner);
    this.loading = runner;
    this.emit("load-start", model.name);
    runner.loadTimer = setTimeout(() => {
      runner.loaded = true;
      this.loading = undefined;
      this.emit("load-end", model.name);
      runner.settle(true);
    }, model.loadMs);
    return runner;
  }

  private attach(runner: Runner, pending: Pending): void {
    pending.abortSignal?.removeEventListener("abort", pending.onAbort);
    runner.inFlight += 1;
    runner.keepAliveMs = pending.keepAliveMs;
    clearTimeout(runner.expiryTimer);
    runner.expiresAt = expiresAt(pending.keepAliveMs);
    if (!runner.loaded) pending.waited = true;
    void runner.ready.then((ok) => {
      if (!ok) return pending.reject(new Error("the Ollama test server stopped"));
      let released = false;
      pending.resolve({
        loadDurationMs: pending.waited ? performance.now() - pending.enqueuedAtMs : 0,
        release: () => {
          if (released) return;
          released = true;
          this.release(runner);
        },
      });
    });
  }

  private release(runner: Runner): void {
    if (this.runners.get(runner.model.name) !== runner) return;
    runner.inFlight -= 1;
    if (runner.inFlight > 0) return;
    for (const wake of runner.drainWaiters.splice(0)) wake();
    if (runner.keepAliveMs === 0) return this.unload(runner, "keep-alive-0");
    runner.expiresAt = expiresAt(runner.keepAliveMs);
    if (runner.keepAliveMs > 0) {
      runner.expiryTimer = setTimeout(() => {
        if (runner.inFlight === 0) this.unload(runner, "expired");
      }, runner.keepAliveMs);
      runner.expiryTimer.unref();
    }
  }

  /** Unloads idle runners whose keep-alive ran out (in case a timer has not fired yet). */
  private sweep(): void {
    const now = Date.now();
    for (const runner of [...this.runners.values()]) {
      if (runner.loaded && runner.inFlight === 0 && runner.keepAliveMs > 0 && runner.expiresAt <= now) this.unload(runner, "expired");
    }
  }

  private unload(runner: Runner, reason: NonNullable<OllamaTestServerEvent["reason"]>): void {
    if (this.runners.get(runner.model.name) !== runner) return;
    this.runners.delete(runner.model.name);
    clearTimeout(runner.expiryTimer);
    clearTimeout(runner.loadTimer);
    if (this.loading === runner) this.loading = undefined;
    this.emit("unload", runner.model.name, reason);
    if (!runner.loaded) runner.settle(false);
    for (const wake of runner.drainWaiters.splice(0)) wake();
  }

  private emit(kind: OllamaTestServerEvent["kind"], model: string, reason?: OllamaTestServerEvent["reason"]): void {
    this.events.push({ kind, model, atMs: performance.now(), ...(reason ? { reason } : {}) });
    for (const watcher of [...this.watchers]) watcher();
  }
}

function expiresAt(keepAliveMs: number): number {
  return keepAliveMs < 0 ? Number.POSITIVE_INFINITY : Date.now() + keepAliveMs;
}
