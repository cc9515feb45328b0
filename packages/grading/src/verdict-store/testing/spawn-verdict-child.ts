import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A spawned `verdict-store-child.ts` and the lines it has written to stdout so far. @internal */
export interface VerdictChild {
  process: ChildProcessWithoutNullStreams;
  /** Complete stdout lines, in order. */
  lines: string[];
  /** Resolves when a complete line satisfies `predicate` (checked on lines already seen too). */
  waitForLine(predicate: (line: string, index: number) => boolean): Promise<void>;
  /** Resolves with the exit code and signal once the process has exited and stdout is drained. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * Spawns `verdict-store-child.ts` in a fresh Node process, with TypeScript loaded through
 * `register-ts-loader.mjs` and cached in `cacheDir`. Test-only.
 *
 * @internal
 */
export function spawnVerdictChild(args: string[], cacheDir: string): VerdictChild {
  const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
  // `@tinyllm/source` resolves workspace packages to their sources, so no build is needed.
  const child = spawn(
    process.execPath,
    ["--conditions=@tinyllm/source", "--import", here("./register-ts-loader.mjs"), here("./verdict-store-child.ts"), ...args],
    {
      env: { ...process.env, TINYLLM_TS_LOADER_CACHE: cacheDir },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  const waiters: { predicate: (line: string, index: number) => boolean; resolve: () => void; reject: (error: Error) => void }[] = [];
  let partial = "";
  let stderr = "";
  let closed = false;
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  child.stdout.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.predicate(line, lines.length - 1)) waiters.splice(i, 1)[0]!.resolve();
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on("close", (code, signal) => {
      closed = true;
      for (const waiter of waiters.splice(0))
        waiter.reject(new Error(`child exited (code ${code}, signal ${signal}) before the awaited line; stderr:\n${stderr}`));
      resolve({ code, signal, stderr });
    });
  });
  return {
    process: child,
    lines,
    exited,
    waitForLine(predicate) {
      if (lines.some(predicate)) return Promise.resolve();
      if (closed) return Promise.reject(new Error(`child already exited; stderr:\n${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
}
