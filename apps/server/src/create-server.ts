import { batchedLog } from "./http/batched-log";
import { Hono, type Context } from "hono";
import { getCookie } from "hono/cookie";
import { cors } from "hono/cors";
import type { Runtime } from "@tinyllm/runtime";
import { TinyLLMError } from "@tinyllm/core";
import { createApiKeys } from "./http/api-keys";
import { describeError, serverError } from "./http/server-error";
import { bodyTooLarge } from "./http/read-json";
import { isoNow } from "./http/iso-now";
import { isWholeAnswer, stampRequestId } from "./http/json-response";
import { endOfTurn } from "./http/end-of-turn";
import { requestHeader } from "./http/request-header";
import { requestIdOf, requestIdSource } from "./http/request-id";
import { createServerMetrics } from "./metrics/server-metrics";
import { ollamaRoutes } from "./ollama/ollama-routes";
import { openAIErrorBody, openAIRoutes } from "./openai/openai-routes";
import { KeyLimiter } from "./runs/key-limiter";
import { RunHub } from "./runs/run-hub";
import { runsRoutes } from "./runs/runs-routes";
import { defaultServerLimits, type ServerContext, type ServerEnv, type ServerLimits } from "./server-context";
import { loadServedGraphs } from "./served-graphs";
import { uiRoutes } from "./ui/ui-routes";
import { graphsRoutes } from "./graphs-routes";
import { fleetRoutes } from "./fleet-routes";
import { serverVersion } from "./server-version";

/** Options of {@link createTinyLLMServer}. */
export interface TinyLLMServerOptions {
  /** The runtime every request runs on; the server does not close it unless {@link TinyLLMServer.close} is told to. */
  runtime: Runtime;
  /** Graph files to serve, each under its id. Default: the configured graph, else the bundled multi_domain. */
  graphs?: readonly string[];
  /** API keys. When any is set, every route but `/healthz` needs `Authorization: Bearer KEY`. */
  apiKeys?: readonly string[];
  /** Origins allowed by CORS. Default none (CORS off). `*` allows any. */
  corsOrigins?: readonly string[];
  /** Limits; each unset one takes its default. */
  limits?: Partial<ServerLimits>;
  /** Where log lines go. Default stderr. */
  log?: (line: string) => void;
  /**
   * Host names (without port) requests may name in their `Host` header; others get 403. Default
   * any. A server on loopback allows only loopback names, so a web page that points its own domain
   * at 127.0.0.1 (DNS rebinding) cannot reach it.
   */
  allowedHosts?: readonly string[];
  /**
   * Most finished runs kept in memory for `/v1/runs`, newest first. Default 50, the default page
   * of `/v1/runs` and of the viewer's list. With a run store (the default) older runs are read
   * from it; without one they are gone. Each kept run costs memory and, under load, garbage
   * collection time (see `benchmarks/server/README.md`).
   */
  keepFinishedRuns?: number;
}

/** A server ready to be listened on: its fetch handler and what it holds. */
export interface TinyLLMServer {
  /** The web-standard handler (`Request` → `Response`). */
  readonly fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  /** The Hono app, for adding routes. */
  readonly app: Hono<ServerEnv>;
  /** The graph ids served. */
  readonly graphIds: readonly string[];
  /** What route handlers share. */
  readonly context: ServerContext;
  /**
   * Stops taking runs, lets those in progress finish for up to `graceMs` and cancels the rest
   * (their results are still recorded). With `closeRuntime`, then closes the runtime.
   */
  close(options?: { graceMs?: number; closeRuntime?: boolean }): Promise<{ finished: number; cancelled: number }>;
}

/**
 * The host name of an absolute URL, lower-cased, without its port; undefined when the URL has
 * anything unusual in its authority (user info, a backslash) and needs the full parser. Only a
 * name this finds in the allowed set is let through without `new URL`.
 */
function quickHostname(url: string): string | undefined {
  const scheme = url.indexOf("://");
  if (scheme < 0) return undefined;
  const start = scheme + 3;
  let end = start;
  while (end < url.length) {
    const char = url.charCodeAt(end);
    if (char === 47 /* / */ || char === 63 /* ? */ || char === 35 /* # */) break;
    if (char === 64 /* @ */ || char === 92 /* \\ */ || char === 37 /* % */) return undefined;
    end++;
  }
  let host = url.slice(start, end);
  const colon = host.lastIndexOf(":");
  if (colon >= 0 && (host[0] !== "[" || colon > host.indexOf("]"))) {
    const port = host.slice(colon + 1);
    if (!/^\d*$/.test(port)) return undefined;
    host = host.slice(0, colon);
  }
  return host.length > 0 ? host.toLowerCase() : undefined;
}

/** A request path as the log line shows it: JSON-escaped, without quotes (most paths need no escaping). */
function logPath(path: string): string {
  for (let index = 0; index < path.length; index++) {
    const char = path.charCodeAt(index);
    if (char < 32 || char === 34 /* " */ || char === 92 /* \ */ || (char >= 0xd800 && char <= 0xdfff)) return JSON.stringify(path).slice(1, -1);
  }
  return path;
}

