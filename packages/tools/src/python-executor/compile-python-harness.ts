import { execFile } from "node:child_process";
import type { PythonRuntime } from "./detect-python";
import type { PythonHarness } from "./load-python-harness";

/**
 * A harness program as each process gets it: a short `-c` bootstrap that reads the program's
 * compiled code (`marshal`) from stdin and runs it, and those bytes. Compiling the ~1000 lines
 * once, with the interpreter that runs them, saves each process about 10 ms of CPU time.
 *
 * @internal
 */
export interface CompiledPythonProgram {
  /** The `-c` argument. */
  bootstrap: string;
  /** Written to stdin before the job: the length of the code in bytes, a newline, the code. */
  preamble: Buffer;
}

/** The compiled harness programs. @internal */
export interface CompiledPythonHarness {
  answer: CompiledPythonProgram;
  tests: CompiledPythonProgram;
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
  "for source in sys.stdin.buffer.read().decode('utf-8').split('\\0'):",
  "    code = marshal.dumps(compile(source, '<tinyllm-harness>', 'exec'))",
  "    sys.stdout.buffer.write(b'%d\\n' % len(code) + code)",
].join("\n");

/** Splits the compiler's output: `<length>\n<bytes>` per program, each kept whole as a preamble. */
function preambles(output: Buffer): Buffer[] {
  const found: Buffer[] = [];
  let at = 0;
  while (at < output.length) {
    const newline = output.indexOf(0x0a, at);
    const size = Number(output.subarray(at, newline).toString("ascii"));
    if (newline === -1 || !Number.isInteger(size) || size <= 0 || newline + 1 + size > output.length) throw new Error("the compiled harness came back garbled");
    found.push(output.subarray(at, newline + 1 + size));
    at = newline + 1 + size;
  }
  return found;
}

/**
 * Compiles the harness programs with the interpreter runs use. Rejects with Python's message
 * when they do not compile there (for example a Python older than the harness supports).
 *
 * @internal
 */
export function compilePythonHarness(runtime: PythonRuntime, harness: PythonHarness): Promise<CompiledPythonHarness> {
  return new Promise((resolve, reject) => {
    const child = execFile(runtime.executable, ["-I", "-S", "-B", "-X", "utf8", "-c", COMPILER], { env: {}, encoding: "buffer", timeout: 30_000, killSignal: "SIGKILL", maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`the Python harness does not compile with ${runtime.executable}: ${stderr.toString("utf8").trim().split("\n").pop() ?? error.message}`));
        return;
      }
      try {
        const [answer, tests] = preambles(stdout);
        if (!answer || !tests) throw new Error("the compiled harness came back incomplete");
        resolve({ answer: { bootstrap: BOOTSTRAP, preamble: answer }, tests: { bootstrap: BOOTSTRAP, preamble: tests } });
      } catch (caught) {
        reject(caught instanceof Error ? caught : new Error(String(caught)));
      }
    });
    child.stdin?.end(Buffer.from(`${harness.answer}\0${harness.tests}`, "utf8"));
  });
}
