import { spawn } from "node:child_process";
import type { CompiledPythonProgram } from "./compile-python-harness";
import type { PythonRuntime } from "./detect-python";
import type { PythonEvent, PythonJob } from "./python-job-protocol";

/** Interpreter flags: isolated mode (no env vars, no user site), no `site`, no `.pyc` writes, UTF-8 mode. */
const PYTHON_FLAGS = ["-I", "-S", "-B", "-X", "utf8", "-c"];
const STDERR_KEPT_CHARS = 4000;
/** Longest line read from a process: a message carries at most two values of 16 MB as data. */
const MAX_LINE_CHARS = 40 * 1024 * 1024;

/** What a harness process reports, as it arrives. @internal */
export interface PythonProcessHandlers {
  /** A result line `<token> {json}`. */
  onEvent(event: PythonEvent): void;
  /** A message line `<token> > payload` for the other process. */
  onMessage(payload: string): void;
  /** More than `maxEventBytes` of output other than messages, or a line longer than the host reads. */
  onFlood(): void;
}

/** How a process ended. @internal */
export interface PythonProcessEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last few thousand characters of stderr. */
  stderr: string;
  spawnError?: string;
}

/** A running harness process. @internal */
export interface PythonProcess {
  /** Writes one line to its stdin (ignored once the process is gone). */
  send(line: string): void;
  /** Closes its stdin: the process reads the end of its messages. */
  endInput(): void;
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

/**
 * Starts one harness process: `program` (its bootstrap on the command line, its compiled code on
 * stdin), an empty environment, `cwd`, its own process group (killed as soon as the process exits,
 * so nothing it started outlives it), then the job as a line on stdin. Lines on stdout that start with the job's token are events
 * or messages; everything else counts towards the flood limit and is dropped.
 *
 * @internal
 */
export function spawnPythonProcess(runtime: PythonRuntime, program: CompiledPythonProgram, job: PythonJob, cwd: string, handlers: PythonProcessHandlers, maxEventBytes: number): PythonProcess {
  const prefix = `${job.n} `;
  let stderr = "";
  let partial: string[] = [];
  let partialChars = 0;
  let eventBytes = 0;
  let flooded = false;
  let spawnError: string | undefined;
  let open = true;

  const child = spawn(runtime.command, [...runtime.prefixArgs, ...PYTHON_FLAGS, program.bootstrap], {
    cwd,
    env: {},
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
    windowsHide: true,
  });
  const flood = () => {
    if (flooded) return;
    flooded = true;
    killGroup(child.pid);
    handlers.onFlood();
  };
  const readLine = (line: string) => {
    if (line.startsWith(prefix) && line.startsWith("> ", prefix.length)) {
      handlers.onMessage(line.slice(prefix.length + 2));
      return;
    }
    eventBytes += Buffer.byteLength(line) + 1;
    if (eventBytes > maxEventBytes) {
      flood();
      return;
    }
    if (!line.startsWith(prefix)) return;
    let event: unknown;
    try {
      event = JSON.parse(line.slice(prefix.length));
    } catch {
      return; // a garbled line counts as a missing one
    }
    if (event !== null && typeof event === "object" && typeof (event as { e?: unknown }).e === "string") handlers.onEvent(event as PythonEvent);
  };

  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    if (flooded) return;
    let start = 0;
    for (let at = chunk.indexOf("\n"); at !== -1 && !flooded; at = chunk.indexOf("\n", start)) {
      const piece = chunk.slice(start, at);
      const line = partial.length > 0 ? partial.join("") + piece : piece;
      partial = [];
      partialChars = 0;
      start = at + 1;
      readLine(line);
    }
    if (flooded || start >= chunk.length) return;
    partial.push(chunk.slice(start));
    partialChars += chunk.length - start;
    if (partialChars > MAX_LINE_CHARS) flood();
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARS);
  });
  child.stdin.on("error", () => {
    // the process ended before reading everything; its exit tells why
  });
  child.on("error", (error) => {
    spawnError = error.message;
  });
  child.on("exit", () => {
    open = false;
    // Nothing of the run may outlive it.
    killGroup(child.pid);
  });
  const ended = new Promise<PythonProcessEnd>((resolve) => {
    child.on("close", (exitCode, signal) => {
      open = false;
      if (!flooded && partial.length > 0) readLine(partial.join(""));
      resolve({ exitCode, signal, stderr, ...(spawnError !== undefined ? { spawnError } : {}) });
    });
  });
  child.stdin.write(program.preamble);
  child.stdin.write(`${JSON.stringify(job)}\n`);

  return {
    send(line) {
      if (open && child.stdin.writable) child.stdin.write(`${line}\n`);
    },
    endInput() {
      if (child.stdin.writable) child.stdin.end();
    },
    kill() {
      killGroup(child.pid);
    },
    ended,
  };
}
