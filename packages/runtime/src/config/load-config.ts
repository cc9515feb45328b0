/**
 * Loads TinyLLM's configuration from flags, environment variables, `tinyllm.yaml` and
 * defaults.
 *
 * @module
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { TinyLLMError } from "@tinyllm/core";
import { z } from "zod";
import { createConfigInvalidError } from "./config-invalid-error";
import { defaultCacheDir } from "./default-cache-dir";
import { expandPath, homeDir, looksLikePath } from "./expand-path";
import { findConfigFile } from "./find-config-file";
import { parseConfigText } from "./parse-config-text";
import { defaultOllamaHost, defaultTiers, parseOllamaHost, providerIds, tierIds, type ProviderId, type TierId, type TierModels } from "@tinyllm/models";
import type { ConfigSource, ResolvedConfig } from "./resolved-config";
import { suggest } from "@tinyllm/core";
import type { TinyLLMConfigFile } from "./tinyllm-config-schema";

/**
 * Command-line flags that override the configuration. `undefined` values are ignored, so a
 * CLI parser's result can be passed as it is.
 */
export interface ConfigFlags {
  /** `--config`: the config file to use instead of looking for `tinyllm.yaml`. */
  config?: string;
  /** `--provider`: `ollama`, `llama` or `openai`. */
  provider?: string;
  /** `--model-file`: a GGUF file for the `llama` provider, used by every tier without its own. */
  modelFile?: string;
  /** `--graph`: the graph file. */
  graph?: string;
  /** `--ollama-host`: the Ollama server address. */
  ollamaHost?: string;
  /** `--openai-base-url`: the OpenAI-compatible server's base URL. */
  openaiBaseUrl?: string;
  /** `--threads`: CPU threads for the `llama` provider (a whole number, or its text). */
  threads?: number | string;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The directory to search from and to resolve flag and environment paths against. Default `process.cwd()`. */
  cwd?: string;
  /** A config file to use instead of searching (below `flags.config`, above `TINYLLM_CONFIG`). */
  file?: string;
  /** The environment. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Command-line flags, the highest layer. */
  flags?: ConfigFlags;
}

/** What {@link loadConfig} returns. */
export interface LoadConfigResult {
  /** The merged configuration. */
  config: ResolvedConfig;
  /**
   * Where each set value came from, by dotted key: `provider`, `ollama.host`,
   * `llama.modelFile`, `tiers.T1.ollama`, `cacheDir`, ... Unset keys are absent.
   */
  sources: Record<string, ConfigSource>;
  /** The absolute path of the config file read, when there was one. */
  file?: string;
}

type TierModelKey = "ollama" | "llama" | "openai";
type SettingValues = {
  provider: ProviderId;
  "ollama.host": string;
  "ollama.keepAlive": string | number;
  "llama.modelFile": string;
  "llama.modelsDir": string;
  "llama.threads": number;
  "llama.gpu": boolean;
  "llama.contextSize": number;
  "openai.baseUrl": string;
  "openai.apiKey": string;
  "search.dir": string;
  "search.searxngUrl": string;
  "memory.embedModel": string;
  server: NonNullable<ResolvedConfig["server"]>;
  hosts: NonNullable<ResolvedConfig["hosts"]>;
  scheduler: NonNullable<ResolvedConfig["scheduler"]>;
  graph: string;
  promptsDir: string;
  cacheDir: string;
} & { [K in `tiers.${TierId}.${TierModelKey}`]: string } & { [K in `tiers.${TierId}.memoryMB`]: number };
type SettingKey = keyof SettingValues;

/** A setting given by an environment variable or a flag, and how to read it. */
type OverrideKind = "provider" | "path" | "ollamaHost" | "url" | "threads" | "text";

