import { createSandboxEngine } from "./create-sandbox-engine";
import type { IvmModuleLike, SandboxEngine, SandboxEngineOptions } from "./create-sandbox-engine";
import type { SandboxOutcome } from "./sandbox-protocol";
import { stoppedOutcome } from "./sandbox-slot";
import type { SandboxSlot } from "./sandbox-slot";

/** How long a killed job may take to wind down before its engine is abandoned. */
const KILL_GRACE_MS = 2000;

/**
 * A pool slot whose isolate lives in this process (isolation `"in-process"`). Loads isolated-vm
 * lazily through `load`; stops jobs at the wall-clock limit or on abort by disposing the isolate.
 * If a killed job does not wind down (isolated-vm parks the thread of an isolate after a fatal V8
 * out-of-memory), the engine is abandoned and a new one is made for the next job.
 *
 * @internal
 */
export function createInProcessSlot(options: SandboxEngineOptions, load: () => Promise<IvmModuleLike>): SandboxSlot {
  let engine: SandboxEngine | undefined;
  let abandoned = 0;
  const ensure = async (): Promise<SandboxEngine> => {
    engine ??= createSandboxEngine(await load(), options);
    return engine;
  };
  return {
    async warm() {
      await (await ensure()).warmUp();
    },
    async execute(job, { wallTimeoutMs, abortSignal }) {
      if (abortSignal?.aborted) return stoppedOutcome("aborted");
      const current = await ensure();
      let wake: (() => void) | undefined;
      const kill = (reason: "timeout" | "aborted") => {
        current.kill(reason);
        setTimeout(() => wake?.(), KILL_GRACE_MS).unref();
      };
      const timer = setTimeout(() => kill("timeout"), wallTimeoutMs);
      const onAbort = () => kill("aborted");
      abortSignal?.addEventListener("abort", onAbort, { once: true });
      try {
        const stuck = new Promise<"stuck">((resolve) => {
          wake = () => resolve("stuck");
        });
        const outcome: SandboxOutcome | "stuck" = await Promise.race([current.run(job), stuck]);
        if (outcome !== "stuck") return outcome;
        // The isolate's thread never came back: leave this engine behind.
        abandoned += current.isolatesCreated();
        if (engine === current) engine = undefined;
        if (current.catastrophes() > 0) return { main: { kind: "memory" }, cold: false, isolatesCreated: 0 };
        return stoppedOutcome(abortSignal?.aborted ? "aborted" : "timeout");
      } finally {
        clearTimeout(timer);
        abortSignal?.removeEventListener("abort", onAbort);
      }
    },
    isolatesCreated: () => abandoned + (engine?.isolatesCreated() ?? 0),
    async dispose() {
      engine?.dispose();
      engine = undefined;
    },
  };
}
