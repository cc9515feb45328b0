import { createRuntime, type ConfigFlags } from "@tinyllm/runtime";
import { apiKeysFrom } from "./http/api-keys";
import { defaultPort, startServer, type RunningServer } from "./start-server";
import type { ServerLimits } from "./server-context";

/** What `tinyllm serve` and `tinyllm-server` take. */
export interface ServeOptions extends ConfigFlags {
  host?: string;
  port?: number;
  /** Graph files to serve. */
  graphs?: string[];
  /** CORS origins. */
  corsOrigins?: string[];
  limits?: Partial<ServerLimits>;
  /** How long in-flight runs get to finish on SIGTERM/SIGINT. Default 10 s. */
  shutdownGraceMs?: number;
  /** Folder for `.tinyllm/` (stores) and `tinyllm.yaml`. Default the working directory. */
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Where start-up lines and logs go. Default stderr. */
  write?: (line: string) => void;
}

/**
 * Starts a server the way the command line does: a runtime from flags, environment and
 * `tinyllm.yaml`; keys from `TINYLLM_API_KEYS`; start-up lines naming the address, the graphs and
 * the backend; a clean shutdown on SIGTERM and SIGINT (exit code 0).
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { host, port, graphs, corsOrigins, limits, shutdownGraceMs = 10_000, cwd, env: _env, write: _write, ...flags } = options;
  const runtime = await createRuntime({ flags, cwd: cwd ?? process.cwd(), env, onWarning: (message) => write(`warning: ${message}`) });
  // Flags over the config file's `server:` section; keys from TINYLLM_API_KEYS and the file.
  const configured = runtime.config.server;
  const apiKeys = apiKeysFrom(env, configured.apiKeys ?? []);
  const origins = corsOrigins ?? configured.corsOrigins;
  let running: RunningServer;
  try {
    running = await startServer({
      runtime,
      host: host ?? configured.host ?? "127.0.0.1",
      port: port ?? configured.port ?? defaultPort,
      ...(graphs && graphs.length > 0 ? { graphs } : {}),
      apiKeys,
      ...(origins ? { corsOrigins: origins } : {}),
      limits: { ...configured.limits, ...limits },
      // Request logs: the caller's writer, else the server's own, which gathers a turn's lines into one write.
      ...(options.write ? { log: write } : {}),
    });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const backend = await runtime.backend().then(
    async (chosen) => {
      if (chosen.fleet) {
        // A fleet: its metrics go to /metrics, and it starts now (checks the hosts, loads the pins and preloads).
        running.server.context.metrics.watchFleet(chosen.fleet);
        await chosen.fleet.start();
        const down = chosen.fleet.status().hosts.filter((h) => h.state !== "closed");
        return `${chosen.description}${down.length > 0 ? `; down now: ${down.map((h) => `${h.name} (${h.lastError ?? "unreachable"})`).join(", ")}` : ""}`;
      }
      return chosen.description;
    },
    (error: Error) => `none (${error.message})`,
  );
  write(`TinyLLM serving on ${running.url}`);
  write(`graphs: ${running.server.graphIds.map((id) => `${id}:latest`).join(", ")}`);
  write(`backend: ${backend}`);
  write(`Ollama API ${running.url}/api · OpenAI API ${running.url}/v1 · viewer ${running.url}/ui/ · metrics ${running.url}/metrics`);
  if (apiKeys.length > 0) write("API keys: required on every route but /healthz");
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second signal does not wait for the grace period.
      const cancelled = running.server.context.hub.cancelAll();
      write(`${signal} again: cancelling ${cancelled} run(s) now`);
      return;
    }
    stopping = true;
    write(`${signal}: finishing runs in progress (up to ${shutdownGraceMs} ms), then stopping`);
    running.close({ graceMs: shutdownGraceMs }).then(
      ({ finished, cancelled }) => {
        write(`stopped: ${finished} run(s) finished, ${cancelled} cancelled`);
        process.exitCode = 0;
        process.removeListener("SIGTERM", onTerm);
        process.removeListener("SIGINT", onInt);
      },
      (error: Error) => {
        write(`error while stopping: ${error.message}`);
        process.exitCode = 1;
      },
    );
  };
  const onTerm = () => stop("SIGTERM");
  const onInt = () => stop("SIGINT");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  return {
    ...running,
    close(closeOptions) {
      process.removeListener("SIGTERM", onTerm);
      process.removeListener("SIGINT", onInt);
      return running.close(closeOptions);
    },
  };
}
