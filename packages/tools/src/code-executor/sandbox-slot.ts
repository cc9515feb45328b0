import type { SandboxJob, SandboxOutcome } from "./sandbox-protocol";

/** How the pool drives one slot. @internal */
export interface SandboxSlotControl {
  /** Wall-clock limit from hand-off to the result; the slot stops the job when it passes. */
  wallTimeoutMs: number;
  abortSignal?: AbortSignal | undefined;
}

/**
 * One pool slot: a sandbox engine in this process or in a child process. Runs one job at a time.
 *
 * @internal
 */
export interface SandboxSlot {
  /** Starts the slot (process, isolate, prepared context) if needed. Throws `CODE_UNAVAILABLE`. */
  warm(): Promise<void>;
  /** Runs a job; never rejects for problems of the code, only with `CODE_UNAVAILABLE`. */
  execute(job: SandboxJob, control: SandboxSlotControl): Promise<SandboxOutcome>;
  /** Isolates created by this slot so far. */
  isolatesCreated(): number;
  dispose(): Promise<void>;
}

/** An outcome for a job that never reached an isolate. @internal */
export function stoppedOutcome(kind: "aborted" | "timeout"): SandboxOutcome {
  return { main: kind === "timeout" ? { kind: "timeout", wall: true } : { kind: "aborted" }, cold: false, isolatesCreated: 0 };
}
