/**
 * TinyLLM server: graphs of small local models served as models over the Ollama and OpenAI
 * APIs, with a runs API and live events, a web trace viewer, API keys, limits and metrics.
 *
 * @module
 */
export { createTinyLLMServer, type TinyLLMServer, type TinyLLMServerOptions } from "./create-server";
export { startServer, defaultPort, type RunningServer, type StartServerOptions } from "./start-server";
export { serve, type ServeOptions } from "./serve";
export { parseServeArgs, serveUsage } from "./serve-usage";
export { defaultServerLimits, type ServerContext, type ServerEnv, type ServerLimits } from "./server-context";
export type { RunHub, LiveRun, NumberedEvent, StartRunOptions } from "./runs/run-hub";
export type { ServedGraphs } from "./served-graphs";
export type { ServerMetrics } from "./metrics/server-metrics";
export { serverErrorStatus, type ServerErrorCode } from "./http/server-error";
export { serverVersion } from "./server-version";
