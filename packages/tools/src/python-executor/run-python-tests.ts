import { constants } from "node:os";
import type { CompiledPythonHarness } from "./compile-python-harness";
import type { PythonRuntime } from "./detect-python";
import type { PythonEvent, PythonJob, PythonJobOutcome, PythonTestsOutcome } from "./python-job-protocol";
import type { PythonJobControl } from "./run-python-job";
import { spawnPythonProcess } from "./spawn-python-process";
import { withRunDir } from "./with-run-dir";
import { supervisePythonProcess, type PythonStopState } from "./supervise-python-process";

/** Events each process may report; anything else it sends is dropped, so the code's process cannot report test results. */
const ANSWER_EVENTS = new Set(["ready", "load", "out", "fatal"]);
const TESTS_EVENTS = new Set(["ready", "setup", "case", "gone", "out", "done", "fatal"]);

/** A signal number as Node names it (`9` → `SIGKILL`). */
function signalName(value: unknown): NodeJS.Signals | null {
  if (typeof value !== "number") return null;
  const found = Object.entries(constants.signals).find(([, number]) => number === value);
  return found ? (found[0] as NodeJS.Signals) : null;
}

/**
 * Runs a test job: one process (the tests runner) that forks the answer server before either
 * reads its job (see the harness's main.py). The tests runner gets the tests on stdin and reports
 * the verdict on stdout; the answer server gets the code on fd 3 and reports on fd 4 only whether
 * it loaded (and what it printed). They talk over a pipe pair the host never sees. When the tests
 * runner ends, the process group is killed. Never rejects.
 *
 * @internal
 */
export async function runPythonTests(
  runtime: PythonRuntime,
  harness: CompiledPythonHarness,
  answerJob: PythonJob,
  testsJob: PythonJob,
  control: PythonJobControl,
): Promise<PythonTestsOutcome> {
  const empty: PythonJobOutcome = { events: [], exitCode: null, signal: null, stopped: "abort", stderr: "" };
  if (control.abortSignal?.aborted) return { answer: empty, tests: empty, events: [], stopped: "abort" };
  return withRunDir(async (cwd) => {
    const events: PythonEvent[] = [];
    const answerEvents: PythonEvent[] = [];
    const testsEvents: PythonEvent[] = [];
    const state: PythonStopState = {};
    let answerEnd: { exitCode: number | null; signal: NodeJS.Signals | null } = { exitCode: null, signal: null };
    const child = spawnPythonProcess(
      runtime,
      harness,
      cwd,
      {
        main: {
          job: testsJob,
          onEvent: (event) => {
            if (!TESTS_EVENTS.has(event.e)) return;
            if (event.e === "gone") {
              answerEnd = { exitCode: typeof event.code === "number" ? event.code : null, signal: signalName(event.signal) };
              return;
            }
            testsEvents.push(event);
            events.push(event);
          },
          onFlood: () => {
            state.stopped ??= "flood";
          },
        },
        answer: {
          job: answerJob,
          onEvent: (event) => {
            if (!ANSWER_EVENTS.has(event.e)) return;
            answerEvents.push(event);
            events.push(event);
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
    const mark = stopped ? { stopped } : {};
    return {
      answer: { events: answerEvents, ...answerEnd, stderr: end.stderr, ...(end.spawnError !== undefined ? { spawnError: end.spawnError } : {}), ...mark },
      tests: { events: testsEvents, ...end, ...mark },
      events,
      ...mark,
    };
  });
}
