import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { CompiledPythonHarness } from "./compile-python-harness";
import type { PythonRuntime } from "./detect-python";
import type { PythonEvent, PythonJob } from "./python-job-protocol";

/** Interpreter flags: isolated mode (no env vars, no user site), no `site`, no `.pyc` writes, UTF-8 mode. */
const PYTHON_FLAGS = ["-I", "-S", "-B", "-X", "utf8", "-c"];
const STDERR_KEPT_CHARS = 4000;

/** One harness process's job and what it reports. @internal */
export interface PythonChannel {
  job: PythonJob;
  /** A result line `<token> {json}`. */
  onEvent(event: PythonEvent): void;
  /** More than `maxEventBytes` of output on its result descriptor. */
  onFlood(): void;
}

/** How the process ended. @internal */
export interface PythonProcessEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last few thousand characters of stderr (both processes of a test run share it). */
  stderr: string;
  spawnError?: string;
}

/** A running harness process. @internal */
export interface PythonProcess {
  /** Kills its process group. */
  kill(): void;
  readonly ended: Promise<PythonProcessEnd>;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Reads `<token> {json}` lines from one descriptor; everything else counts towards the flood limit and is dropped. */
function readEvents(stream: Readable, channel: PythonChannel, maxEventBytes: number, flood: () => void): () => void {
  const prefix = `${channel.job.n} `;
  let pending = "";
  let bytes = 0;
  let flooded = false;
  const readLine = (line: string) => {
    if (!line.startsWith(prefix)) return;
    let event: unknown;
    try {
      event = JSON.parse(line.slice(prefix.length));
    } catch {
      return; // a garbled line counts as a missing one
    }
    if (event !== null && typeof event === "object" && typeof (event as { e?: unknown }).e === "string") channel.onEvent(event as PythonEvent);
  };
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    if (flooded) return;
    bytes += Buffer.byteLength(chunk);
    if (bytes > maxEventBytes) {
      flooded = true;
      flood();
      channel.onFlood();
      return;
    }
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) readLine(line);
  });
  return () => {
    if (!flooded && pending) readLine(pending);
  };
}

/**
 * Starts one harness process: the bootstrap on the command line with its role (`run`, or
 * `tests`: the process forks the answer server, see main.py), the compiled harness then the job
 * on stdin, an empty environment, `cwd`, its own process group (killed as soon as the process
 * exits, so nothing it started outlives it). For `tests`, the answer server's job goes to fd 3
 * and its result lines come from fd 4.
 *
 * @internal
 */
export function spawnPythonProcess(
  runtime: PythonRuntime,
  harness: CompiledPythonHarness,
  cwd: string,
  channels: { main: PythonChannel; answer?: PythonChannel },
  maxEventBytes: number,
): PythonProcess {
  let stderr = "";
  let spawnError: string | undefined;
  const { main, answer } = channels;
  const child = spawn(runtime.command, [...runtime.prefixArgs, ...PYTHON_FLAGS, harness.bootstrap, answer ? "tests" : "run"], {
    cwd,
    env: {},
    stdio: answer ? ["pipe", "pipe", "pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe"],
    detached: true,
    windowsHide: true,
  });
  const kill = () => killGroup(child.pid);
  const flushes = [readEvents(child.stdout, main, maxEventBytes, kill)];
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARS);
  });
  for (const stream of child.stdio) {
    // A descriptor the process closed before reading all of it; its exit tells why.
    stream?.on("error", () => undefined);
  }
  child.on("error", (error) => {
    spawnError = error.message;
  });
  child.on("exit", () => {
    // Nothing of the run may outlive it.
    kill();
  });
  const ended = new Promise<PythonProcessEnd>((resolve) => {
    child.on("close", (exitCode, signal) => {
      for (const flush of flushes) flush();
      resolve({ exitCode, signal, stderr, ...(spawnError !== undefined ? { spawnError } : {}) });
    });
  });
  if (answer) {
    flushes.push(readEvents(child.stdio[4] as Readable, answer, maxEventBytes, kill));
    (child.stdio[3] as Writable).end(`${JSON.stringify(answer.job)}\n`);
  }
  child.stdin.write(harness.preamble);
  child.stdin.end(`${JSON.stringify(main.job)}\n`);
  return { kill, ended };
}
