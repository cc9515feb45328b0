import { execFile } from "node:child_process";
import type { PythonRuntime } from "./detect-python";
import type { PythonHarness } from "./load-python-harness";

/**
 * The harness as each run gets it: a short `-c` bootstrap that reads the program's compiled code
 * (`marshal`) from stdin and runs it, and those bytes. Compiling the ~1300 lines once, with the
 * interpreter that runs them, saves each run about 10 ms of CPU time.
 *
 * @internal
 */
export interface CompiledPythonHarness {
  /** The `-c` argument. */
  bootstrap: string;
  /** Written to stdin before the job: the length of the code in bytes, a newline, the code. */
  preamble: Buffer;
}

const BOOTSTRAP = [
  "import os, marshal",
  "def _tinyllm_code():",
  "    head = b''",
  "    while not head.endswith(b'\\n'):",
  "        byte = os.read(0, 1)",
  "        if not byte:",
  "            os._exit(70)",
  "        head += byte",
  "    size, parts = int(head), []",
  "    while size > 0:",
  "        part = os.read(0, size)",
  "        if not part:",
  "            os._exit(70)",
  "        parts.append(part)",
  "        size -= len(part)",
  "    return marshal.loads(b''.join(parts))",
  "exec(_tinyllm_code())",
].join("\n");

const COMPILER = [
  "import sys, marshal",
  "code = marshal.dumps(compile(sys.stdin.buffer.read().decode('utf-8'), '<tinyllm-harness>', 'exec'))",
  "sys.stdout.buffer.write(b'%d\\n' % len(code) + code)",
].join("\n");

/**
 * Compiles the harness program with the interpreter runs use. Rejects with Python's message
 * when they do not compile there (for example a Python older than the harness supports).
 *
 * @internal
 */
export function compilePythonHarness(runtime: PythonRuntime, harness: PythonHarness): Promise<CompiledPythonHarness> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      runtime.executable,
      ["-I", "-S", "-B", "-X", "utf8", "-c", COMPILER],
      { env: {}, encoding: "buffer", timeout: 30_000, killSignal: "SIGKILL", maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(`the Python harness does not compile with ${runtime.executable}: ${stderr.toString("utf8").trim().split("\n").pop() ?? error.message}`),
          );
          return;
        }
        const newline = stdout.indexOf(0x0a);
        const size = Number(stdout.subarray(0, Math.max(newline, 0)).toString("ascii"));
        if (newline === -1 || !Number.isInteger(size) || size <= 0 || newline + 1 + size !== stdout.length) {
          reject(new Error("the compiled Python harness came back garbled"));
          return;
        }
        resolve({ bootstrap: BOOTSTRAP, preamble: stdout });
      },
    );
    child.stdin?.end(Buffer.from(harness.source, "utf8"));
  });
}
