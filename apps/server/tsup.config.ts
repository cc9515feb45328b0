import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/main.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  splitting: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // dist/main.js is the tinyllm-server bin; Node ignores the line in the library entry.
  banner: { js: "#!/usr/bin/env node" },
  external: ["node-llama-cpp", "@tinyllm/core", "@tinyllm/runtime", "better-sqlite3"],
});
