import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { isLoopback } from "./http/api-keys";
import { serverError } from "./http/server-error";
import { createTinyLLMServer, type TinyLLMServer, type TinyLLMServerOptions } from "./create-server";

/** Options of {@link startServer}. */
export interface StartServerOptions extends TinyLLMServerOptions {
  /** Address to bind. Default `127.0.0.1`; any other needs API keys. */
  host?: string;
  /** Port. Default 11435 (Ollama has 11434); 0 picks a free one. */
  port?: number;
  /** How long a client may take to send its headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** How long a client may take to send its whole request. Default 60 s. */
  requestTimeoutMs?: number;
}

/** A listening server. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:11435`. */
  readonly url: string;
  readonly port: number;
  readonly server: TinyLLMServer;
  /** The Node HTTP server underneath. */
  readonly httpServer: Server;
  /**
   * Stops accepting, lets runs in progress finish for up to `graceMs`, cancels the rest, closes
   * connections and, with `closeRuntime` (the default), the runtime with its stores and models.
   */
  close(options?: { graceMs?: number; closeRuntime?: boolean }): Promise<{ finished: number; cancelled: number }>;
}

/** The default port: one above Ollama's 11434. */
export const defaultPort = 11435;

/**
 * Starts the server on a runtime. Refuses to bind an address other than loopback without API
 * keys (`SERVER_BAD_REQUEST` with what to do).
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? defaultPort;
  if (!isLoopback(host) && (options.apiKeys ?? []).length === 0)
    throw serverError(
      "SERVER_BAD_REQUEST",
      `refusing to listen on ${host} without API keys: anyone who can reach it could run models here`,
      "set TINYLLM_API_KEYS=key1,key2 (or apiKeys in the config), or listen on 127.0.0.1",
    );
  const server = await createTinyLLMServer({
    ...options,
    ...(options.allowedHosts === undefined && isLoopback(host) ? { allowedHosts: ["localhost", "127.0.0.1", "[::1]", "::1"] } : {}),
  });
  const httpServer = await new Promise<Server>((resolve, reject) => {
    const listening = serve(
      {
        fetch: server.fetch,
        hostname: host,
        port,
        // Slow clients cannot hold sockets: headers within 10 s, the whole request within 60 s,
        // checked every second (Node's default check runs every 30 s).
        serverOptions: {
          headersTimeout: options.headersTimeoutMs ?? 10_000,
          requestTimeout: options.requestTimeoutMs ?? 60_000,
          keepAliveTimeout: 5_000,
          connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs ?? 1_000),
        },
      },
      () => resolve(listening as Server),
    ) as Server;
    listening.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? serverError("SERVER_BAD_REQUEST", `port ${port} on ${host} is in use`, "pick another with --port, or stop what listens there")
          : error,
      ),
    );
  });
  const address = httpServer.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<{ finished: number; cancelled: number }> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    server,
    httpServer,
    close({ graceMs = 10_000, closeRuntime = true } = {}) {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        const drained = await server.close({ graceMs, closeRuntime });
        // Streams have ended with their runs; what is left is idle keep-alive sockets.
        httpServer.closeAllConnections();
        await stopped;
        return drained;
      })();
      return closing;
    },
  };
}
