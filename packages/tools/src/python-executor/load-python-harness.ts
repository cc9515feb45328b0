import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The harness program: `sandbox.py`, `answer_server.py`, `tests_runner.py` and `main.py`, in
 * that order, as one source (main.py's header says how it runs).
 *
 * @internal
 */
export interface PythonHarness {
  source: string;
}

/**
 * Folders that may hold the `.py` files, relative to this module: `python-harness/` next to the
 * bundle in `dist/` (copied there at build time), `harness/` next to this file in `src/`.
 */
const FOLDERS = ["python-harness", "harness"];
const FILES = ["sandbox.py", "answer_server.py", "tests_runner.py", "main.py"] as const;

let loaded: PythonHarness | undefined;

function moduleDir(): string {
  const base = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
  return dirname(base);
}

/**
 * Reads the harness program once (later calls reuse it), so a run never depends on files that
 * could change under it. Throws with the folders it looked in when they are missing.
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
    loaded = { source: FILES.map((file) => sources[file]).join("\n\n") };
    return loaded;
  }
  throw new Error(`the Python harness files (${FILES.join(", ")}) were not found in ${tried.join(" or ")}; reinstall @tinyllm/tools`);
}
