import type { IvmModuleLike, SandboxEngine, SandboxEngineOptions } from "./create-sandbox-engine";
import type { SandboxChildMessage, SandboxHostMessage, SandboxOutcome } from "./sandbox-protocol";

/** Plain-data settings of the child process. @internal */
export interface SandboxChildOptions {
  /** Absolute path of isolated-vm's entry, resolved by the host. */
  ivmPath: string;
  engine: SandboxEngineOptions;
  /** The child kills a running job (and restarts afterwards) when its resident memory goes above this. */
  rssLimitBytes: number;
}

/** The subset of `process` the child uses. @internal */
export interface SandboxChildProcess {
  readonly connected: boolean;
  send?(message: unknown, callback?: (error: Error | null) => void): boolean;
  on(event: "message", listener: (message: unknown) => void): unknown;
  on(event: "disconnect", listener: () => void): unknown;
  exit(code?: number): never;
  memoryUsage: { rss(): number };
}

/**
 * Entry of the sandbox child process (started by the host with `node --no-node-snapshot -e`):
 * loads isolated-vm, runs one {@link SandboxEngine}, answers `job` messages one at a time, and
 * exits when the host goes away. While a job runs, a watchdog kills it if the process's resident
 * memory passes `rssLimitBytes` (isolated-vm's heap limit is a guideline: some allocations overshoot
 * it by up to 1 GB before V8 notices); afterwards the process exits so the host starts a clean one.
 *
 * Shipped with `Function.prototype.toString`: self-contained, `require` and `process` come in as
 * parameters.
 *
 * @internal
 */
export function sandboxChildMain(
  nodeRequire: (id: string) => unknown,
  proc: SandboxChildProcess,
  createEngine: (ivm: IvmModuleLike, options: SandboxEngineOptions) => SandboxEngine,
  options: SandboxChildOptions,
): void {
  const send = (message: SandboxChildMessage, then?: () => void): void => {
    if (!proc.connected || !proc.send) return;
    proc.send(message, () => then?.());
  };
  const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  proc.on("disconnect", () => proc.exit(0));
  let engine: SandboxEngine;
  try {
    engine = createEngine(nodeRequire(options.ivmPath) as IvmModuleLike, options.engine);
  } catch (error) {
    send({ t: "unavailable", message: `isolated-vm could not be loaded: ${describe(error)}` }, () => proc.exit(1));
    return;
  }
  let queue: Promise<void> = Promise.resolve();
  proc.on("message", (raw) => {
    const message = raw as SandboxHostMessage;
    if (!message || message.t !== "job") return;
    queue = queue.then(async () => {
      const watchdog = setInterval(() => {
        if (proc.memoryUsage.rss() > options.rssLimitBytes) engine.kill("memory");
      }, 20);
      let outcome: SandboxOutcome;
      try {
        outcome = await engine.run(message.job);
      } catch (error) {
        outcome = { main: { kind: "failed", message: describe(error) }, cold: false, isolatesCreated: engine.isolatesCreated() };
      } finally {
        clearInterval(watchdog);
      }
      const bloated = proc.memoryUsage.rss() > options.rssLimitBytes;
      send({ t: "result", id: message.id, outcome, ...(bloated ? { retiring: true } : {}) }, bloated ? () => proc.exit(0) : undefined);
    });
  });
  engine.warmUp().then(
    () => send({ t: "ready", isolatesCreated: engine.isolatesCreated() }),
    (error: unknown) => send({ t: "unavailable", message: `could not create an isolate: ${describe(error)}` }, () => proc.exit(1)),
  );
}
