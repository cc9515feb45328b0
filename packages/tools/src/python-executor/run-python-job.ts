import type { CompiledPythonHarness } from "./compile-python-harness";
import type { PythonRuntime } from "./detect-python";
import type { PythonEvent, PythonJob, PythonJobOutcome } from "./python-job-protocol";
import { spawnPythonProcess } from "./spawn-python-process";
import { withRunDir } from "./with-run-dir";
import { supervisePythonProcess, type PythonStopState } from "./supervise-python-process";

/** How {@link runPythonJob} and `runPythonTests` run a job. @internal */
export interface PythonJobControl {
  wallTimeoutMs: number;
  abortSignal?: AbortSignal | undefined;
  /** Most bytes read from one result descriptor before the run is killed as a flood. */
  maxResultBytes: number;
}

/** Events the answer server may report in a plain run. */
const RUN_EVENTS = new Set(["ready", "load", "out", "done", "fatal"]);

/**
 * Runs one program (a `run` job) in a fresh answer-server process: an empty environment, a fresh
 * empty temp directory as cwd (removed afterwards), its own process group (killed with SIGKILL at
 * the wall-clock limit, on abort, and after it exits). Never rejects: problems come back in the
 * outcome.
 *
 * @internal
 */
export async function runPythonJob(
  runtime: PythonRuntime,
  harness: CompiledPythonHarness,
  job: PythonJob,
  control: PythonJobControl,
): Promise<PythonJobOutcome> {
  if (control.abortSignal?.aborted) return { events: [], exitCode: null, signal: null, stopped: "abort", stderr: "" };
  return withRunDir(async (cwd) => {
    const events: PythonEvent[] = [];
    const state: PythonStopState = {};
    const child = spawnPythonProcess(
      runtime,
      harness,
      cwd,
      {
        main: {
          job,
          onEvent: (event) => {
            if (RUN_EVENTS.has(event.e)) events.push(event);
          },
          onFlood: () => {
            state.stopped ??= "flood";
          },
        },
      },
      control.maxResultBytes,
    );
    const end = await supervisePythonProcess(child, control, state);
    const { stopped } = state;
    return { events, ...end, ...(stopped ? { stopped } : {}) };
  });
}
