// Node module hooks that let a child process import this package's TypeScript sources directly:
// relative imports without an extension resolve to `.ts` (or `/index.ts`), and `.ts` files are
// transpiled with the workspace's `typescript` (types are dropped, nothing is checked).
// Loading `typescript` takes about a second, so when TINYLLM_TS_LOADER_CACHE names a directory
// the output is cached there, keyed by a hash of the source.
// Test-only: the verdict store tests spawn `node --import ./register-ts-loader.mjs child.ts`.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { URL, fileURLToPath } from "node:url";

const cacheDir = process.env.TINYLLM_TS_LOADER_CACHE;
if (cacheDir) mkdirSync(cacheDir, { recursive: true });
let typescript;

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? "";
  if (parent.endsWith(".ts") && (specifier.startsWith("./") || specifier.startsWith("../")) && !/\.[cm]?[jt]s$/.test(specifier)) {
    for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
      const url = new URL(candidate, parent);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, "utf8");
  const cached = cacheDir ? join(cacheDir, `${createHash("sha256").update(file).update("\0").update(source).digest("hex")}.mjs`) : undefined;
  if (cached && existsSync(cached)) return { format: "module", source: readFileSync(cached, "utf8"), shortCircuit: true };
  typescript ??= (await import("typescript")).default;
  const output = typescript.transpileModule(source, {
    fileName: file,
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      inlineSourceMap: true,
    },
  }).outputText;
  if (cached) {
    // Write then rename, so a process starting at the same time never reads half a file.
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, output);
    renameSync(partial, cached);
  }
  return { format: "module", source: output, shortCircuit: true };
}