const envVariables: Readonly<Record<string, { key: SettingKey; kind: OverrideKind }>> = {
  TINYLLM_PROVIDER: { key: "provider", kind: "provider" },
  OLLAMA_HOST: { key: "ollama.host", kind: "ollamaHost" },
  TINYLLM_MODEL_FILE: { key: "llama.modelFile", kind: "path" },
  TINYLLM_MODELS_DIR: { key: "llama.modelsDir", kind: "path" },
  TINYLLM_THREADS: { key: "llama.threads", kind: "threads" },
  OPENAI_BASE_URL: { key: "openai.baseUrl", kind: "url" },
  OPENAI_API_KEY: { key: "openai.apiKey", kind: "text" },
  TINYLLM_GRAPH: { key: "graph", kind: "path" },
  TINYLLM_SEARCH_DIR: { key: "search.dir", kind: "path" },
  SEARXNG_URL: { key: "search.searxngUrl", kind: "url" },
  TINYLLM_EMBED_MODEL: { key: "memory.embedModel", kind: "text" },
  TINYLLM_CACHE_DIR: { key: "cacheDir", kind: "path" },
};

const flagSettings: Readonly<Record<Exclude<keyof ConfigFlags, "config">, { key: SettingKey; kind: OverrideKind; flag: string }>> = {
  provider: { key: "provider", kind: "provider", flag: "--provider" },
  modelFile: { key: "llama.modelFile", kind: "path", flag: "--model-file" },
  graph: { key: "graph", kind: "path", flag: "--graph" },
  ollamaHost: { key: "ollama.host", kind: "ollamaHost", flag: "--ollama-host" },
  openaiBaseUrl: { key: "openai.baseUrl", kind: "url", flag: "--openai-base-url" },
  threads: { key: "llama.threads", kind: "threads", flag: "--threads" },
};

const expectations: Record<OverrideKind, { expected: string; example: string }> = {
  provider: { expected: "ollama, llama or openai", example: "ollama" },
  path: { expected: "a path", example: "./models/model.gguf" },
  ollamaHost: { expected: "an Ollama server address", example: "http://127.0.0.1:11434" },
  url: { expected: "an http(s) URL", example: "http://127.0.0.1:8080/v1" },
  threads: { expected: "a whole number of at least 1", example: "4" },
  text: { expected: "text", example: "sk-..." },
};

