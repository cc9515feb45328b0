/**
 * Test helpers: a generated tiny GGUF model, the shared test model, and loopback servers
 * that speak the Ollama and OpenAI protocols with injectable faults.
 *
 * @module
 */
export { captureError, errorOf } from "./capture-error";
export type { RecordedRequest } from "./http-test-utils";
export {
  startOllamaTestServer,
  type OllamaTestLoadedModel,
  type OllamaTestModel,
  type OllamaTestServer,
  type OllamaTestServerEvent,
  type OllamaTestServerOptions,
} from "./ollama-test-server";
export { startTestFleet, testFleetModels, type TestFleet, type TestFleetOptions } from "./start-test-fleet";
export { startOpenAITestServer, type OpenAITestServer, type OpenAITestServerOptions } from "./openai-test-server";
export {
  findRepoRoot,
  findSharedModelPath,
  generateTestModel,
  hasSha256,
  resolveTestModel,
  stories260KSha256,
  testModelEnvVar,
  type TestModel,
  type TestModelKind,
} from "./test-model";
export { invalidJsonAnswer, type TestServerFault } from "./test-server-fault";
export { testGgufShape, writeTestGguf, type WriteTestGgufOptions, type WriteTestGgufResult } from "./write-test-gguf";
export { describeProviderConformance, type ConformanceSubject, type ConformanceTestApi, type ProviderConformanceOptions } from "./provider-conformance";
