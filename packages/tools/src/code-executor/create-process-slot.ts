import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { TinyLLMError } from "@tinyllm/core";
import { CodeErrorCode } from "./code-error-code";
import type { SandboxChildMessage, SandboxHostMessage, SandboxJob, SandboxOutcome } from "./sandbox-protocol";
import { stoppedOutcome } from "./sandbox-slot";
import type { SandboxSlot, SandboxSlotControl } from "./sandbox-slot";

/** Options of {@link createProcessSlot}. @internal */
export interface ProcessSlotOptions {
  /** Source run by `node --no-node-snapshot -e`. */
  childSource: string;
  /** Called whenever a child process is started. */
  onSpawn?: () => void;
}

type Handle = { ref?(): void; unref?(): void } | null | undefined;

/**
 * The child's environment: only what affects locale, time zone and finding system libraries. The
 * host's secrets (API keys in env vars) and its NODE_OPTIONS (loaders, inspectors) stay behind.
 */
function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(PATH|TZ|LANG|LANGUAGE|LC_\w+|TMPDIR|TEMP|TMP|SYSTEMROOT|SystemRoot|windir)$/.test(key)) env[key] = value;
  }
  return env;
}

/**
 * A pool slot backed by a child Node process that runs one sandbox engine (isolation
 * `"process"`). The child is started lazily with `--no-node-snapshot` and without the host's
 * `NODE_OPTIONS`; it is killed (SIGKILL) at the wall-clock limit or on abort, and replaced in the
 * background when it was killed or died (a fatal V8 out-of-memory aborts only the child). Handles
 * are unref'd while idle, so an idle pool never keeps the host process alive.
 *
 * @internal
 */
