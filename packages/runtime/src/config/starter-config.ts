/**
 * The commented starter `tinyllm.yaml` that `tinyllm init` writes.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { TinyLLMError } from "@tinyllm/core";
import { ConfigErrorCode } from "./config-error-codes";
import { defaultTiers, tierIds, type TierId } from "@tinyllm/models";

const tierRoles: Record<TierId, { role: string; gguf: string; openai: string }> = {
  T0: {
    role: "Router (~0.5B): classifies requests and routes them; must be fast.",
    gguf: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
    openai: "qwen2.5-0.5b-instruct",
  },
  T1: { role: "Specialist (~3B): focused tasks such as extraction and short answers.", gguf: "qwen2.5-3b-instruct-q4_k_m.gguf", openai: "qwen2.5-3b-instruct" },
  T2: { role: "Worker (~8B): general work. Qwen2.5 has no 8B, so the default is 7B.", gguf: "qwen2.5-7b-instruct-q4_k_m.gguf", openai: "qwen2.5-7b-instruct" },
  T3: { role: "Judge (~14B): checks and grades the other tiers' work.", gguf: "qwen2.5-14b-instruct-q4_k_m.gguf", openai: "qwen2.5-14b-instruct" },
};

/**
 * The text of a starter `tinyllm.yaml`. Every option is explained in a comment; all are
 * commented out (showing the default or an example) except `tiers`, which spells out the
 * default models. Valid as it is, and still valid with every option uncommented.
 */
