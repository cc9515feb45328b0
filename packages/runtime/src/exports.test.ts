// The names @tinyllm/runtime exports. A change here is a change to the public API: update the snapshot
// with `npx vitest run src/exports.test.ts -u` and add a changeset.
import { expect, it } from "vitest";
import * as runtime from "@tinyllm/runtime";

it("exports the public API of @tinyllm/runtime", () => {
  expect(Object.keys(runtime).sort()).toMatchInlineSnapshot(`
    [
      "ConfigErrorCode",
      "SearchSectionSchema",
      "TinyLLMConfigSchema",
      "assetsFolderFor",
      "bundledAssetsDir",
      "configFileNames",
      "createConfigInvalidError",
      "createProvider",
      "createRuntime",
      "createRuntimeTools",
      "defaultCacheDir",
      "defaultGraphFile",
      "diagnose",
      "findConfigFile",
      "formatConfigIssue",
      "loadConfig",
      "noProviderHint",
      "ollamaAnswers",
      "parseConfigText",
      "selectBackend",
      "starterConfigText",
      "tierResolver",
      "tinyLLMConfigJsonSchema",
      "writeStarterConfig",
    ]
  `);
});
