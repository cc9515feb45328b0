import { cp, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.shared";

export default defineConfig({
  ...libraryBuild,
  entry: { index: "src/index.ts", "testing/index": "src/testing/index.ts" },
  // The conformance suite in ./testing registers its tests with the caller's vitest.
  external: ["vitest"],
  // import.meta.url finds the bundled assets in the CommonJS build too.
  shims: true,
  // The default graph, its prompts and the rubrics ship with the runtime.
  async onSuccess() {
    const assets = path.resolve("dist/assets");
    for (const [folder, only] of [
      ["graphs", "multi_domain.yaml"],
      ["prompts", undefined],
      ["rubrics", undefined],
    ] as const) {
      await mkdir(path.join(assets, folder), { recursive: true });
      for (const name of await readdir(path.resolve("../..", folder))) {
        if ((only === undefined && name.endsWith(".yaml")) || name === only) await cp(path.resolve("../..", folder, name), path.join(assets, folder, name));
      }
    }
  },
});
