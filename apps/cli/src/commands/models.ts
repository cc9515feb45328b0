import type * as NodeLlamaCpp from "node-llama-cpp";
import { mkdir } from "node:fs/promises";
import { CliError } from "../cli-error";
import { withRuntime, type ModelFlags } from "../load-cli-config";
import type { FleetStatus } from "@tinyllm/models";
import { printJson } from "../output";
import { createProgressBar, formatBytes } from "../progress-bar";

/** `tinyllm models list`: models the provider can serve. */
export async function modelsList(options: ModelFlags & { json?: boolean }): Promise<number> {
  return withRuntime(options, {}, async (runtime) => {
    const backend = await runtime.backend();
    const list = await backend.provider.listModels({ abortSignal: AbortSignal.timeout(15_000) });
    if (options.json) printJson({ provider: backend.kind, models: list });
    else {
      process.stderr.write(`${backend.description}\n`);
      for (const m of list)
        process.stdout.write(`${m.name}${m.sizeBytes ? `\t${formatBytes(m.sizeBytes)}` : ""}${m.parameterSize ? `\t${m.parameterSize}` : ""}\n`);
      if (list.length === 0) process.stderr.write("no models\n");
    }
    return 0;
  });
}

/**
 * `tinyllm models ps`: with a fleet (`hosts:` in tinyllm.yaml), each host's loaded models, VRAM
 * used and free, expiries, queue and pins, as the hosts report them now; otherwise the models
 * Ollama holds in memory.
 */
export async function modelsPs(options: ModelFlags & { json?: boolean; server?: string; apiKey?: string }): Promise<number> {
  if (options.server) {
    const status = await serverFleetStatus(options.server, options.apiKey ?? process.env.TINYLLM_API_KEY);
    if (options.json) printJson(status);
    else process.stdout.write(formatFleetStatus(status));
    return 0;
  }
  const result = await withRuntime(options, {}, async (runtime) => {
    if (runtime.config.hosts && runtime.config.hosts.length > 0 && (!runtime.config.provider || runtime.config.provider === "ollama")) {
      const backend = await runtime.backend();
      if (!backend.fleet) throw new CliError("the configured hosts did not make a fleet", 1);
      return { kind: "fleet" as const, fleet: await backend.fleet.refresh({ abortSignal: AbortSignal.timeout(15_000) }) };
    }
    if (runtime.config.provider && runtime.config.provider !== "ollama")
      throw new CliError(
        `\`models ps\` shows what Ollama holds in memory; the configured provider is ${runtime.config.provider}`,
        1,
        "list Ollama servers under `hosts:` in tinyllm.yaml to see a fleet's placement",
      );
    return { kind: "ollama" as const, running: await runtime.provider("ollama").ps() };
  });
  if (result.kind === "fleet") {
    if (options.json) printJson(result.fleet);
    else process.stdout.write(formatFleetStatus(result.fleet));
    return 0;
  }
  const running = result.running;
  if (options.json) printJson({ models: running });
  else {
    for (const m of running) process.stdout.write(`${m.name}${m.sizeBytes ? `\t${formatBytes(m.sizeBytes)}` : ""}\n`);
    if (running.length === 0) process.stderr.write("no models loaded\n");
  }
  return 0;
}

