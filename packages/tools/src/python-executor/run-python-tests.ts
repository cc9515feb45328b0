import type { PythonRuntime } from "./detect-python";
import type { CompiledPythonHarness } from "./compile-python-harness";
import type { PythonEvent, PythonJob, PythonJobOutcome, PythonStop, PythonTestsOutcome } from "./python-job-protocol";
import type { PythonJobControl } from "./run-python-job";
import { spawnPythonProcess } from "./spawn-python-process";
import type { PythonProcess, PythonProcessEnd } from "./spawn-python-process";
import { withRunDirs } from "./with-run-dirs";

/** Events each process may report; anything else it sends is dropped. */
const ANSWER_EVENTS = new Set(["ready", "load", "out", "fatal"]);
const TESTS_EVENTS = new Set(["ready", "setup", "case", "out", "done", "fatal"]);

/**
 * Runs a test job in two fresh processes, each as sandboxed as a plain run (own empty temp
 * directory, own process group, empty environment): the answer server loads the code and answers
 * calls; the tests runner, which never sees the code, runs the tests and reports the verdict.
 * The host passes messages between them: the tests runner's calls to the answer server, and one
 * reply per call back (plus the list of the code's names after it loaded). A reply nobody asked
 * for stops the run (`protocol`). When the answer server ends, the tests runner's stdin is
 * closed, so a call waiting for it fails; when the tests runner ends, the answer server is
 * killed. Never rejects.
 *
 * @internal
 */
export async function runPythonTests(runtime: PythonRuntime, harness: CompiledPythonHarness, answerJob: PythonJob, testsJob: PythonJob, control: PythonJobControl): Promise<PythonTestsOutcome> {
  const empty: PythonJobOutcome = { events: [], exitCode: null, signal: null, stopped: "abort", stderr: "" };
  if (control.abortSignal?.aborted) return { answer: empty, tests: empty, events: [], stopped: "abort" };
  return withRunDirs(2, async ([answerDir = "", testsDir = ""]) => {
    const events: PythonEvent[] = [];
    const answerEvents: PythonEvent[] = [];
    const testsEvents: PythonEvent[] = [];
    let stopped: PythonStop | undefined;
    let loaded: boolean | undefined;
    /** Replies the answer server owes: one per call, and the list of its names once it has loaded. */
    let owed = 0;
    // Each process's handlers reach the other one through here (set once both are started).
    const peers: { answer?: PythonProcess; tests?: PythonProcess } = {};
    const stop = (why: PythonStop) => {
      stopped ??= why;
      peers.answer?.kill();
      peers.tests?.kill();
    };

    const answer = spawnPythonProcess(
      runtime,
      harness.answer,
      answerJob,
      answerDir,
      {
        onEvent: (event) => {
          if (!ANSWER_EVENTS.has(event.e)) return;
          if (event.e === "load") {
            if (loaded !== undefined) return;
            loaded = event.r?.k === "ok";
            if (loaded) owed++;
            else peers.tests?.kill();
          }
          answerEvents.push(event);
          events.push(event);
        },
        onMessage: (payload) => {
          if (owed === 0) {
            stop("protocol");
            return;
          }
          owed--;
          peers.tests?.send(payload);
        },
        onFlood: () => stop("flood"),
      },
      control.maxResultBytes,
    );
    const tests = spawnPythonProcess(
      runtime,
      harness.tests,
      testsJob,
      testsDir,
      {
        onEvent: (event) => {
          if (!TESTS_EVENTS.has(event.e)) return;
          testsEvents.push(event);
          events.push(event);
        },
        onMessage: (payload) => {
          owed++;
          peers.answer?.send(payload);
        },
        onFlood: () => stop("flood"),
      },
      control.maxResultBytes,
    );

    peers.answer = answer;
    peers.tests = tests;
    const timer = setTimeout(() => stop("wall"), control.wallTimeoutMs);
    const onAbort = () => stop("abort");
    control.abortSignal?.addEventListener("abort", onAbort, { once: true });
    const answerEnded = answer.ended.then((end) => {
      // A test waiting for a reply now reads the end of its messages; without a load, nothing can run.
      if (loaded) tests.endInput();
      else tests.kill();
      return end;
    });
    const testsEnded = tests.ended.then((end) => {
      answer.kill();
      return end;
    });
    try {
      const [answerEnd, testsEnd] = await Promise.all([answerEnded, testsEnded]);
      const outcome = (processEvents: PythonEvent[], end: PythonProcessEnd): PythonJobOutcome => ({ events: processEvents, ...end, ...(stopped ? { stopped } : {}) });
      return { answer: outcome(answerEvents, answerEnd), tests: outcome(testsEvents, testsEnd), events, ...(stopped ? { stopped } : {}) };
    } finally {
      clearTimeout(timer);
      control.abortSignal?.removeEventListener("abort", onAbort);
    }
  });
}
