import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { z } from "zod";
import { captureError } from "@tinyllm/models/testing";
import { loadConfig } from "./load-config";
import { parseConfigText } from "./parse-config-text";
import { starterConfigText, writeStarterConfig } from "./starter-config";
import { TinyLLMConfigSchema } from "./tinyllm-config-schema";

let dir: string;

beforeEach(async () => {
  dir = await realpath(await mkdtemp(path.join(tmpdir(), "tinyllm-starter-")));
  await mkdir(path.join(dir, ".git"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every key of the schema, nested ones included. */
function schemaKeys(schema: z.ZodType): string[] {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
  if (current instanceof z.ZodArray) return schemaKeys(current.element as z.ZodType);
  if (!(current instanceof z.ZodObject)) return [];
  return Object.entries(current.shape as Record<string, z.ZodType>).flatMap(([key, value]) => [key, ...schemaKeys(value)]);
}

const allKeys = [...new Set(schemaKeys(TinyLLMConfigSchema))];

/** Removes the "# " in front of every commented-out setting. */
function uncommentSettings(text: string): string {
  // A setting (`key: value`), or an item of a list of settings (`- key: value`).
  const setting = new RegExp(`^(\\s*)# ( *(?:- )?(?:${allKeys.join("|")}):.*)$`);
  return text
    .split("\n")
    .map((line) => {
      const match = setting.exec(line);
      return match ? `${match[1]}${match[2]}` : line;
    })
    .join("\n");
}

describe("starterConfigText", () => {
  test("is valid as it is, and resolves to the defaults", async () => {
    const text = starterConfigText();
    expect(() => parseConfigText({ text })).not.toThrow();
    await writeFile(path.join(dir, "tinyllm.yaml"), text);
    const withStarter = await loadConfig({ cwd: dir, env: { HOME: dir } });
    const empty = path.join(dir, "empty");
    await mkdir(path.join(empty, ".git"), { recursive: true });
    const withoutFile = await loadConfig({ cwd: empty, env: { HOME: dir } });
    expect(withStarter.file).toBe(path.join(dir, "tinyllm.yaml"));
    expect(withoutFile.file).toBeUndefined();
    expect(withStarter.config).toEqual(withoutFile.config);
  });

  test("mentions every option of the schema", () => {
    const text = starterConfigText();
    for (const key of allKeys) expect(text, key).toMatch(new RegExp(`^\\s*(# )?\\s*(- )?${key}:`, "m"));
  });

  test("stays valid with every option uncommented", () => {
    const text = uncommentSettings(starterConfigText());
    const config = parseConfigText({ text });
    expect(config.provider).toBe("ollama");
    expect(config.llama).toMatchObject({ threads: 4, gpu: false, contextSize: 4096 });
    expect(config.openai?.baseUrl).toBe("http://127.0.0.1:8080/v1");
    expect(config.hosts?.map((host) => `${host.name} ${host.kind} ${host.vramMB}`)).toEqual(["gpu0 ollama 8192", "cpu0 ollama 0", "vllm openai 24576"]);
    expect(config.hosts?.find((host) => host.name === "cpu0")?.ramMB).toBe(4096);
    expect(config.scheduler).toMatchObject({ pin: ["T0", "T3"], cpu: ["T0"], prefetch: true, keepAlive: "30m", offloadHorizonMs: 0, minGpuShare: 0.5 });
    expect(config.tiers?.T2).toMatchObject({ llama: "./models/qwen2.5-7b-instruct-q4_k_m.gguf", openai: "qwen2.5-7b-instruct" });
    expect(Object.keys(config)).toEqual(expect.arrayContaining(["ollama", "llama", "openai", "tiers", "graph", "promptsDir", "cacheDir"]));
  });
});

describe("writeStarterConfig", () => {
  test("writes the starter file and returns its absolute path", async () => {
    const target = path.join(dir, "tinyllm.yaml");
    expect(await writeStarterConfig({ path: target })).toEqual({ path: target });
    expect(await readFile(target, "utf8")).toBe(starterConfigText());
    expect(await readdir(dir)).toEqual(expect.arrayContaining([".git", "tinyllm.yaml"]));
    expect((await readdir(dir)).length).toBe(2);
  });

  test("creates missing parent directories", async () => {
    const target = path.join(dir, "a", "b", "tinyllm.yaml");
    await writeStarterConfig({ path: target });
    expect(await readFile(target, "utf8")).toBe(starterConfigText());
  });

  test("refuses to overwrite an existing file without force", async () => {
    const target = path.join(dir, "tinyllm.yaml");
    await writeFile(target, "provider: llama\n");
    const error = await captureError(writeStarterConfig({ path: target }));
    expect(error.code).toBe("CONFIG_EXISTS");
    expect(error.hint).toBe("pass --force to overwrite");
    expect(error.message).toContain(target);
    expect(await readFile(target, "utf8")).toBe("provider: llama\n");
    expect((await readdir(dir)).sort()).toEqual([".git", "tinyllm.yaml"]);
  });

  test("overwrites with force, leaving no temporary file", async () => {
    const target = path.join(dir, "tinyllm.yaml");
    await writeFile(target, "provider: llama\n");
    await writeStarterConfig({ path: target, force: true, text: "provider: openai\n" });
    expect(await readFile(target, "utf8")).toBe("provider: openai\n");
    expect((await readdir(dir)).sort()).toEqual([".git", "tinyllm.yaml"]);
  });

  test("a directory at the target is CONFIG_WRITE_FAILED, even with force", async () => {
    await mkdir(path.join(dir, "taken"));
    const error = await captureError(writeStarterConfig({ path: path.join(dir, "taken"), force: true }));
    expect(error.code).toBe("CONFIG_WRITE_FAILED");
  });

  test("an unwritable location is CONFIG_WRITE_FAILED", async () => {
    await writeFile(path.join(dir, "file"), "");
    const error = await captureError(writeStarterConfig({ path: path.join(dir, "file", "tinyllm.yaml") }));
    expect(error.code).toBe("CONFIG_WRITE_FAILED");
  });
});