const MAX_CONFIG_BYTES = 1024 * 1024;
const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * Loads the TinyLLM configuration. Each setting comes from the highest layer that sets it:
 *
 * 1. **flags** (`flags`: `--provider`, `--model-file`, `--graph`, `--ollama-host`,
 *    `--openai-base-url`, `--threads`);
 * 2. **environment variables**: `TINYLLM_PROVIDER`, `OLLAMA_HOST`, `TINYLLM_MODEL_FILE`,
 *    `TINYLLM_MODELS_DIR`, `TINYLLM_THREADS`, `OPENAI_BASE_URL`, `OPENAI_API_KEY`,
 *    `TINYLLM_GRAPH`, `TINYLLM_CACHE_DIR` (an empty variable counts as unset);
 * 3. **the config file**;
 * 4. **defaults**: `ollama.host` `http://127.0.0.1:11434`, the {@link defaultTiers} and
 *    `cacheDir` `~/.cache/tinyllm/models` (`$XDG_CACHE_HOME/tinyllm/models` when set).
 *
 * The config file is `flags.config`, else `options.file`, else `TINYLLM_CONFIG`, else the
 * first `tinyllm.yaml` / `tinyllm.yml` found in `cwd` or a parent directory, stopping after
 * the first directory containing `.git` or at the filesystem root (see
 * {@link findConfigFile}). No file is fine; a named file that does not exist is an error.
 *
 * Relative paths in the file resolve against the file's directory; flag and environment
 * paths against `cwd`; `~/` is the home directory. Tiers merge key by key over the
 * defaults; a tier whose model the file changes without giving `memoryMB` loses the default
 * `memoryMB` (it described the default model).
 *
 * Rejects only with a `CONFIG_INVALID` `TinyLLMError`: its message names the file, line
 * and column of a bad file value, or the variable or flag of a bad override, and its hint
 * says what to do.
 *
 * @example
 * ```ts
 * const { config, sources } = await loadConfig({ flags: { provider: "llama", modelFile: "./qwen.gguf" } });
 * sources["llama.modelFile"]; // "flag"
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadConfigResult> {
  try {
    return await loadConfigUnsafe(options);
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw error;
    throw createConfigInvalidError({
      issues: [
        {
          message: `Cannot load the TinyLLM configuration: ${error instanceof Error ? error.message : String(error)}`,
          hint: "check the config file, TINYLLM_* variables and flags; if they look right, report this as a bug",
        },
      ],
      cause: error,
    });
  }
}

async function loadConfigUnsafe({ cwd: cwdOption, file: fileOption, env = process.env, flags = {} }: LoadConfigOptions): Promise<LoadConfigResult> {
  const cwd = path.resolve(cwdOption ?? process.cwd());
  const home = homeDir(env);
  const settings = createSettings();

  // Defaults.
  settings.set("ollama.host", defaultOllamaHost, "default");
  settings.set("cacheDir", defaultCacheDir({ env }), "default");
  for (const tier of tierIds) {
    const models = defaultTiers[tier];
    settings.set(`tiers.${tier}.ollama`, models.ollama, "default");
    settings.set(`tiers.${tier}.llama`, models.llama, "default");
    settings.set(`tiers.${tier}.openai`, models.openai, "default");
    settings.set(`tiers.${tier}.memoryMB`, models.memoryMB, "default");
  }

  // Overrides are checked first: they are cheap and their errors are the clearest.
  const envValues = readEnvOverrides({ env, cwd, home });
  const flagValues = readFlagOverrides({ flags, cwd, home });

  const file = await locateConfigFile({ flags, fileOption, env, cwd, home });
  if (file) {
    const data = await readConfigFile({ ...file, cwd });
    applyFile({ settings, data, baseDir: path.dirname(file.path), home });
  }
  for (const [key, value] of envValues) settings.setChecked(key, value, "env");
  for (const [key, value] of flagValues) settings.setChecked(key, value, "flag");

  return { config: settings.build(), sources: settings.sources(), ...(file ? { file: file.path } : {}) };
}

function createSettings() {
  const values = new Map<SettingKey, { value: unknown; source: ConfigSource }>();
  const get = <K extends SettingKey>(key: K): SettingValues[K] | undefined => values.get(key)?.value as SettingValues[K] | undefined;
  const compact = <T extends object>(object: T): T => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
  return {
    set<K extends SettingKey>(key: K, value: SettingValues[K] | null | undefined, source: ConfigSource): void {
      if (value !== undefined && value !== null) values.set(key, { value, source });
    },
    /** Sets a value already checked by {@link readOverride}. */
    setChecked(key: SettingKey, value: unknown, source: ConfigSource): void {
      values.set(key, { value, source });
    },
    get,
    source: (key: SettingKey): ConfigSource | undefined => values.get(key)?.source,
    delete: (key: SettingKey): void => void values.delete(key),
    sources: (): Record<string, ConfigSource> => Object.fromEntries([...values].map(([key, { source }]) => [key, source])),
    build(): ResolvedConfig {
      const tiers = Object.fromEntries(
        tierIds.map((tier): [TierId, TierModels] => [
          tier,
          compact({
            ollama: get(`tiers.${tier}.ollama`),
            llama: get(`tiers.${tier}.llama`),
            openai: get(`tiers.${tier}.openai`),
            memoryMB: get(`tiers.${tier}.memoryMB`),
          }),
        ]),
      ) as Record<TierId, TierModels>;
      return compact({
        provider: get("provider"),
        ollama: compact({ host: get("ollama.host") ?? defaultOllamaHost, keepAlive: get("ollama.keepAlive") }),
        llama: compact({
          modelFile: get("llama.modelFile"),
          modelsDir: get("llama.modelsDir"),
          threads: get("llama.threads"),
          gpu: get("llama.gpu"),
          contextSize: get("llama.contextSize"),
        }),
        openai: compact({ baseUrl: get("openai.baseUrl"), apiKey: get("openai.apiKey") }),
        search: compact({ dir: get("search.dir"), searxngUrl: get("search.searxngUrl") }),
        memory: compact({ embedModel: get("memory.embedModel") }),
        server: get("server") ?? {},
        hosts: get("hosts"),
        scheduler: get("scheduler"),
        tiers,
        graph: get("graph"),
        promptsDir: get("promptsDir"),
        cacheDir: get("cacheDir") ?? "",
      });
    },
  };
}

type Settings = ReturnType<typeof createSettings>;

function applyFile({ settings, data, baseDir, home }: { settings: Settings; data: TinyLLMConfigFile; baseDir: string; home: string }): void {
  const resolvePath = (value: string | null | undefined): string | undefined =>
    value === null || value === undefined ? undefined : expandPath({ value, baseDir, home });
  settings.set("provider", data.provider, "file");
  const host = data.ollama?.host;
  settings.set("ollama.host", host ? parseOllamaHost(host) : undefined, "file");
  settings.set("ollama.keepAlive", data.ollama?.keepAlive, "file");
  settings.set("llama.modelFile", resolvePath(data.llama?.modelFile), "file");
  settings.set("llama.modelsDir", resolvePath(data.llama?.modelsDir), "file");
  settings.set("llama.threads", data.llama?.threads, "file");
  settings.set("llama.gpu", data.llama?.gpu, "file");
  settings.set("llama.contextSize", data.llama?.contextSize, "file");
  settings.set("openai.baseUrl", data.openai?.baseUrl ? trimSlash(data.openai.baseUrl) : undefined, "file");
  settings.set("openai.apiKey", data.openai?.apiKey, "file");
  settings.set("search.dir", resolvePath(data.search?.dir), "file");
  settings.set("search.searxngUrl", data.search?.searxngUrl ? trimSlash(data.search.searxngUrl) : undefined, "file");
  settings.set("memory.embedModel", data.memory?.embedModel, "file");
  if (data.server) {
    const { limits, ...rest } = data.server;
    const server = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null && value !== undefined)) as ResolvedConfig["server"];
    if (limits) server.limits = Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== null && value !== undefined));
    settings.set("server", server, "file");
  }
  if (data.hosts) {
    const present = <T extends object>(object: T): T =>
      Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null && value !== undefined)) as T;
    settings.set(
      "hosts",
      data.hosts.map((host) => present({ ...host, url: trimSlash(host.url) }) as NonNullable<ResolvedConfig["hosts"]>[number]),
      "file",
    );
  }
  if (data.scheduler)
    settings.set("scheduler", Object.fromEntries(Object.entries(data.scheduler).filter(([, value]) => value !== null && value !== undefined)), "file");
  settings.set("graph", resolvePath(data.graph), "file");
  settings.set("promptsDir", resolvePath(data.promptsDir), "file");
  settings.set("cacheDir", resolvePath(data.cacheDir), "file");
  for (const tier of tierIds) {
    const models = data.tiers?.[tier];
    if (!models) continue;
    const llama = models.llama && looksLikePath(models.llama) ? resolvePath(models.llama) : models.llama;
    settings.set(`tiers.${tier}.ollama`, models.ollama, "file");
    settings.set(`tiers.${tier}.llama`, llama, "file");
    settings.set(`tiers.${tier}.openai`, models.openai, "file");
    settings.set(`tiers.${tier}.memoryMB`, models.memoryMB, "file");
    const defaults = defaultTiers[tier];
    const changesModel = (["ollama", "llama", "openai"] as const).some((key) => typeof models[key] === "string" && models[key] !== defaults[key]);
    if (changesModel && settings.source(`tiers.${tier}.memoryMB`) === "default") settings.delete(`tiers.${tier}.memoryMB`);
  }
}

function readEnvOverrides({ env, cwd, home }: { env: Record<string, string | undefined>; cwd: string; home: string }): [SettingKey, unknown][] {
  const out: [SettingKey, unknown][] = [];
  for (const [name, { key, kind }] of Object.entries(envVariables)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") continue;
    const value = readOverride({ raw, kind, cwd, home });
    if (value.ok) {
      out.push([key, value.value]);
      continue;
    }
    const { example } = expectations[kind];
    throw createConfigInvalidError({
      issues: [
        {
          message: `Environment variable ${name} is ${quote(raw)}: expected ${value.expected}${value.suggestion ? `; did you mean "${value.suggestion}"?` : ""}`,
          hint: `set ${name} to a value such as ${example}, or unset it`,
        },
      ],
    });
  }
  return out;
}

function readFlagOverrides({ flags, cwd, home }: { flags: ConfigFlags; cwd: string; home: string }): [SettingKey, unknown][] {
  const out: [SettingKey, unknown][] = [];
  for (const [name, { key, kind, flag }] of Object.entries(flagSettings) as [keyof typeof flagSettings, (typeof flagSettings)[keyof typeof flagSettings]][]) {
    const raw = flags[name];
    if (raw === undefined || raw === null) continue;
    const value =
      typeof raw === "number"
        ? Number.isSafeInteger(raw) && raw >= 1
          ? ({ ok: true, value: raw } as const)
          : ({ ok: false, expected: expectations.threads.expected } as const)
        : readOverride({ raw, kind, cwd, home });
    if (value.ok) {
      out.push([key, value.value]);
      continue;
    }
    const { example } = expectations[kind];
    throw createConfigInvalidError({
      issues: [
        {
          message: `${flag} is ${typeof raw === "number" ? String(raw) : quote(raw)}: expected ${value.expected}${"suggestion" in value && value.suggestion ? `; did you mean "${value.suggestion}"?` : ""}`,
          hint: `pass ${flag} ${example}`,
        },
      ],
    });
  }
  return out;
}

type OverrideResult = { ok: true; value: unknown } | { ok: false; expected: string; suggestion?: string };

function readOverride({ raw, kind, cwd, home }: { raw: string; kind: OverrideKind; cwd: string; home: string }): OverrideResult {
  const text = raw.trim();
  const { expected } = expectations[kind];
  if (text === "") return { ok: false, expected: `${expected}, not an empty value` };
  switch (kind) {
    case "provider": {
      const id = text.toLowerCase();
      if ((providerIds as readonly string[]).includes(id)) return { ok: true, value: id };
      const suggestion = suggest(text, providerIds);
      return { ok: false, expected, ...(suggestion ? { suggestion } : {}) };
    }
    case "path":
      return { ok: true, value: expandPath({ value: text, baseDir: cwd, home }) };
    case "ollamaHost": {
      const host = parseOllamaHost(text);
      return host ? { ok: true, value: host } : { ok: false, expected: `${expected} such as http://127.0.0.1:11434 or localhost:11434` };
    }
    case "url":
      return httpUrl.safeParse(text).success ? { ok: true, value: trimSlash(text) } : { ok: false, expected: `${expected} such as http://127.0.0.1:8080/v1` };
    case "threads": {
      const threads = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(threads) && threads >= 1 ? { ok: true, value: threads } : { ok: false, expected };
    }
    case "text":
      return { ok: true, value: raw };
  }
}

