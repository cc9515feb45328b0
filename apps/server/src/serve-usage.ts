import { parseArgs } from "node:util";
import { serverError } from "./http/server-error";
import type { ServeOptions } from "./serve";

/** `--help` of `tinyllm serve` and `tinyllm-server`: every option. */
export const serveUsage = `Usage: tinyllm serve [options]

Serve graphs as models over the Ollama API (/api/…) and the OpenAI API (/v1/…), with the runs API
(/v1/runs), the trace viewer (/ui/), /metrics, /healthz and /readyz.

Options:
  --host <address>         address to listen on (default 127.0.0.1; any other needs TINYLLM_API_KEYS)
  --port <n>               port (default 11435; Ollama has 11434; 0 picks a free one)
  --graph <file>           a graph to serve under its id; repeat for more (default: the bundled multi_domain)
  --provider <provider>    model provider: ollama, llama or openai (default: Ollama if it answers, else llama)
  --model-file <file>      GGUF file for the embedded engine (every tier uses it)
  --config <file>          config file (default: tinyllm.yaml in this folder or above)
  --ollama-host <url>      Ollama server address
  --openai-base-url <url>  OpenAI-compatible server base URL
  --threads <n>            CPU threads for the embedded engine
  --cors-origin <origin>   allow a browser origin (repeat for more; * for any); CORS is off by default
  --max-body-bytes <n>     largest request body (default 1048576)
  --max-query-chars <n>    longest query (default 32000)
  --concurrency <n>        runs at once per API key (default 4)
  --queue <n>              runs waiting per API key before 429 (default 16)
  --deadline <ms>          deadline of each run (default 300000)
  --max-tokens <n>         cap on a client's num_predict / max_tokens (default 4096)
  --shutdown-grace <ms>    on SIGTERM/SIGINT, how long runs in progress get to finish (default 10000)
  -h, --help               show this help

Environment:
  TINYLLM_API_KEYS                comma-separated keys; when set, every route but /healthz needs
                                  Authorization: Bearer KEY
  OTEL_EXPORTER_OTLP_ENDPOINT     export each run's spans over OTLP/HTTP
`;

function positiveInt(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min)
    throw serverError("SERVER_BAD_REQUEST", `--${name} must be a whole number of at least ${min}`, `e.g. --${name} 4`);
  return number;
}

/** Parses `tinyllm-server` arguments; `help: true` when `--help` was given. Unknown options throw with the usage hint. */
export function parseServeArgs(argv: readonly string[]): { help: true } | { help: false; options: ServeOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        graph: { type: "string", multiple: true },
        provider: { type: "string" },
        "model-file": { type: "string" },
        config: { type: "string" },
        "ollama-host": { type: "string" },
        "openai-base-url": { type: "string" },
        threads: { type: "string" },
        "cors-origin": { type: "string", multiple: true },
        "max-body-bytes": { type: "string" },
        "max-query-chars": { type: "string" },
        concurrency: { type: "string" },
        queue: { type: "string" },
        deadline: { type: "string" },
        "max-tokens": { type: "string" },
        "shutdown-grace": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw serverError("SERVER_BAD_REQUEST", (error as Error).message, "see tinyllm serve --help");
  }
  const values = parsed.values;
  if (values.help) return { help: true };
  const limits: NonNullable<ServeOptions["limits"]> = {};
  const set = <K extends keyof typeof limits>(key: K, value: number | undefined) => {
    if (value !== undefined) limits[key] = value;
  };
  set("maxBodyBytes", positiveInt("max-body-bytes", values["max-body-bytes"]));
  set("maxQueryChars", positiveInt("max-query-chars", values["max-query-chars"]));
  set("maxConcurrentPerKey", positiveInt("concurrency", values.concurrency));
  set("maxQueuedPerKey", positiveInt("queue", values.queue, 0));
  set("requestDeadlineMs", positiveInt("deadline", values.deadline));
  set("maxTokensPerCall", positiveInt("max-tokens", values["max-tokens"]));
  const port = positiveInt("port", values.port, 0);
  if (port !== undefined && port > 65535) throw serverError("SERVER_BAD_REQUEST", "--port must be at most 65535", "e.g. --port 11435");
  const grace = positiveInt("shutdown-grace", values["shutdown-grace"], 0);
  const options: ServeOptions = {
    ...(values.host ? { host: values.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.graph ? { graphs: values.graph } : {}),
    ...(values.provider ? { provider: values.provider } : {}),
    ...(values["model-file"] ? { modelFile: values["model-file"] } : {}),
    ...(values.config ? { config: values.config } : {}),
    ...(values["ollama-host"] ? { ollamaHost: values["ollama-host"] } : {}),
    ...(values["openai-base-url"] ? { openaiBaseUrl: values["openai-base-url"] } : {}),
    ...(values.threads ? { threads: values.threads } : {}),
    ...(values["cors-origin"] ? { corsOrigins: values["cors-origin"] } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(grace !== undefined ? { shutdownGraceMs: grace } : {}),
  };
  return { help: false, options };
}