/** A duration in milliseconds with one decimal (cheaper than `toFixed(1)`; halves round up, where `toFixed` follows the binary value, so 0.15 gives 0.2 here and 0.1 there). */
function tenths(ms: number): string {
  if (!(ms >= 0 && ms < 1e9)) return ms.toFixed(1);
  const rounded = Math.round(ms * 10);
  return `${Math.floor(rounded / 10)}.${rounded % 10}`;
}

/** Routes that need no key: the liveness probe, and the viewer's sign-in page. */
const open = new Set(["/healthz", "/ui/login"]);
/** Routes the viewer calls, which also take its sign-in cookie (HttpOnly, SameSite=Strict). */
const viewerPaths = ["/ui", "/v1/runs", "/v1/graphs"];

/**
 * Creates the TinyLLM server on a runtime: the graphs served as models over the Ollama and
 * OpenAI APIs, the runs API with live events, the trace viewer at `/ui/`, `/metrics`,
 * `/healthz` and `/readyz`.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime({ flags: { modelFile: "model.gguf" } });
 * const server = await createTinyLLMServer({ runtime });
 * const response = await server.fetch(new Request("http://localhost/api/tags"));
 * ```
 */
export async function createTinyLLMServer(options: TinyLLMServerOptions): Promise<TinyLLMServer> {
  const { runtime } = options;
  const keepFinishedRuns = options.keepFinishedRuns;
  if (keepFinishedRuns !== undefined && !(Number.isInteger(keepFinishedRuns) && keepFinishedRuns >= 0))
    throw new TinyLLMError({
      code: "INVALID_ARGUMENT",
      message: `keepFinishedRuns must be a whole number of at least 0, not ${String(keepFinishedRuns)}`,
      hint: "e.g. keepFinishedRuns: 50, or 0 to keep none in memory",
    });
  const defaultLog = options.log ? undefined : batchedLog((text) => process.stderr.write(text));
  const log = options.log ?? (defaultLog as (line: string) => void);
  const limits: ServerLimits = { ...defaultServerLimits, ...options.limits };
  const { defaultGraphFile } = await import("@tinyllm/runtime");
  const graphs = await loadServedGraphs(runtime, options.graphs && options.graphs.length > 0 ? options.graphs : [runtime.config.graph ?? defaultGraphFile()]);
  const metrics = createServerMetrics();
  const limiter = new KeyLimiter({
    maxConcurrentPerKey: limits.maxConcurrentPerKey,
    maxQueuedPerKey: limits.maxQueuedPerKey,
    maxQueueWaitMs: limits.maxQueueWaitMs,
  });
  let closing = false;
  const hub: RunHub = new RunHub({
    runtime,
    limiter,
    ...(keepFinishedRuns !== undefined ? { keepFinished: keepFinishedRuns } : {}),
    maxTokensPerCall: limits.maxTokensPerCall,
    onAfterRunError: (error) => log(`a chat turn was not saved to its session: ${(error as Error)?.message ?? String(error)}`),
    onRunEnd: (run, result) => {
      metrics.run(result, run.source);
      metrics.queue(limiter.queued, hub.running);
    },
  });
  const context: ServerContext = { runtime, graphs, hub, metrics, limits, version: serverVersion, log };
  const keys = createApiKeys(options.apiKeys ?? []);

  const app = new Hono<ServerEnv>();
  const errorResponse = (c: Context<ServerEnv>, error: unknown) => {
    const described = describeError(error);
    if (described.status >= 500 && described.code === "SERVER_INTERNAL") log(`${c.get("requestId") ?? "-"} error: ${(error as Error)?.stack ?? String(error)}`);
    if (described.retryAfterSeconds !== undefined) c.header("Retry-After", String(described.retryAfterSeconds));
    if (described.status === 401) c.header("WWW-Authenticate", 'Bearer realm="tinyllm"');
    if (c.req.path.startsWith("/v1/")) {
      const { status, body } = openAIErrorBody(error);
      return c.json(body, status as 400);
    }
    return c.json({ error: described.message }, described.status as 400);
  };
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => errorResponse(c, serverError("SERVER_NOT_FOUND", `no route ${c.req.method} ${c.req.path}`, "see the server's README for its routes")));

  // Every request: an id, one log line and its metrics; then the checks (host and origin, key,
  // declared body size). Without CORS these are one middleware: each level of hono's middleware
  // chain costs a closure and a promise per request.
  const nextRequestId = requestIdSource();
  const allowedOrigins = new Set(options.corsOrigins ?? []);
  const allowedHosts = options.allowedHosts ? new Set(options.allowedHosts.map((host) => host.toLowerCase())) : undefined;
  const corsOn = options.corsOrigins !== undefined && options.corsOrigins.length > 0;
  /** Refuses the request (throws), answers it (a redirect to the sign-in page), or lets it through (undefined). */
  const checks = (c: Context<ServerEnv>): Response | undefined => {
    // Browsers send Origin on cross-site requests: a page elsewhere may not start or read runs
    // (even a "simple" text/plain POST that needs no preflight) unless its origin is allowed.
    const origin = requestHeader(c, "origin");
    if (origin !== undefined || (allowedHosts !== undefined && !allowedHosts.has(quickHostname(c.req.url) ?? ""))) {
      const url = new URL(c.req.url);
      if (allowedHosts && !allowedHosts.has(url.hostname.toLowerCase()))
        throw serverError("SERVER_FORBIDDEN", `requests for host '${url.hostname}' are not served here`, "use the address the server listens on");
      if (origin !== undefined && origin !== url.origin && !allowedOrigins.has("*") && !allowedOrigins.has(origin))
        throw serverError("SERVER_FORBIDDEN", `requests from the web origin ${origin} are not allowed`, "allow it with --cors-origin (or server.corsOrigins)");
    }
    if (!keys.enabled) c.set("apiKey", "anonymous");
    else if (open.has(c.req.path)) c.set("apiKey", "");
    else {
      const header = c.req.header("Authorization");
      const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
      const key = keys.match(bearer) ?? (viewerPaths.some((prefix) => c.req.path.startsWith(prefix)) ? keys.match(getCookie(c, "tinyllm_key")) : undefined);
      if (!key) {
        if (c.req.path.startsWith("/ui") && c.req.method === "GET") return c.redirect("/ui/login");
        throw serverError(
          "SERVER_UNAUTHORIZED",
          header ? "the API key is not valid" : "this server needs an API key",
          "send Authorization: Bearer KEY with one of the keys in TINYLLM_API_KEYS",
        );
      }
      c.set("apiKey", key);
    }
    // A declared length over the cap is refused before the body is read; chunked bodies are
    // counted as they are read (readJson).
    const length = requestHeader(c, "content-length");
    if (length !== undefined && Number(length) > limits.maxBodyBytes) throw bodyTooLarge(limits.maxBodyBytes);
    return undefined;
  };
  // Requests inside this middleware: their answers are not yet handed to the HTTP server (a whole
  // answer is held to the end of its turn). `close` waits for them after the drain.
  let answering = 0;
  const whenAnswered: Array<() => void> = [];
  /** Waits at most `capMs` for the requests inside the middleware, then a turn more, so the HTTP server has written their answers. */
  const answersHandedOver = async (capMs: number) => {
    if (answering > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, capMs);
        timer.unref?.();
        whenAnswered.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
  };
  app.use(async (c, next) => {
    answering++;
    try {
      const id = requestIdOf(c, nextRequestId);
      c.set("requestId", id);
      const started = performance.now();
      try {
        const answered = corsOn ? undefined : checks(c);
        if (answered) c.res = answered;
        else await next();
      } catch (error) {
        c.error = error as Error;
        c.res = errorResponse(c, error);
      }
      stampRequestId(c, id);
      const route = c.req.routePath && c.req.routePath !== "/*" ? c.req.routePath : "unmatched";
      const seconds = (performance.now() - started) / 1000;
      const status = c.res.status;
      metrics.request(route, c.req.method, status, seconds);
      metrics.queue(limiter.queued, hub.running);
      log(`${isoNow()} ${id} ${c.req.method} ${logPath(c.req.path)} ${status} ${tenths(seconds * 1000)}ms`);
      // Whole chat answers finished in this turn are written together (see endOfTurn).
      if (isWholeAnswer(c)) await endOfTurn();
    } finally {
      if (--answering === 0) for (const resolve of whenAnswered.splice(0)) resolve();
    }
  });
  if (corsOn) {
    const origins = [...(options.corsOrigins ?? [])];
    app.use(
      cors({
        origin: origins.includes("*") ? "*" : origins,
        allowHeaders: ["Authorization", "Content-Type", "Last-Event-ID"],
        exposeHeaders: ["X-Request-Id", "X-TinyLLM-Run-Id"],
      }),
    );
    app.use(async (c, next) => checks(c) ?? next());
  }

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    if (closing) return c.json({ status: "shutting down" }, 503);
    const needsModel = graphs.ids.some((id) => graphs.get(id).graph.nodeList.some((node) => node.kind === "model"));
    if (needsModel) {
      const backend = await runtime.backend().catch((error: unknown) => error as Error);
      if (backend instanceof Error) return c.json({ status: "not ready", reason: describeError(backend).message }, 503);
    }
    return c.json({ status: "ready", graphs: graphs.ids });
  });
  app.get("/metrics", async (c) => {
    const rendered = await metrics.render();
    return c.body(rendered.body, 200, { "Content-Type": rendered.contentType });
  });
  app.route("/", ollamaRoutes(context));
  app.route("/", openAIRoutes(context));
  app.route("/", runsRoutes(context));
  app.route("/", graphsRoutes(context));
  app.route("/", fleetRoutes(context));
  app.route("/", uiRoutes(context, keys));

  return {
    fetch: app.fetch,
    app,
    graphIds: graphs.ids,
    context,
    async close({ graceMs = 10_000, closeRuntime = false } = {}) {
      closing = true;
      const drained = await hub.drain(graceMs);
      // The answers of runs that ended during the drain are still on their way out.
      await answersHandedOver(Math.min(graceMs, 1_000));
      if (closeRuntime) await runtime.close();
      defaultLog?.close();
      return drained;
    },
  };
}