type ConfigFileRef = { path: string; origin: string | undefined };

async function locateConfigFile({
  flags,
  fileOption,
  env,
  cwd,
  home,
}: {
  flags: ConfigFlags;
  fileOption: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
}): Promise<ConfigFileRef | undefined> {
  const named: [string | undefined, string][] = [
    [flags.config, "--config"],
    [fileOption, "the file option"],
    [env.TINYLLM_CONFIG, "TINYLLM_CONFIG"],
  ];
  for (const [value, origin] of named) {
    if (value === undefined || value === null) continue;
    if (value.trim() === "") {
      if (origin === "TINYLLM_CONFIG") continue;
      throw createConfigInvalidError({ issues: [{ message: `${origin} is empty`, hint: "give the path of a tinyllm.yaml file" }] });
    }
    return { path: expandPath({ value: value.trim(), baseDir: cwd, home }), origin };
  }
  const found = await findConfigFile({ cwd });
  return found ? { path: found, origin: undefined } : undefined;
}

async function readConfigFile({ path: file, origin, cwd }: ConfigFileRef & { cwd: string }): Promise<TinyLLMConfigFile> {
  const shown = displayPath(file, cwd);
  const from = origin ? ` (from ${origin})` : "";
  const fail = (message: string, hint: string, cause?: unknown): never => {
    throw createConfigInvalidError({ issues: [{ file: shown, message, hint }], cause });
  };
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) fail(`not a file${from}`, "give the path of a tinyllm.yaml file");
    if (info.size > MAX_CONFIG_BYTES)
      fail(`the file is ${info.size} bytes, more than the ${MAX_CONFIG_BYTES} allowed`, "is this the right file? a config file is a few lines of YAML");
    text = await readFile(file, "utf8");
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return fail(`the config file does not exist${from}`, origin ? `check the path given by ${origin}` : "check the path", error);
    }
    return fail(`cannot read the config file: ${error instanceof Error ? error.message : String(error)}`, "check the file's permissions", error);
  }
  return parseConfigText({ text, file: shown });
}

/** `file` relative to `cwd` when it is inside it, else absolute. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
