import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { captureError } from "@tinyllm/models/testing";
import { loadConfig, type ConfigFlags } from "./load-config";

let root: string;
let home: string;
let project: string;

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), "tinyllm-config-")));
  home = path.join(root, "home");
  project = path.join(root, "project");
  await mkdir(home);
  await mkdir(path.join(project, ".git"), { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(file: string, text: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

function load({ cwd = project, env = {}, flags, file }: { cwd?: string; env?: Record<string, string>; flags?: ConfigFlags; file?: string } = {}) {
  return loadConfig({ cwd, env: { HOME: home, ...env }, ...(flags ? { flags } : {}), ...(file ? { file } : {}) });
}

describe("loadConfig: layers", () => {
  test("without a file, every value is a default", async () => {
    const { config, sources, file } = await load();
    expect(file).toBeUndefined();
    expect(config).toEqual({
      ollama: { host: "http://127.0.0.1:11434" },
      llama: {},
      openai: {},
      search: {},
      memory: {},
      server: {},
      tiers: {
        T0: { ollama: "qwen2.5:0.5b", memoryMB: 400 },
        T1: { ollama: "qwen2.5:3b", memoryMB: 1900 },
        T2: { ollama: "qwen2.5:7b", memoryMB: 4700 },
        T3: { ollama: "qwen2.5:14b", memoryMB: 9000 },
      },
      cacheDir: path.join(home, ".cache", "tinyllm", "models"),
    });
    expect(config.provider).toBeUndefined();
    expect(new Set(Object.values(sources))).toEqual(new Set(["default"]));
    expect(sources.provider).toBeUndefined();
  });

  test("the file overrides defaults", async () => {
    await write(path.join(project, "tinyllm.yaml"), "ollama:\n  host: http://gpu-box:11434\ncacheDir: /models\n");
    const { config, sources } = await load();
    expect(config.ollama.host).toBe("http://gpu-box:11434");
    expect(config.cacheDir).toBe("/models");
    expect(sources["ollama.host"]).toBe("file");
    expect(sources.cacheDir).toBe("file");
    expect(sources["tiers.T0.ollama"]).toBe("default");
  });

  test("env overrides the file, flags override env", async () => {
    await write(
      path.join(project, "tinyllm.yaml"),
      [
        "provider: ollama",
        "ollama:",
        "  host: http://from-file:1",
        "llama:",
        "  modelFile: file.gguf",
        "  threads: 2",
        "openai:",
        "  baseUrl: http://from-file/v1",
        "  apiKey: file-key",
        "graph: file-graph.yaml",
        "",
      ].join("\n"),
    );
    const env = {
      TINYLLM_PROVIDER: "openai",
      OLLAMA_HOST: "from-env",
      TINYLLM_MODEL_FILE: "env.gguf",
      TINYLLM_THREADS: "3",
      OPENAI_BASE_URL: "http://from-env/v1/",
      OPENAI_API_KEY: "env-key",
      TINYLLM_GRAPH: "env-graph.yaml",
    };

    const fromEnv = await load({ env });
    expect(fromEnv.config.provider).toBe("openai");
    expect(fromEnv.config.ollama.host).toBe("http://from-env:11434");
    expect(fromEnv.config.llama.modelFile).toBe(path.join(project, "env.gguf"));
    expect(fromEnv.config.llama.threads).toBe(3);
    expect(fromEnv.config.openai).toEqual({ baseUrl: "http://from-env/v1", apiKey: "env-key" });
    expect(fromEnv.config.graph).toBe(path.join(project, "env-graph.yaml"));
    for (const key of ["provider", "ollama.host", "llama.modelFile", "llama.threads", "openai.baseUrl", "openai.apiKey", "graph"]) {
      expect(fromEnv.sources[key], key).toBe("env");
    }

    const flags = {
      provider: "llama",
      ollamaHost: "http://from-flag:2",
      modelFile: "flag.gguf",
      threads: 5,
      openaiBaseUrl: "https://from-flag/v1",
      graph: "flag-graph.yaml",
    };
    const fromFlags = await load({ env, flags });
    expect(fromFlags.config.provider).toBe("llama");
    expect(fromFlags.config.ollama.host).toBe("http://from-flag:2");
    expect(fromFlags.config.llama.modelFile).toBe(path.join(project, "flag.gguf"));
    expect(fromFlags.config.llama.threads).toBe(5);
    expect(fromFlags.config.openai).toEqual({ baseUrl: "https://from-flag/v1", apiKey: "env-key" });
    expect(fromFlags.config.graph).toBe(path.join(project, "flag-graph.yaml"));
    for (const key of ["provider", "ollama.host", "llama.modelFile", "llama.threads", "openai.baseUrl", "graph"]) {
      expect(fromFlags.sources[key], key).toBe("flag");
    }
    expect(fromFlags.sources["openai.apiKey"]).toBe("env");
  });

  test("the remaining variables: TINYLLM_MODELS_DIR and TINYLLM_CACHE_DIR", async () => {
    const { config, sources } = await load({ env: { TINYLLM_MODELS_DIR: "gguf", TINYLLM_CACHE_DIR: "~/cache" } });
    expect(config.llama.modelsDir).toBe(path.join(project, "gguf"));
    expect(config.cacheDir).toBe(path.join(home, "cache"));
    expect(sources["llama.modelsDir"]).toBe("env");
    expect(sources.cacheDir).toBe("env");
  });

  test("empty environment variables and undefined flags count as unset", async () => {
    await write(path.join(project, "tinyllm.yaml"), "provider: llama\n");
    const { config, sources } = await load({ env: { TINYLLM_PROVIDER: "", TINYLLM_THREADS: "  " }, flags: { provider: undefined } });
    expect(config.provider).toBe("llama");
    expect(sources.provider).toBe("file");
    expect(config.llama.threads).toBeUndefined();
  });

  test("flags given as text are read like environment variables", async () => {
    const { config } = await load({ flags: { threads: " 8 ", provider: "OLLAMA" } });
    expect(config.llama.threads).toBe(8);
    expect(config.provider).toBe("ollama");
  });

  test("the cache directory honours XDG_CACHE_HOME when it is absolute", async () => {
    expect((await load({ env: { XDG_CACHE_HOME: "/xdg" } })).config.cacheDir).toBe(path.join("/xdg", "tinyllm", "models"));
    expect((await load({ env: { XDG_CACHE_HOME: "relative" } })).config.cacheDir).toBe(path.join(home, ".cache", "tinyllm", "models"));
  });
});

describe("loadConfig: tiers", () => {
  test("merge key by key over the defaults", async () => {
    await write(path.join(project, "tinyllm.yaml"), "tiers:\n  T1:\n    openai: qwen-3b\n  T2:\n    ollama: llama3.1:8b\n    memoryMB: 4900\n");
    const { config, sources } = await load();
    expect(config.tiers.T0).toEqual({ ollama: "qwen2.5:0.5b", memoryMB: 400 });
    expect(config.tiers.T2).toEqual({ ollama: "llama3.1:8b", memoryMB: 4900 });
    expect(sources["tiers.T2.ollama"]).toBe("file");
    expect(sources["tiers.T0.ollama"]).toBe("default");
    // T1 gained an openai model, so the default size (of the Ollama model) no longer holds.
    expect(config.tiers.T1).toEqual({ ollama: "qwen2.5:3b", openai: "qwen-3b" });
    expect(sources["tiers.T1.memoryMB"]).toBeUndefined();
  });

  test("a tier that restates the default model keeps the default memoryMB", async () => {
    await write(path.join(project, "tinyllm.yaml"), "tiers:\n  T3:\n    ollama: qwen2.5:14b\n");
    expect((await load()).config.tiers.T3).toEqual({ ollama: "qwen2.5:14b", memoryMB: 9000 });
  });
});

describe("loadConfig: paths", () => {
  test("relative paths in the file resolve against the file's directory", async () => {
    const configDir = path.join(project, "config");
    await write(
      path.join(configDir, "tinyllm.yaml"),
      [
        "llama:",
        "  modelFile: ../models/m.gguf",
        "  modelsDir: models",
        "graph: graphs/main.yaml",
        "promptsDir: ./prompts",
        "cacheDir: ~/gguf-cache",
        "tiers:",
        "  T0:",
        "    llama: ./router.gguf",
        "  T1:",
        "    llama: specialist",
        "  T2:",
        "    llama: hf:Qwen/Qwen2.5-7B-Instruct-GGUF/qwen2.5-7b-instruct-q4_k_m.gguf",
        "  T3:",
        "    llama: /abs/judge.gguf",
        "",
      ].join("\n"),
    );
    const cwd = path.join(project, "somewhere", "else");
    await mkdir(cwd, { recursive: true });
    const { config } = await load({ cwd, flags: { config: "../../config/tinyllm.yaml" } });
    expect(config.llama.modelFile).toBe(path.join(project, "models", "m.gguf"));
    expect(config.llama.modelsDir).toBe(path.join(configDir, "models"));
    expect(config.graph).toBe(path.join(configDir, "graphs", "main.yaml"));
    expect(config.promptsDir).toBe(path.join(configDir, "prompts"));
    expect(config.cacheDir).toBe(path.join(home, "gguf-cache"));
    expect(config.tiers.T0.llama).toBe(path.join(configDir, "router.gguf"));
    expect(config.tiers.T1.llama).toBe("specialist");
    expect(config.tiers.T2.llama).toBe("hf:Qwen/Qwen2.5-7B-Instruct-GGUF/qwen2.5-7b-instruct-q4_k_m.gguf");
    expect(config.tiers.T3.llama).toBe(path.resolve("/abs/judge.gguf"));
  });

  test("flag and environment paths resolve against cwd", async () => {
    const cwd = path.join(project, "sub");
    await mkdir(cwd);
    const { config } = await load({ cwd, env: { TINYLLM_GRAPH: "g.yaml" }, flags: { modelFile: "../m.gguf" } });
    expect(config.graph).toBe(path.join(cwd, "g.yaml"));
    expect(config.llama.modelFile).toBe(path.join(project, "m.gguf"));
  });
});

describe("loadConfig: finding the file", () => {
  test("uses tinyllm.yaml in cwd", async () => {
    const file = await write(path.join(project, "tinyllm.yaml"), "provider: ollama\n");
    expect((await load()).file).toBe(file);
  });

  test("accepts tinyllm.yml", async () => {
    const file = await write(path.join(project, "tinyllm.yml"), "provider: ollama\n");
    expect((await load()).file).toBe(file);
  });

  test("walks up to the directory containing .git", async () => {
    const file = await write(path.join(project, "tinyllm.yaml"), "provider: openai\n");
    const cwd = path.join(project, "a", "b", "c");
    await mkdir(cwd, { recursive: true });
    const result = await load({ cwd });
    expect(result.file).toBe(file);
    expect(result.config.provider).toBe("openai");
  });

  test("the nearest file wins", async () => {
    await write(path.join(project, "tinyllm.yaml"), "provider: openai\n");
    const nearer = await write(path.join(project, "a", "tinyllm.yaml"), "provider: llama\n");
    const cwd = path.join(project, "a", "b");
    await mkdir(cwd, { recursive: true });
    expect((await load({ cwd })).file).toBe(nearer);
  });

  test("does not look above the directory containing .git", async () => {
    await write(path.join(root, "tinyllm.yaml"), "provider: openai\n");
    const result = await load({ cwd: path.join(project) });
    expect(result.file).toBeUndefined();
    expect(result.config.provider).toBeUndefined();
  });

  test("without .git, walks up through every parent", async () => {
    const file = await write(path.join(root, "plain", "tinyllm.yaml"), "provider: llama\n");
    const cwd = path.join(root, "plain", "x", "y");
    await mkdir(cwd, { recursive: true });
    expect((await load({ cwd })).file).toBe(file);
  });

  test("a .git file (worktree, submodule) is a boundary too", async () => {
    await write(path.join(root, "wt", "tinyllm.yaml"), "provider: llama\n");
    await write(path.join(root, "wt", "inner", ".git"), "gitdir: /elsewhere\n");
    expect((await load({ cwd: path.join(root, "wt", "inner") })).file).toBeUndefined();
  });

  test("both tinyllm.yaml and tinyllm.yml in one directory is an error", async () => {
    await write(path.join(project, "tinyllm.yaml"), "");
    await write(path.join(project, "tinyllm.yml"), "");
    const error = await captureError(load());
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("both tinyllm.yaml and tinyllm.yml");
  });

  test("--config beats the file option, which beats TINYLLM_CONFIG, which beats discovery", async () => {
    await write(path.join(project, "tinyllm.yaml"), "provider: ollama\n");
    const fromEnv = await write(path.join(root, "env.yaml"), "provider: openai\n");
    const fromOption = await write(path.join(root, "option.yaml"), "provider: llama\ngraph: option.yaml\n");
    const fromFlag = await write(path.join(root, "flag.yaml"), "graph: flag.yaml\n");
    expect((await load({ env: { TINYLLM_CONFIG: fromEnv } })).file).toBe(fromEnv);
    expect((await load({ env: { TINYLLM_CONFIG: fromEnv }, file: fromOption })).file).toBe(fromOption);
    const result = await load({ env: { TINYLLM_CONFIG: fromEnv }, file: fromOption, flags: { config: fromFlag } });
    expect(result.file).toBe(fromFlag);
    // Only the chosen file is read.
    expect(result.config.provider).toBeUndefined();
  });

  test("a named file that does not exist is an error naming where it came from", async () => {
    const error = await captureError(load({ env: { TINYLLM_CONFIG: "missing.yaml" } }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toBe("missing.yaml: the config file does not exist (from TINYLLM_CONFIG)");
    const flagError = await captureError(load({ flags: { config: path.join(root, "nope.yaml") } }));
    expect(flagError.message).toContain("(from --config)");
    expect(flagError.message).toContain(path.join(root, "nope.yaml"));
  });

  test("a directory given as the config file is an error", async () => {
    const error = await captureError(load({ flags: { config: "." } }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("not a file");
  });
});

describe("loadConfig: errors", () => {
  test("an invalid file names the file, line and column", async () => {
    await write(path.join(project, "tinyllm.yaml"), "provider: ollama\nllama:\n  threds: 4\n");
    const error = await captureError(load({ cwd: project }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toBe('tinyllm.yaml:3:3: unknown key "threds" in llama; did you mean "threads"?');
    expect(error.hint).toContain("threads");
  });

  test("a file outside cwd is named by its absolute path", async () => {
    const file = await write(path.join(project, "tinyllm.yaml"), "llama:\n  gpu: maybe\n");
    const cwd = path.join(project, "deep");
    await mkdir(cwd);
    const error = await captureError(load({ cwd }));
    expect(error.message).toBe(`${file}:2:8: llama.gpu: expected true or false, got the text "maybe"`);
  });

  test.each([
    ["TINYLLM_PROVIDER", "foo", 'Environment variable TINYLLM_PROVIDER is "foo": expected ollama, llama or openai'],
    ["TINYLLM_PROVIDER", "lama", 'did you mean "llama"?'],
    ["TINYLLM_THREADS", "abc", 'Environment variable TINYLLM_THREADS is "abc": expected a whole number of at least 1'],
    ["TINYLLM_THREADS", "0", "TINYLLM_THREADS"],
    ["TINYLLM_THREADS", "2.5", "TINYLLM_THREADS"],
    ["OLLAMA_HOST", "ftp://x", "OLLAMA_HOST"],
    ["OPENAI_BASE_URL", "localhost/v1", "OPENAI_BASE_URL"],
  ])("%s=%j is CONFIG_INVALID naming the variable", async (name, value, expected) => {
    const error = await captureError(load({ env: { [name]: value } }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(expected);
    expect(error.hint).toContain(`set ${name} to`);
  });

  test.each([
    [{ provider: "mistral" }, "--provider"],
    [{ threads: 0 }, "--threads"],
    [{ threads: "x" }, "--threads"],
    [{ ollamaHost: "http://" }, "--ollama-host"],
    [{ openaiBaseUrl: "nope" }, "--openai-base-url"],
    [{ modelFile: "" }, "--model-file"],
  ] as [ConfigFlags, string][])("flags %j are CONFIG_INVALID naming the flag", async (flags, flag) => {
    const error = await captureError(load({ flags }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message.startsWith(flag)).toBe(true);
  });

  test("an empty --config is an error", async () => {
    expect((await captureError(load({ flags: { config: "" } }))).message).toContain("--config is empty");
  });
});

describe("search settings", () => {
  test("should read the search folder from the file, relative to it, and SEARXNG_URL from the environment", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-search-config-"));
    await writeFile(path.join(dir, "tinyllm.yaml"), "search:\n  dir: ./docs\n");
    const { config, sources } = await loadConfig({ cwd: dir, env: { SEARXNG_URL: "http://127.0.0.1:8888/" } });
    expect(config.search.dir).toBe(path.join(dir, "docs"));
    expect(config.search.searxngUrl).toBe("http://127.0.0.1:8888");
    expect(sources["search.dir"]).toBe("file");
    expect(sources["search.searxngUrl"]).toBe("env");
  });
});

describe("memory settings", () => {
  test("should read memory.embedModel from the file, and let TINYLLM_EMBED_MODEL override it", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-memory-config-"));
    await writeFile(path.join(dir, "tinyllm.yaml"), "memory:\n  embedModel: nomic-embed-text\n");
    const fromFile = await loadConfig({ cwd: dir, env: {} });
    expect(fromFile.config.memory.embedModel).toBe("nomic-embed-text");
    expect(fromFile.sources["memory.embedModel"]).toBe("file");
    const fromEnv = await loadConfig({ cwd: dir, env: { TINYLLM_EMBED_MODEL: "all-minilm" } });
    expect(fromEnv.config.memory.embedModel).toBe("all-minilm");
    await writeFile(path.join(dir, "tinyllm.yaml"), "memory:\n  embedModels: x\n");
    expect((await captureError(loadConfig({ cwd: dir, env: {} }))).message).toMatch(/embedModels/);
  });
});
