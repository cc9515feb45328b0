/**
 * Runs the TypeScript and JavaScript examples of a package README as Vitest tests, so an
 * example cannot break without a test failing.
 *
 * Each ```ts / ```js block is one test. The block is written to a file inside the package
 * (under the git-ignored `.tinyllm/readme-examples/`, so `@tinyllm/*` imports and the
 * package's dependencies resolve as they would for a user) and imported. It runs in a fresh
 * temporary directory that holds links to the repository's `docs/`, `graphs/`, `prompts/` and
 * `rubrics/` (as if run from a checkout) and an empty `.git/`, so `tinyllm.yaml` is never
 * looked for above it. The test passes when the block runs without throwing and every
 * `console.log(…); // text` line printed exactly `text`.
 *
 * A block that cannot run says so in its fence with the reason: ```ts no-run: the reason.
 * Keep those rare.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { format } from "node:util";
import { describe, expect, it } from "vitest";
import { extractCodeBlocks, type CodeBlock } from "./extract-code-blocks";

/** Options of {@link describeReadmeExamples}. */
export interface ReadmeExampleOptions {
  /** The package folder (its README and `package.json` are here). */
  packageDir: string;
  /** The markdown file, relative to `packageDir`. Default `README.md`. */
  readme?: string;
  /** Time allowed for each example. Default 120 000 ms. */
  timeoutMs?: number;
}

const EXTENSIONS: Record<string, string> = { ts: "ts", typescript: "ts", js: "mjs", javascript: "mjs", mjs: "mjs" };
const REPOSITORY_FOLDERS = ["docs", "graphs", "prompts", "rubrics"];
const LOG_HOOK = "__tinyllmReadmeExampleLog";
// `console.log(…); // expected output` at the end of a line.
const EXPECTED_OUTPUT = /console\.log\(.*\);\s*\/\/ (.+)$/;

/** Registers one Vitest test per ```ts / ```js block of the package README. */
export function describeReadmeExamples(options: ReadmeExampleOptions): void {
  const readme = options.readme ?? "README.md";
  const readmePath = resolve(options.packageDir, readme);
  const blocks = extractCodeBlocks(readFileSync(readmePath, "utf8")).filter((block) => block.lang in EXTENSIONS);
  const timeout = options.timeoutMs ?? 120_000;

  describe(`${readme} examples`, () => {
    if (blocks.length === 0) {
      it("has code examples to run", () => {
        expect.fail(`${readmePath} has no \`\`\`ts or \`\`\`js block: remove its readme test, or fix the fences`);
      });
    }
    for (const block of blocks) {
      const name = `${readme}:${block.line}${block.heading ? ` (${block.heading})` : ""}`;
      const noRun = /^no-run\b[\s:—–-]*(.*)$/.exec(block.info);
      if (noRun) {
        if (noRun[1]) it.skip(`${name}: not run, ${noRun[1]}`, () => {});
        else it(`${name}: says why it is not run`, () => expect.fail(`the no-run block at ${readme}:${block.line} needs a reason: \`\`\`ts no-run: why`));
        continue;
      }
      it(name, { timeout }, () => runExample(options.packageDir, readme, block));
    }
  });
}

async function runExample(packageDir: string, readme: string, block: CodeBlock): Promise<void> {
  const expected = new Map<number, string>();
  const source = block.code
    .split("\n")
    .map((line, index) => {
      const output = EXPECTED_OUTPUT.exec(line);
      if (!output) return line;
      const readmeLine = block.line + 1 + index;
      expected.set(readmeLine, output[1]!.trim());
      return line.replace("console.log(", `globalThis.${LOG_HOOK}(${readmeLine}, `);
    })
    .join("\n");
  const printed = new Map<number, string[]>();
  const hooks = globalThis as unknown as Record<string, unknown>;
  hooks[LOG_HOOK] = (readmeLine: number, ...args: unknown[]) => {
    printed.set(readmeLine, [...(printed.get(readmeLine) ?? []), format(...args)]);
    console.log(...args);
  };

  const moduleDir = join(packageDir, ".tinyllm", "readme-examples");
  const moduleFile = join(moduleDir, `${basename(readme, ".md")}-${block.line}-${process.pid}.${EXTENSIONS[block.lang]}`);
  const workDir = await mkdtemp(join(tmpdir(), "tinyllm-readme-"));
  const previousDir = process.cwd();
  try {
    await mkdir(moduleDir, { recursive: true });
    await writeFile(moduleFile, source);
    await mkdir(join(workDir, ".git"));
    const root = findRepositoryRoot(packageDir);
    for (const folder of REPOSITORY_FOLDERS) {
      if (existsSync(join(root, folder))) await symlink(join(root, folder), join(workDir, folder));
    }
    process.chdir(workDir);
    await import(moduleFile);
  } finally {
    process.chdir(previousDir);
    delete hooks[LOG_HOOK];
    await rm(moduleFile, { force: true });
    await rm(workDir, { recursive: true, force: true });
  }
  for (const [readmeLine, text] of expected) {
    const lines = printed.get(readmeLine) ?? [];
    expect(lines, `what ${readme}:${readmeLine} printed`).toEqual(lines.length > 0 ? lines.map(() => text) : [text]);
  }
}

function findRepositoryRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
  }
}
