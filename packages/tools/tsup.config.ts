import { cp } from "node:fs/promises";
import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.shared";

export default defineConfig({
  ...libraryBuild,
  external: ["isolated-vm"],
  // The Python executor's harness is plain .py source, read at run time from dist/python-harness/.
  async onSuccess() {
    await cp("src/python-executor/harness", "dist/python-harness", { recursive: true, filter: (source) => !source.includes("__pycache__") });
  },
});
