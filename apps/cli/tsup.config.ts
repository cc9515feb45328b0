import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/bin.ts"],
  format: ["esm"],
  splitting: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  banner: { js: "#!/usr/bin/env node" },
  external: ["node-llama-cpp", "@tinyllm/core", "@tinyllm/runtime", "@tinyllm/server", "@tinyllm/grading", "@tinyllm/tools", "better-sqlite3"],
});