export function starterConfigText(): string {
  const tiers = tierIds
    .map((tier) => {
      const defaults = defaultTiers[tier];
      const { role, gguf, openai } = tierRoles[tier];
      return [
        `  # ${role}`,
        `  ${tier}:`,
        `    ollama: ${defaults.ollama ?? "qwen2.5:3b"}`,
        `    # llama: ./models/${gguf}`,
        `    # openai: ${openai}`,
        `    memoryMB: ${defaults.memoryMB ?? 1000}`,
      ].join("\n");
    })
    .join("\n");
  return `# tinyllm.yaml: TinyLLM configuration.
#
# Every setting is optional. A commented-out setting shows its default or an
# example: delete the "# " in front of it to use it. A key with no value counts
# as not set. Unknown keys are errors, so a typo does not go unnoticed.
#
# Each setting comes from the first of these that sets it:
#   1. a command-line flag (--provider, --model-file, --graph, ...)
#   2. an environment variable (TINYLLM_PROVIDER, OLLAMA_HOST, ...)
#   3. this file
#   4. the built-in default
#
# TinyLLM looks for tinyllm.yaml (or tinyllm.yml) in the current directory,
# then in its parents up to the repository root (the first directory holding
# .git). The --config flag or the TINYLLM_CONFIG variable names another file.
# Relative paths in this file resolve against the directory holding it, and
# "~/" is your home directory.

# The engine that runs the models, one of
#   ollama   an Ollama server (https://ollama.com)
#   llama    llama.cpp inside TinyLLM, loading .gguf files (needs node-llama-cpp)
#   openai   any OpenAI-compatible server (llama-server, LM Studio, vLLM, ...)
# Not set: detected when a graph runs.
# Flag --provider, variable TINYLLM_PROVIDER.
# provider: ollama

# Ollama settings.
# ollama:
#   # Server address. Also accepts host, host:port and :port, like OLLAMA_HOST.
#   # Flag --ollama-host, variable OLLAMA_HOST.
#   host: http://127.0.0.1:11434
#   # How long Ollama keeps a model in memory after a request: a duration
#   # ("5m", "1h30m") or seconds (-1 keeps it loaded, 0 unloads it at once).
#   # Not set: the server's own setting.
#   keepAlive: 5m

# Embedded llama.cpp settings, for the llama provider.
# llama:
#   # A .gguf model file. Every tier without a llama model of its own (see
#   # tiers below) uses it, so one file is enough to run any graph.
#   # Flag --model-file, variable TINYLLM_MODEL_FILE.
#   modelFile: ./models/qwen2.5-3b-instruct-q4_k_m.gguf
#   # A directory of .gguf files; tier models given by file name are found here.
#   # Variable TINYLLM_MODELS_DIR.
#   modelsDir: ./models
#   # CPU threads per evaluation. Not set: 1.
#   # Flag --threads, variable TINYLLM_THREADS.
#   threads: 4
#   # Use a GPU when there is one. Not set: false.
#   gpu: false
#   # Context size in tokens. Not set: the model's training size, at most 4096.
#   contextSize: 4096

# OpenAI-compatible server settings, for the openai provider.
# openai:
#   # The API base URL, usually ending in /v1.
#   # Flag --openai-base-url, variable OPENAI_BASE_URL.
#   baseUrl: http://127.0.0.1:8080/v1
#   # The API key. Local servers usually need none. Prefer the OPENAI_API_KEY
#   # variable to writing a secret in this file.
#   apiKey: sk-your-key

# Where the search tool looks; the general specialist uses it when one is set.
# search:
#   # A folder of .md and .txt files, searched locally (BM25).
#   # Variable TINYLLM_SEARCH_DIR.
#   dir: ./docs
#   # A SearXNG instance with the json format enabled in its settings.yml.
#   # Variable SEARXNG_URL.
#   searxngUrl: http://127.0.0.1:8888

# Long-term memory (.tinyllm/memory.db) recalls facts by BM25; with an embedding
# model it also recalls by meaning. Variable TINYLLM_EMBED_MODEL.
# memory:
#   embedModel: nomic-embed-text

# What \`tinyllm serve\` listens on, who may use it, and its limits. Flags win.
# server:
#   # The address; any other than loopback needs apiKeys (or TINYLLM_API_KEYS).
#   host: 127.0.0.1
#   # The port (Ollama's is 11434).
#   port: 11435
#   # Keys clients send as Authorization: Bearer KEY. Prefer the
#   # TINYLLM_API_KEYS variable (comma-separated) to writing secrets here.
#   apiKeys: [replace-me]
#   # Browser origins allowed by CORS (off when empty); * allows any.
#   corsOrigins: [http://localhost:3000]
#   limits:
#     maxBodyBytes: 1048576       # larger bodies get 413
#     maxQueryChars: 32000        # longer queries get 413
#     maxConcurrentPerKey: 4      # runs at once per key
#     maxQueuedPerKey: 16         # waiting beyond that; then 429
#     maxQueueWaitMs: 30000       # longest wait for a slot; then 503
#     requestDeadlineMs: 300000   # each run's deadline
#     maxTokensPerCall: 4096      # num_predict / max_tokens are cut to this

# A fleet: several Ollama and OpenAI-compatible servers (vLLM, llama-server,
# LM Studio) behind one scheduler. It places every model call on a host, loads
# and evicts models there through Ollama's keep_alive, pins the router's model,
# loads the chosen specialist's model as soon as the router decides, and moves a
# call off a host that dies. Tiers resolve to their ollama names; an openai host
# serves a tier's openai model under that name (or as listed in its models).
# \`tinyllm models ps\` shows the placement. Not set: one provider, as chosen
# above (a local Ollama by default).
# hosts:
#   - name: gpu0                    # for logs and models ps; default host:port
#     url: http://127.0.0.1:11434
#     kind: ollama                  # loads models on demand
#     vramMB: 8192                  # GPU memory models may use
#     ramMB: 32768                  # system memory, for partly offloaded models
#     labels: { gpu: rtx3060 }
#   - name: cpu0                    # a second Ollama on the same machine with no
#     url: http://127.0.0.1:11436   # GPU visible (CUDA_VISIBLE_DEVICES=""), for
#     kind: ollama                  # the models in scheduler.cpu
#     vramMB: 0
#     ramMB: 4096
#   - name: vllm
#     url: http://127.0.0.1:8000/v1
#     kind: openai                  # serves fixed models
#     vramMB: 24576
#     apiKey: replace-me
#     models: { "qwen2.5:14b": Qwen/Qwen2.5-14B-Instruct }

# How the fleet places models (used only with hosts).
# scheduler:
#   # Tiers or model names kept loaded. Default: T0, and T3 when it fits on a
#   # GPU beside T0 and leaves T1 and T2 room. A pin gives way on a GPU only
#   # when no host has room for a call otherwise.
#   pin: [T0, T3]
#   # Tiers or model names loaded at start when they fit.
#   preload: [T1]
#   # Tiers or model names run on the CPU hosts (vramMB: 0 with ramMB), on a
#   # GPU only when no CPU host could hold them beside its pins: the router is
#   # quick enough there, never waits for the GPU, and leaves its VRAM to the
#   # others.
#   cpu: [T0]
#   # A batch call (tinyllm bench) ranks as if it came this much later, so
#   # interactive calls go first and batch ones are never starved.
#   batchAgingMs: 60000
#   # Load the chosen specialist's model as soon as the router decides.
#   prefetch: true
#   # A model larger than a GPU (the T3 judge on 8 GB) takes the whole card.
#   # With this, when that would evict a model expected back within so many ms,
#   # it loads beside the models in use instead, partly in system memory
#   # (Ollama's num_gpu): far fewer loads, slower judge calls. 0 turns it off.
#   # On one 8 GB card, cpu: [T0] with offloadHorizonMs: 30000 waits least
#   # (pnpm bench:scheduler, tinyllm-cpu-offload).
#   offloadHorizonMs: 0
#   # The least share of such a model on the GPU.
#   minGpuShare: 0.5
#   # How often each host is checked; 0 checks only when a call fails.
#   healthCheckIntervalMs: 5000
#   # How long a host keeps a model that is not pinned. The scheduler evicts
#   # explicitly; this bounds what a client that crashed leaves behind.
#   keepAlive: 30m

# The model of each tier. A graph node asks for a tier (T0 to T3) or names a
# model itself. For each tier, give its model per provider:
#   ollama     an Ollama tag (fetch it with \`ollama pull <tag>\`)
#   llama      a .gguf file path, or a file name in llama.modelsDir
#              (not set: llama.modelFile)
#   openai     a model id from the server's GET /v1/models
# and memoryMB, the model's approximate memory size in MB, used to judge which
# models fit in memory together. Set memoryMB when you change a model.
# Tiers you leave out, and keys you leave out, keep the defaults shown here.
tiers:
${tiers}

# The graph file to run when a command is given none.
# Flag --graph, variable TINYLLM_GRAPH.
# graph: ./graphs/main.yaml

# The directory of prompt files.
# promptsDir: ./prompts

# Where downloaded .gguf models are kept. Not set: ~/.cache/tinyllm/models, or
# $XDG_CACHE_HOME/tinyllm/models when XDG_CACHE_HOME is set.
# Variable TINYLLM_CACHE_DIR.
# cacheDir: ~/.cache/tinyllm/models
`;
}

