import { cp, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/bin.ts"],
  format: ["esm"],
  splitting: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  banner: { js: "#!/usr/bin/env node" },
  external: ["node-llama-cpp", "@tinyllm/core", "@tinyllm/models", "@tinyllm/grading", "better-sqlite3"],
  // The default graph, its prompts and the rubrics ship with the CLI.
  async onSuccess() {
    const assets = path.resolve("dist/assets");
    await mkdir(path.join(assets, "graphs"), { recursive: true });
    await cp(path.resolve("../../graphs/multi_domain.yaml"), path.join(assets, "graphs/multi_domain.yaml"));
    await mkdir(path.join(assets, "prompts"), { recursive: true });
    for (const name of await readdir(path.resolve("../../prompts"))) {
      if (name.endsWith(".yaml")) await cp(path.resolve("../../prompts", name), path.join(assets, "prompts", name));
    }
    await mkdir(path.join(assets, "rubrics"), { recursive: true });
    for (const name of await readdir(path.resolve("../../rubrics"))) {
      if (name.endsWith(".yaml")) await cp(path.resolve("../../rubrics", name), path.join(assets, "rubrics", name));
    }
  },
});
