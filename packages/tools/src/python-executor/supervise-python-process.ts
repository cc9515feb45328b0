import type { PythonStop } from "./python-job-protocol";

/** Why a run was stopped early, shared with the process's flood handler. @internal */
export interface PythonStopState {
  stopped?: PythonStop;
}

/**
 * Waits for a Python process to end, killing it at the wall-clock limit or when `abortSignal`
 * aborts. The first reason to stop (including a flood the caller notes) is kept in `state`.
 *
 * @internal
 */
export async function supervisePythonProcess<T>(
  child: { kill(): void; ended: Promise<T> },
  control: { wallTimeoutMs: number; abortSignal?: AbortSignal | undefined },
  state: PythonStopState,
): Promise<T> {
  const stop = (why: PythonStop) => {
    state.stopped ??= why;
    child.kill();
  };
  const timer = setTimeout(() => stop("wall"), control.wallTimeoutMs);
  const onAbort = () => stop("abort");
  control.abortSignal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await child.ended;
  } finally {
    clearTimeout(timer);
    control.abortSignal?.removeEventListener("abort", onAbort);
  }
}
