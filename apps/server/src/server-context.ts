import type { Runtime } from "@tinyllm/runtime";
import type { ServerMetrics } from "./metrics/server-metrics";
import type { RunHub } from "./runs/run-hub";
import type { ServedGraphs } from "./served-graphs";

/** The limits a server enforces, each with a clear error. */
export interface ServerLimits {
  /** Largest request body in bytes (413 beyond). Default 1 MiB. */
  maxBodyBytes: number;
  /** Longest query (the last user message, the prompt, a run's input) in characters (413 beyond). Default 32,000. */
  maxQueryChars: number;
  /** Runs at once per API key. Default 4. */
  maxConcurrentPerKey: number;
  /** Runs waiting per key beyond those (429 beyond). Default 16. */
  maxQueuedPerKey: number;
  /** Longest wait for a slot (503 after). Default 30 s. */
  maxQueueWaitMs: number;
  /** Deadline of each run started by a request. Default 5 min. */
  requestDeadlineMs: number;
  /** Most tokens a client may ask one model call to write (`num_predict`, `max_tokens`); larger asks are cut to it. Default 4,096. */
  maxTokensPerCall: number;
}

/** The defaults of {@link ServerLimits}. */
export const defaultServerLimits: ServerLimits = {
  maxBodyBytes: 1024 * 1024,
  maxQueryChars: 32_000,
  maxConcurrentPerKey: 4,
  maxQueuedPerKey: 16,
  maxQueueWaitMs: 30_000,
  requestDeadlineMs: 300_000,
  maxTokensPerCall: 4096,
};

/** What every route handler sees. */
export interface ServerContext {
  runtime: Runtime;
  graphs: ServedGraphs;
  hub: RunHub;
  metrics: ServerMetrics;
  limits: ServerLimits;
  /** The server's version, e.g. `0.1.0`. */
  version: string;
  /** Writes one log line. */
  log(line: string): void;
}

/** Hono's environment for the server's routes. */
export interface ServerEnv {
  Variables: {
    /** The caller's API key, or `anonymous` when the server has no keys. */
    apiKey: string;
    /** This request's id (also in the `X-Request-Id` header and the log). */
    requestId: string;
    /** Set when the answer is a whole JSON chat answer (not a stream): it is held to the end of the turn. */
    wholeAnswer?: true;
  };
}
