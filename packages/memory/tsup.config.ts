import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.shared";

export default defineConfig({
  ...libraryBuild,
  entry: { index: "src/index.ts", "testing/index": "src/testing/index.ts" },
  // The conformance suites in ./testing register their tests with the caller's vitest.
  external: ["better-sqlite3", "sqlite-vec", "vitest"],
});