/** Options of {@link writeStarterConfig}. */
export interface WriteStarterConfigOptions {
  /** Where to write, such as `tinyllm.yaml`. Relative paths resolve against `process.cwd()`. */
  path: string;
  /** Replace an existing file. Default `false`. */
  force?: boolean;
  /** The text to write. Default {@link starterConfigText}(). */
  text?: string;
}

/**
 * Writes the starter config to `path`, creating missing parent directories. The write is
 * atomic: the text goes to a temporary file in the same directory, which then takes the
 * target's name, so a crash never leaves a half-written config. Without `force`, an
 * existing file is left untouched, even one created concurrently.
 *
 * Rejects with a `TinyLLMError`: `CONFIG_EXISTS` when the file exists and `force` is not set
 * (hint "pass --force to overwrite"), `CONFIG_WRITE_FAILED` when the file cannot be written.
 *
 * @returns The absolute path written.
 */
export async function writeStarterConfig({ path: target, force = false, text = starterConfigText() }: WriteStarterConfigOptions): Promise<{ path: string }> {
  const file = path.resolve(target);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new TinyLLMError({
      code: ConfigErrorCode.ConfigWriteFailed,
      message: `Cannot write the config to ${file}: it is a directory.`,
      hint: `give a file path, such as ${path.join(target, "tinyllm.yaml")}`,
    });
  }
  if (existing && !force) throw existsError(file);

  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temp, text, { encoding: "utf8", flag: "wx" });
    if (force) {
      await rename(temp, file);
    } else {
      await linkNoReplace(temp, file);
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (TinyLLMError.isInstance(error)) throw error;
    throw new TinyLLMError({
      code: ConfigErrorCode.ConfigWriteFailed,
      message: `Cannot write the config to ${file}: ${error instanceof Error ? error.message : String(error)}`,
      hint: "check that the directory exists and is writable",
      cause: error,
    });
  }
  return { path: file };
}

/**
 * Gives `temp` the name `file` without replacing an existing file: a hard link fails when
 * `file` exists. Filesystems without hard links fall back to check-then-rename.
 */
async function linkNoReplace(temp: string, file: string): Promise<void> {
  try {
    await link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw existsError(file);
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS" && code !== "EOPNOTSUPP" && code !== "EXDEV") throw error;
    if (
      await stat(file).then(
        () => true,
        () => false,
      )
    )
      throw existsError(file);
    await rename(temp, file);
    return;
  }
  await unlink(temp).catch(() => undefined);
}

function existsError(file: string): TinyLLMError {
  return new TinyLLMError({
    code: ConfigErrorCode.ConfigExists,
    message: `${file} already exists.`,
    hint: "pass --force to overwrite",
  });
}
