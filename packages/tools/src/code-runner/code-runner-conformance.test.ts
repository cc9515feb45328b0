import { execFileSync } from "node:child_process";
import { createCodeExecutor } from "../code-executor/create-code-executor";
import { createPythonExecutor } from "../python-executor/create-python-executor";
import { describeCodeRunnerConformance } from "./code-runner-conformance";

describeCodeRunnerConformance({
  name: "the JavaScript sandbox (isolated-vm)",
  create: ({ timeoutMs }) => createCodeExecutor({ poolSize: 1, timeoutMs, wallTimeoutMs: Math.max(20_000, 2 * timeoutMs), maxOutputChars: 2_000 }),
  fixtures: {
    print: 'console.log("hello")',
    syntaxError: "const a = 1;\nconst = ;",
    runtimeError: 'console.log("before");\nnull.boom;',
    endlessLoop: "while (true) {}",
    floodOutput: 'for (let i = 0; i < 10000; i++) console.log("xxxxxxxxxxxxxxxxxxxx");',
    add: "function add(a, b) { return a + b; }",
    passingSuite: { testCode: "assert.strictEqual(add(1, 2), 3);" },
    failingSuite: { testCode: "assert.strictEqual(add(1, 2), 4);" },
  },
});

function pythonMissing(): string | undefined {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "python3 is not installed";
  }
}

describeCodeRunnerConformance({
  name: "the Python sandbox (CPython)",
  create: ({ timeoutMs }) => createPythonExecutor({ timeoutMs, wallTimeoutMs: Math.max(20_000, 2 * timeoutMs), maxOutputChars: 2_000 }),
  skipReason: pythonMissing(),
  fixtures: {
    print: 'print("hello")',
    syntaxError: "a = 1\ndef (:\n",
    runtimeError: 'print("before")\nNone.boom\n',
    endlessLoop: "while True:\n    pass\n",
    floodOutput: 'for i in range(10000):\n    print("xxxxxxxxxxxxxxxxxxxx")\n',
    add: "def add(a, b):\n    return a + b\n",
    passingSuite: { asserts: ["assert add(1, 2) == 3"] },
    failingSuite: { asserts: ["assert add(1, 2) == 4"] },
  },
});
