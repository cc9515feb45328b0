import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PythonRuntime } from "./detect-python";
import { pythonHarness } from "./python-harness";
import type { PythonEvent, PythonJob, PythonJobOutcome } from "./python-job-protocol";

/** How {@link runPythonJob} runs one job. @internal */
export interface PythonJobControl {
  wallTimeoutMs: number;
  abortSignal?: AbortSignal | undefined;
  /** Most bytes read from the result channel before the process is killed as a flood. */
  maxResultBytes: number;
}

/** Interpreter flags: isolated mode (no env vars, no user site), no `site`, no `.pyc` writes, UTF-8 mode. */
const PYTHON_FLAGS = ["-I", "-S", "-B", "-X", "utf8", "-c"];
const STDERR_KEPT_CHARS = 4000;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Runs one job in a fresh Python process: an empty environment, a fresh empty temp directory as
 * cwd (mode 0500, removed afterwards), its own process group (killed with SIGKILL at the wall-clock
 * limit, on abort, and after it exits), the job on stdin and result lines on stdout. Never
 * rejects: problems come back in the outcome.
 *
 * @internal
 */
export async function runPythonJob(runtime: PythonRuntime, job: PythonJob, control: PythonJobControl): Promise<PythonJobOutcome> {
  if (control.abortSignal?.aborted) return { events: [], exitCode: null, signal: null, stopped: "abort", stderr: "" };
  const cwd = await mkdtemp(join(tmpdir(), "tinyllm-python-"));
  try {
    await chmod(cwd, 0o500);
    return await new Promise<PythonJobOutcome>((resolve) => {
      const events: PythonEvent[] = [];
      const prefix = `${job.n} `;
      let stderr = "";
      let pending = "";
      let received = 0;
      let stopped: PythonJobOutcome["stopped"];
      let spawnError: string | undefined;

      const child = spawn(runtime.command, [...runtime.prefixArgs, ...PYTHON_FLAGS, pythonHarness], {
        cwd,
        env: {},
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
        windowsHide: true,
      });
      const stop = (why: NonNullable<PythonJobOutcome["stopped"]>) => {
        stopped ??= why;
        killGroup(child.pid);
      };
      const timer = setTimeout(() => stop("wall"), control.wallTimeoutMs);
      const onAbort = () => stop("abort");
      control.abortSignal?.addEventListener("abort", onAbort, { once: true });

      const readLine = (line: string) => {
        if (!line.startsWith(prefix)) return;
        try {
          events.push(JSON.parse(line.slice(prefix.length)) as PythonEvent);
        } catch {
          // a garbled line counts as a missing one
        }
      };
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        received += Buffer.byteLength(chunk);
        if (received > control.maxResultBytes) {
          stop("flood");
          return;
        }
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) readLine(line);
      });
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARS);
      });
      child.stdin.on("error", () => {
        // the process ended before reading the job; its exit tells why
      });
      child.on("error", (error) => {
        spawnError = error.message;
      });
      child.on("exit", () => {
        // Nothing of the run may outlive it.
        killGroup(child.pid);
      });
      child.on("close", (exitCode, signal) => {
        clearTimeout(timer);
        control.abortSignal?.removeEventListener("abort", onAbort);
        if (pending) readLine(pending);
        resolve({ events, exitCode, signal, ...(stopped ? { stopped } : {}), stderr, ...(spawnError ? { spawnError } : {}) });
      });
      child.stdin.end(JSON.stringify(job));
    });
  } finally {
    await chmod(cwd, 0o700).catch(() => undefined);
    await rm(cwd, { recursive: true, force: true }).catch(() => undefined);
  }
}
