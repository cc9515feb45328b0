import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import type { PythonAvailability, PythonNetworkIsolation } from "./python-executor";

/** How runs start Python, once found. @internal */
export interface PythonRuntime {
  version: string;
  /** Absolute path of the interpreter (its `sys.executable`), so runs need no `PATH` or shims. */
  executable: string;
  /** The program to spawn: the interpreter, or `unshare` for network isolation. */
  command: string;
  /** Arguments placed before the interpreter's own (`["-n", "--", executable]` with `unshare`). */
  prefixArgs: string[];
  networkIsolated: boolean;
}

/** Oldest supported Python: audit hooks (`sys.addaudithook`) arrived in 3.8. */
const MIN_MINOR = 8;
const PROBE_TIMEOUT_MS = 15_000;
const PROBE = "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3]); print(sys.version_info[0] * 100 + sys.version_info[1])";

interface CommandResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Why it failed: the spawn error, signal or exit code. */
  failure: string;
}

function runCommand(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: PROBE_TIMEOUT_MS, killSignal: "SIGKILL", windowsHide: true, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const failure = error
        ? (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "not found"
          : (stderr.trim().split("\n").pop() ?? "") || error.message
        : "";
      resolve({ ok: !error, stdout, stderr, failure });
    });
  });
}

/** The first executable called `name` on the host's `PATH`, or undefined. */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next directory
    }
  }
  return undefined;
}

/**
 * Finds a usable Python 3 and works out how runs will start it. Candidates are probed with the
 * host's environment (so names on `PATH` and pyenv shims resolve); the interpreter they report is
 * then checked to start with an empty environment, which is how runs start it. With network
 * isolation on (or `"auto"`), `unshare -n` is tried, then `unshare -r -n` (for non-root users).
 *
 * @internal
 */
export async function detectPython(
  pythonPath: string | undefined,
  isolateNetwork: PythonNetworkIsolation,
): Promise<PythonAvailability & { runtime?: PythonRuntime }> {
  const candidates = pythonPath === undefined ? ["python3", "python"] : [pythonPath];
  const problems: string[] = [];
  let found: { executable: string; version: string } | undefined;
  for (const candidate of candidates) {
    const probe = await runCommand(candidate, ["-I", "-S", "-c", PROBE], process.env);
    if (!probe.ok) {
      problems.push(`${candidate}: ${probe.failure}`);
      continue;
    }
    const [reported = "", version = "", code = ""] = probe.stdout.trim().split("\n");
    const numeric = Number(code);
    if (!(numeric >= 300 + MIN_MINOR && numeric < 400)) {
      problems.push(`${candidate} is Python ${version || "of an unknown version"}; 3.${MIN_MINOR} or newer is needed`);
      continue;
    }
    const executable = reported && isAbsolute(reported) ? reported : candidate;
    const bare = await runCommand(executable, ["-I", "-S", "-c", "pass"], {});
    if (!bare.ok) {
      problems.push(`${executable} does not start with an empty environment: ${bare.failure}`);
      continue;
    }
    found = { executable, version };
    break;
  }
  if (!found) return { ok: false, reason: `no usable Python 3 interpreter (${problems.join("; ")})` };

  let runtime: PythonRuntime = { ...found, command: found.executable, prefixArgs: [], networkIsolated: false };
  if (isolateNetwork !== false) {
    const unshare = findOnPath("unshare");
    let why = "unshare was not found on PATH";
    if (unshare) {
      for (const flags of [["-n"], ["-r", "-n"]]) {
        const prefixArgs = [...flags, "--", found.executable];
        const check = await runCommand(unshare, [...prefixArgs, "-I", "-S", "-c", "pass"], {});
        if (check.ok) {
          runtime = { ...found, command: unshare, prefixArgs, networkIsolated: true };
          break;
        }
        why = `unshare ${flags.join(" ")} failed: ${check.failure}`;
      }
    }
    if (!runtime.networkIsolated && isolateNetwork === true) {
      return { ok: false, reason: `network isolation is required (isolateNetwork: true) but not available here: ${why}` };
    }
  }
  return { ok: true, version: runtime.version, executable: runtime.executable, networkIsolated: runtime.networkIsolated, runtime };
}
