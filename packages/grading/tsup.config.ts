import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.shared";

export default defineConfig({
  ...libraryBuild,
  external: ["better-sqlite3", "isolated-vm", "node-llama-cpp"],
});
