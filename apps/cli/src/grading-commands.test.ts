import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let dir: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // No Ollama (port 9 refuses), no model file: a verdict that needs a judge must say so.
  const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9", TINYLLM_VERDICTS: "verdicts.db" };
  delete env.NODE_OPTIONS;
  delete env.TINYLLM_MODEL_FILE;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const hasPython = (() => {
  try {
    execFileSync("python3", ["-c", "pass"]);
    return true;
  } catch {
    return false;
  }
})();

const question =
  "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?";
const reference = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72";

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-grade-cli-"));
});

describe("tinyllm grade", () => {
  it("decides a right and a wrong GSM8K answer without an LLM", async () => {
    const right = await cli([
      "grade",
      "--query",
      question,
      "--answer",
      "In May she sold 48/2 = 24 clips, so 48 + 24 = 72 in all. The answer is 72.",
      "--reference",
      reference,
      "--json",
    ]);
    expect(right.code).toBe(0);
    const verdict = JSON.parse(right.stdout) as { pass: boolean; score: number; decidedBy: string; checks: { name: string }[] };
    expect(verdict).toMatchObject({ pass: true, score: 1, decidedBy: "math.reference" });
    expect(verdict.checks.map((c) => c.name)).toContain("math.reference");
    const wrong = await cli([
      "grade",
      "--query",
      question,
      "--answer",
      "In May she sold 24 clips, so 71 in all.",
      "--reference",
      reference,
      "--route",
      "math",
      "--json",
    ]);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ pass: false, score: 0, decidedBy: "math.reference" });
  });

  it("says that a judge is needed instead of guessing", async () => {
    const result = await cli(["grade", "--query", "Who painted the Mona Lisa?", "--answer", "Leonardo da Vinci.", "--json"]);
    expect(result.code).toBe(3);
    const verdict = JSON.parse(result.stdout) as { pass: null; needsJudge: boolean; reason: string };
    expect(verdict).toMatchObject({ pass: null, needsJudge: true });
    expect(verdict.reason).toMatch(/only an LLM judge could decide/);
    const text = await cli(["grade", "--query", "Who painted the Mona Lisa?", "--answer", "Leonardo da Vinci.", "--no-judge"]);
    expect(text.stdout).toMatch(/^UNDECIDED: .*--no-judge/);
  });

  it.skipIf(!hasPython)("runs a Python answer against a HumanEval-style tests file (skipped on machines without python3)", async () => {
    const tests = path.join(dir, "tests.py");
    await writeFile(tests, "def check(candidate):\n    assert candidate(7) is True\n    assert candidate(9) is False\n    assert candidate(1) is False\n");
    const good =
      "```python\ndef is_prime(n):\n    if n < 2:\n        return False\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n            return False\n        i += 1\n    return True\n```";
    const pass = await cli(["grade", "--query", "Write a Python function to check if a number is prime", "--answer", good, "--tests", tests, "--json"]);
    expect(JSON.parse(pass.stdout)).toMatchObject({ pass: true, decidedBy: "code.tests" });
    const fail = await cli([
      "grade",
      "--query",
      "Write a Python function to check if a number is prime",
      "--answer",
      good.replace("i * i <= n", "i * i < n"),
      "--tests",
      tests,
      "--json",
    ]);
    expect(fail.code).toBe(1);
    expect(JSON.parse(fail.stdout)).toMatchObject({ pass: false, decidedBy: "code.tests" });
  });

  it("refuses bad input with a usage error", async () => {
    expect((await cli(["grade", "--answer", "x"])).code).toBe(2);
    const empty = path.join(dir, "empty.py");
    await writeFile(empty, "\n");
    const emptyTests = await cli(["grade", "-q", "Write f", "-a", "```python\ndef f(): return 1\n```", "--tests", empty]);
    expect(emptyTests.code).toBe(2);
    expect(emptyTests.stderr).toMatch(/has no tests in it/);
    const check = path.join(dir, "check.py");
    await writeFile(check, "def check(candidate):\n    assert candidate(1) == 1\n");
    const twoFunctions = await cli(["grade", "-q", "Write it", "-a", "```python\ndef f(x): return x\ndef g(x): return x\n```", "--tests", check]);
    expect(twoFunctions.code).toBe(2);
    expect(twoFunctions.stderr).toMatch(/several functions \(f, g\)[\s\S]*--entry-point/);
    expect((await cli(["grade", "-q", "q", "-a", "a", "--tests", check, "--entry-point", "1bad"])).code).toBe(2);
    const noTests = await cli(["grade", "-q", "q", "-a", "a", "--tests", "missing.py"]);
    expect(noTests.code).toBe(2);
    expect(noTests.stderr).toMatch(/--tests: cannot read missing\.py: no such file/);
  });
});

describe("tinyllm stats", () => {
  it("reads the verdict store the grade command wrote", async () => {
    const result = await cli(["stats", "--json"]);
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout) as { total: number; groups: { node: { key: string; total: number; passRate: number }[] } };
    expect(stats.total).toBeGreaterThanOrEqual(2);
    const gate = stats.groups.node.find((g) => g.key === "cli.grade");
    expect(gate?.total).toBe(stats.total);
    expect(gate?.passRate).toBeGreaterThan(0);
    expect(gate?.passRate).toBeLessThan(1);
    const text = await cli(["stats", "--by", "node"]);
    expect(text.stdout).toMatch(/by gate\n.*pass rate/);
  });

  it("says when nothing was recorded yet", async () => {
    const result = await cli(["stats", "--store", "nothing-here.db"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no verdicts have been recorded yet/i);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