/** The fleet's status as a running `tinyllm serve` sees it (its queues included): `GET /v1/fleet`. */
async function serverFleetStatus(server: string, apiKey: string | undefined): Promise<FleetStatus> {
  let url: URL;
  try {
    url = new URL("/v1/fleet", server);
  } catch {
    throw new CliError(`--server: "${server}" is not a URL`, 2, "e.g. --server http://127.0.0.1:11435");
  }
  let response: Response;
  try {
    response = await fetch(url, { headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new CliError(`cannot reach the TinyLLM server at ${url.origin}: ${(error as Error).message}`, 1, "start it with `tinyllm serve`, or check --server");
  }
  const body = (await response.json().catch(() => undefined)) as (FleetStatus & { error?: { message?: string } }) | undefined;
  if (response.status === 401) throw new CliError(`the server at ${url.origin} wants an API key`, 1, "pass --api-key KEY or set TINYLLM_API_KEY");
  if (!response.ok || !body || !Array.isArray(body.hosts))
    throw new CliError(
      `the server at ${url.origin} did not give its fleet (HTTP ${response.status}${body?.error?.message ? `: ${body.error.message}` : ""})`,
      1,
      "a server shows a fleet only when tinyllm.yaml lists hosts: and the server is a TinyLLM server",
    );
  return body;
}

/** A fleet's status as text: a line per host, then a table of its models. */
export function formatFleetStatus(status: FleetStatus): string {
  const lines: string[] = [];
  const state = { closed: "up", open: "down", "half-open": "checking" } as const;
  for (const host of status.hosts) {
    lines.push(
      `${host.name}  ${host.kind}  ${host.url}  ${state[host.state]}${host.lastError ? ` (${host.lastError})` : ""}  ` +
        `${host.ramMB !== undefined ? `CPU, RAM ${host.usedMB} of ${host.ramMB}` : `VRAM ${host.usedMB} of ${host.vramMB}`} MB used, ${host.freeMB} free  queue ${host.queue.interactive} interactive, ${host.queue.batch} batch`,
    );
    if (host.loaded.length === 0) {
      lines.push("  (nothing loaded)");
      continue;
    }
    const rows = [
      ["MODEL", host.ramMB !== undefined ? "RAM" : "VRAM", "STATE", "CALLS", "EXPIRES", "PIN"],
      ...host.loaded.map((m) => [
        m.model,
        `${m.usedMB} MB${m.gpuLayers !== undefined ? ` (${m.gpuLayers} layers, rest in RAM)` : ""}`,
        m.loading ? "loading" : "ready",
        String(m.inFlight),
        m.pinned ? "never" : m.expiresAt ? m.expiresAt.replace("T", " ").replace(/\.\d+Z$/, "Z") : host.kind === "openai" ? "fixed" : "-",
        m.pinned ? "pinned" : "",
      ]),
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows) lines.push(`  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ")}`.trimEnd());
  }
  lines.push(
    `queue: ${status.queue.interactive} interactive, ${status.queue.batch} batch; pinned: ${status.pinned.length > 0 ? status.pinned.join(", ") : "none"}`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * `tinyllm models pull REF`: `hf:…` or `https://…` downloads a GGUF into the cache folder with
 * node-llama-cpp's downloader; any other name is pulled by Ollama. Both show a progress bar.
 */
export async function modelsPull(ref: string, options: ModelFlags & { json?: boolean; connectTimeout?: string }): Promise<number> {
  const connectTimeoutMs = options.connectTimeout !== undefined ? Number(options.connectTimeout) : 15_000;
  if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs <= 0) throw new CliError("--connect-timeout must be a positive number of milliseconds", 2);
  return withRuntime(options, {}, async (runtime) => {
    if (/^(hf:|https?:\/\/)/.test(ref)) return pullGguf(ref, runtime.config.cacheDir, connectTimeoutMs, options.json === true);
    const bar = createProgressBar(`pulling ${ref}`);
    await runtime.provider("ollama").pull(ref, { onProgress: (p) => (p.totalBytes ? bar.update(p.completedBytes ?? 0, p.totalBytes) : undefined) });
    bar.finish(`pulled ${ref}`);
    if (options.json) printJson({ ok: true, model: ref, provider: "ollama" });
    return 0;
  });
}

async function pullGguf(uri: string, cacheDir: string, connectTimeoutMs: number, json: boolean): Promise<number> {
  let nodeLlama: typeof NodeLlamaCpp;
  try {
    nodeLlama = await import("node-llama-cpp");
  } catch {
    throw new CliError("downloading GGUF files needs node-llama-cpp", 1, "install it with `npm i -E node-llama-cpp@3.21.1`");
  }
  await mkdir(cacheDir, { recursive: true });
  const controller = new AbortController();
  let progressed = false;
  let downloader: Awaited<ReturnType<typeof nodeLlama.createModelDownloader>> | undefined;
  // Fail fast: no byte within the connect timeout means the host is not reachable.
  const timer = setTimeout(() => {
    if (!progressed) controller.abort(new Error("timeout"));
  }, connectTimeoutMs);
  controller.signal.addEventListener("abort", () => void downloader?.cancel().catch(() => undefined), { once: true });
  const bar = createProgressBar(`downloading ${uri}`);
  try {
    const work = (async () => {
      downloader = await nodeLlama.createModelDownloader({
        modelUri: uri,
        dirPath: cacheDir,
        onProgress: ({ downloadedSize, totalSize }) => {
          if (downloadedSize > 0) progressed = true;
          bar.update(downloadedSize, totalSize);
        },
      });
      if (controller.signal.aborted) void downloader.cancel().catch(() => undefined);
      return downloader.download({ signal: controller.signal });
    })();
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason as Error), { once: true }),
    );
    const file = await Promise.race([work, aborted]);
    work.catch(() => undefined);
    bar.finish(`saved ${file}`);
    if (json) printJson({ ok: true, file });
    else process.stdout.write(`${file}\n`);
    return 0;
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    const host = uri.startsWith("hf:") ? "huggingface.co" : new URL(uri).host;
    if (controller.signal.aborted || /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|network|timeout/i.test(message)) {
      throw new CliError(
        `cannot download ${uri}: ${host} is not reachable (${controller.signal.aborted ? `no answer within ${connectTimeoutMs} ms` : message})`,
        1,
        "check the network connection or proxy; or copy a .gguf file here and pass it with --model-file",
      );
    }
    throw new CliError(`cannot download ${uri}: ${message}`, 1, "check the model URI, e.g. hf:<user>/<repo>/<file>.gguf or https://…/model.gguf");
  } finally {
    clearTimeout(timer);
  }
}
