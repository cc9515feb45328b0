import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The two harness programs, each `sandbox.py` followed by its role's file. @internal */
export interface PythonHarness {
  /** Runs the code under test: `run` jobs, and `serve` jobs that answer the tests runner's calls. */
  answer: string;
  /** Runs the tests and decides the verdict; never runs the code under test. */
  tests: string;
}

/**
 * Folders that may hold the `.py` files, relative to this module: `python-harness/` next to the
 * bundle in `dist/` (copied there at build time), `harness/` next to this file in `src/`.
 */
const FOLDERS = ["python-harness", "harness"];
const FILES = ["sandbox.py", "answer_server.py", "tests_runner.py"] as const;

let loaded: PythonHarness | undefined;

function moduleDir(): string {
  const base = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
  return dirname(base);
}

/**
 * Reads the harness programs once (later calls reuse them), so a run never depends on files
 * that could change under it. Throws with the folders it looked in when they are missing.
 *
 * @internal
 */
export function loadPythonHarness(): PythonHarness {
  if (loaded) return loaded;
  const dir = moduleDir();
  const tried: string[] = [];
  for (const folder of FOLDERS) {
    const path = join(dir, folder);
    tried.push(path);
    let sources: Record<(typeof FILES)[number], string>;
    try {
      sources = Object.fromEntries(FILES.map((file) => [file, readFileSync(join(path, file), "utf8")])) as Record<(typeof FILES)[number], string>;
    } catch {
      continue;
    }
    loaded = {
      answer: `${sources["sandbox.py"]}\n\n${sources["answer_server.py"]}`,
      tests: `${sources["sandbox.py"]}\n\n${sources["tests_runner.py"]}`,
    };
    return loaded;
  }
  throw new Error(`the Python harness files (${FILES.join(", ")}) were not found in ${tried.join(" or ")}; reinstall @tinyllm/tools`);
}