export function createProcessSlot({ childSource, onSpawn }: ProcessSlotOptions): SandboxSlot {
  let child: ChildProcess | undefined;
  let ready: Promise<void> | undefined;
  let inFlight: { id: number; proc: ChildProcess; resolve: (outcome: SandboxOutcome) => void } | undefined;
  let sequence = 0;
  let holds = 0;
  let disposed = false;
  let isolatesBefore = 0;
  let isolatesNow = 0;
  const expectedExits = new WeakSet<ChildProcess>();

  const setRef = (proc: ChildProcess | undefined, on: boolean) => {
    if (!proc) return;
    const handles: Handle[] = [proc, proc.channel as Handle, proc.stderr as unknown as Handle];
    for (const handle of handles) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  };
  const hold = () => {
    if (holds++ === 0) setRef(child, true);
  };
  const letGo = () => {
    if (--holds === 0) setRef(child, false);
  };
  const unavailable = (message: string) => new TinyLLMError({ code: CodeErrorCode.Unavailable, message, isRetryable: true });

  const start = (): Promise<void> => {
    onSpawn?.();
    const proc = spawn(process.execPath, ["--no-node-snapshot", "-e", childSource], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: childEnvironment(),
      serialization: "json",
      windowsHide: true,
    });
    child = proc;
    let stderr = "";
    let wasReady = false;
    proc.stderr?.setEncoding("utf8");
    proc.stderr?.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const started = new Promise<void>((resolve, reject) => {
      proc.on("message", (raw: unknown) => {
        const message = raw as SandboxChildMessage;
        if (message.t === "ready") {
          wasReady = true;
          isolatesNow = message.isolatesCreated;
          resolve();
        } else if (message.t === "unavailable") {
          reject(unavailable(message.message));
        } else if (message.t === "result" && inFlight?.proc === proc && inFlight.id === message.id) {
          isolatesNow = message.outcome.isolatesCreated;
          const { resolve: deliver } = inFlight;
          inFlight = undefined;
          if (message.retiring) {
            // The child exits after this answer; stop using it now and start its successor.
            retire(proc);
            startInBackground();
          }
          deliver(message.outcome);
        }
      });
      proc.on("error", (error) => reject(unavailable(`could not start the sandbox process: ${error.message}`)));
      proc.on("exit", (exitCode, signal) => {
        if (child === proc) {
          child = undefined;
          ready = undefined;
          isolatesBefore += isolatesNow;
          isolatesNow = 0;
        }
        reject(
          unavailable(`the sandbox process exited while starting (${signal ?? `exit code ${exitCode}`})${stderr ? `: ${stderr.trim().slice(-1000)}` : ""}`),
        );
        if (inFlight?.proc === proc) {
          const { resolve: deliver } = inFlight;
          inFlight = undefined;
          deliver({
            main: { kind: "crashed", ...(signal ? { signal } : {}), ...(exitCode !== null ? { exitCode } : {}), stderr: stderr.slice(-2000) },
            cold: false,
            isolatesCreated: 0,
          });
        }
        // Replace a child that died after it was ready (crash, OOM abort, memory-bloat exit).
        if (!disposed && wasReady && !expectedExits.has(proc)) startInBackground();
      });
    });
    ready = started;
    started.catch(() => {
      if (ready === started) ready = undefined;
    });
    setRef(proc, holds > 0);
    return started;
  };
  const startInBackground = () => {
    if (disposed || child) return;
    start().catch(() => undefined);
  };
  const retire = (proc: ChildProcess) => {
    expectedExits.add(proc);
    if (child === proc) {
      child = undefined;
      ready = undefined;
      isolatesBefore += isolatesNow;
      isolatesNow = 0;
    }
  };
  const stop = (proc: ChildProcess | undefined) => {
    if (!proc) return;
    retire(proc);
    proc.kill("SIGKILL");
  };
  const ensureReady = async (abortSignal: AbortSignal | undefined): Promise<{ proc: ChildProcess; cold: boolean } | "aborted"> => {
    let cold = false;
    if (!ready || !child) {
      cold = true;
      void start().catch(() => undefined);
    }
    const waiting = ready as Promise<void>;
    if (abortSignal) {
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<"aborted">((resolve) => {
        onAbort = () => resolve("aborted");
        abortSignal.addEventListener("abort", onAbort, { once: true });
      });
      try {
        if ((await Promise.race([waiting, aborted])) === "aborted") return "aborted";
      } finally {
        if (onAbort) abortSignal.removeEventListener("abort", onAbort);
      }
    } else await waiting;
    if (!child) throw unavailable("the sandbox process went away while starting");
    return { proc: child, cold };
  };

  return {
    async warm() {
      hold();
      try {
        await ensureReady(undefined);
      } finally {
        letGo();
      }
    },
    async execute(job: SandboxJob, { wallTimeoutMs, abortSignal }: SandboxSlotControl) {
      if (disposed) throw unavailable("the code executor was disposed");
      if (abortSignal?.aborted) return stoppedOutcome("aborted");
      hold();
      try {
        const started = await ensureReady(abortSignal);
        if (started === "aborted") return stoppedOutcome("aborted");
        const { proc, cold } = started;
        const outcome = await new Promise<SandboxOutcome>((resolve) => {
          const id = ++sequence;
          const finish = (result: SandboxOutcome) => {
            clearTimeout(timer);
            abortSignal?.removeEventListener("abort", onAbort);
            resolve(result);
          };
          const kill = (kind: "timeout" | "aborted") => {
            if (inFlight?.id !== id) return;
            inFlight = undefined;
            stop(proc);
            startInBackground();
            finish(stoppedOutcome(kind));
          };
          const timer = setTimeout(() => kill("timeout"), wallTimeoutMs);
          const onAbort = () => kill("aborted");
          abortSignal?.addEventListener("abort", onAbort, { once: true });
          inFlight = { id, proc, resolve: finish };
          const message: SandboxHostMessage = { t: "job", id, job };
          proc.send(message, (error) => {
            if (error && inFlight?.id === id) {
              const { resolve: deliver } = inFlight;
              inFlight = undefined;
              stop(proc);
              startInBackground();
              deliver({ main: { kind: "failed", message: `could not reach the sandbox process: ${error.message}` }, cold, isolatesCreated: 0 });
            }
          });
        });
        if (cold) outcome.cold = true;
        return outcome;
      } finally {
        letGo();
      }
    },
    isolatesCreated: () => isolatesBefore + isolatesNow,
    async dispose() {
      disposed = true;
      if (inFlight) {
        const { resolve: deliver } = inFlight;
        inFlight = undefined;
        deliver(stoppedOutcome("aborted"));
      }
      stop(child);
    },
  };
}
