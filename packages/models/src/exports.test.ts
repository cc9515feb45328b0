// The names @tinyllm/models and @tinyllm/models/testing export. A change here is a change to
// the public API: update the snapshots with `npx vitest run src/exports.test.ts -u` and add a
// changeset.
import { expect, it } from "vitest";
import * as models from "@tinyllm/models";
import * as testing from "@tinyllm/models/testing";

it("exports the public API of @tinyllm/models", () => {
  expect(Object.keys(models).sort()).toMatchInlineSnapshot(`
    [
      "ANSWER_META_FIELD",
      "DEFAULT_ROUTER_LEXICON",
      "LlamaSectionSchema",
      "ModelErrorCode",
      "ModelNodeConfigSchema",
      "OllamaSectionSchema",
      "OpenAISectionSchema",
      "PromptSchema",
      "RECOMMENDED_CONFIDENCE_THRESHOLD",
      "REVISION_FIELD",
      "RouteSchema",
      "RouterConfigSchema",
      "SamplingSchema",
      "TierModelsSchema",
      "TiersSectionSchema",
      "createHybridRouter",
      "createLlamaProvider",
      "createModelError",
      "createModelKind",
      "createOllamaProvider",
      "createOpenAIProvider",
      "createRouterKind",
      "decideRoute",
      "defaultOllamaHost",
      "defaultTiers",
      "fastLabelsFromRoutes",
      "generateObject",
      "isModelError",
      "isTierId",
      "loadPrompts",
      "nonEmptySetting",
      "normalizeOllamaHost",
      "optionalSetting",
      "parseOllamaHost",
      "parsePrompt",
      "providerIds",
      "resolveModelRef",
      "routerConfigProblems",
      "runToolLoop",
      "tierIds",
      "toJsonSchema",
      "toLlamaJsonSchema",
      "trainFastClassifier",
    ]
  `);
});

it("exports the test helpers of @tinyllm/models/testing", () => {
  expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
    [
      "captureError",
      "describeProviderConformance",
      "errorOf",
      "findRepoRoot",
      "findSharedModelPath",
      "generateTestModel",
      "hasSha256",
      "invalidJsonAnswer",
      "resolveTestModel",
      "startOllamaTestServer",
      "startOpenAITestServer",
      "stories260KSha256",
      "testGgufShape",
      "testModelEnvVar",
      "writeTestGguf",
    ]
  `);
});
