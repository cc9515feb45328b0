import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Memory, MemoryHit } from "@tinyllm/core";
import { startOllamaTestServer, type OllamaTestServer } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let cwd: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // No TINYLLM_* variables: the memory store is the temp folder's .tinyllm/memory.db.
  const env = { PATH: process.env.PATH ?? "", HOME: cwd, OLLAMA_HOST: "http://127.0.0.1:9" };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("tinyllm memory", () => {
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-memory-"));
  });

  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  let frenchId: string;

  it("should add memories and print their ids", async () => {
    const added = await cli(["memory", "add", "The user prefers answers in French"]);
    expect(added.code).toBe(0);
    frenchId = added.stdout.trim();
    expect(frenchId).not.toBe("");
    const json = await cli(["memory", "add", "The user's cat is called Miso", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ text: "The user's cat is called Miso", scope: "user", owner: "default", source: "cli" });
    const graph = await cli(["memory", "add", "Answers cite their sources", "--scope", "graph", "--owner", "multi_domain", "--json"]);
    expect(JSON.parse(graph.stdout)).toMatchObject({ scope: "graph", owner: "multi_domain" });
  });

  it("should search by relevance and print id, score, scope and text", async () => {
    const text = await cli(["memory", "search", "which language should answers be in? French", "--k", "2"]);
    expect(text.code).toBe(0);
    const first = text.stdout.split("\n")[0] ?? "";
    expect(first).toMatch(new RegExp(`^${frenchId}  \\d+\\.\\d{3}  user:default  The user prefers answers in French$`));
    const json = await cli(["memory", "search", "cat Miso", "--json"]);
    const { hits } = JSON.parse(json.stdout) as { hits: MemoryHit[] };
    expect(hits[0]).toMatchObject({ text: "The user's cat is called Miso", scope: "user" });
    expect(typeof hits[0]?.score).toBe("number");
    const graphOnly = JSON.parse((await cli(["memory", "search", "sources", "--scope", "graph", "--owner", "multi_domain", "--json"])).stdout) as {
      hits: MemoryHit[];
    };
    expect(graphOnly.hits.map((h) => h.text)).toEqual(["Answers cite their sources"]);
  });

  it("should list memories, newest first", async () => {
    const { memories } = JSON.parse((await cli(["memory", "list", "--json"])).stdout) as { memories: Memory[] };
    expect(memories.map((m) => m.text)).toEqual(["Answers cite their sources", "The user's cat is called Miso", "The user prefers answers in French"]);
    const users = JSON.parse((await cli(["memory", "list", "--scope", "user", "--json"])).stdout) as { memories: Memory[] };
    expect(users.memories).toHaveLength(2);
  });

  it("should export, wipe only with --yes, and import back", async () => {
    const file = path.join(cwd, "memories.json");
    const exported = await cli(["memory", "export", file]);
    expect(exported.code).toBe(0);
    expect(await readFile(file, "utf8")).toContain("The user's cat is called Miso");

    const refused = await cli(["memory", "wipe"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    expect(JSON.parse((await cli(["memory", "list", "--json"])).stdout).memories).toHaveLength(3);

    const wiped = await cli(["memory", "wipe", "--yes", "--json"]);
    expect(JSON.parse(wiped.stdout)).toEqual({ ok: true, wiped: 3 });
    expect(JSON.parse((await cli(["memory", "list", "--json"])).stdout).memories).toHaveLength(0);

    const imported = await cli(["memory", "import", file]);
    expect(imported.code).toBe(0);
    const { memories } = JSON.parse((await cli(["memory", "list", "--json"])).stdout) as { memories: Memory[] };
    expect(memories.map((m) => m.text).sort()).toEqual(["Answers cite their sources", "The user prefers answers in French", "The user's cat is called Miso"]);
  });

  it("should forget a memory by id", async () => {
    const { memories } = JSON.parse((await cli(["memory", "list", "--json"])).stdout) as { memories: Memory[] };
    const id = memories[0]?.id as string;
    const forgotten = await cli(["memory", "forget", id, "--json"]);
    expect(JSON.parse(forgotten.stdout)).toEqual({ ok: true, forgotten: id });
    const again = await cli(["memory", "forget", id]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`no memory has the id '${id}'`);
  });

  it.each([
    ["empty text", ["memory", "add", "   "], "the memory text is empty"],
    ["a session scope without an owner", ["memory", "add", "x", "--scope", "session"], "--scope session needs --owner"],
    ["an unknown scope", ["memory", "add", "x", "--scope", "world"], "world"],
    ["--k 0", ["memory", "search", "cat", "--k", "0"], "--k must be a whole number"],
    ["--k that is not a number", ["memory", "search", "cat", "--k", "many"], "--k must be a whole number"],
    ["an empty query", ["memory", "search", ""], "the query is empty"],
    ["an unknown id", ["memory", "forget", "no-such-memory"], "no memory has the id"],
    ["an import file that does not exist", ["memory", "import", "/no/such/file.json"], "could not read /no/such/file.json"],
  ])("should explain %s and exit 2", async (_name, args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    noStack(result.stderr);
  });

  it("should refuse an import file that is not JSON (exit 2)", async () => {
    const file = path.join(cwd, "junk.json");
    await writeFile(file, "{{{ not json");
    const result = await cli(["memory", "import", file, "--json"]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { message: expect.stringContaining("not JSON") } });
  });
});

describe("tinyllm memory with an embedding model", () => {
  let server: OllamaTestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startOllamaTestServer();
    dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-memory-embed-"));
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  function embedCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? "", HOME: dir, OLLAMA_HOST: server.url, TINYLLM_EMBED_MODEL: server.modelName };
    return new Promise((resolve) => {
      execFile(process.execPath, [bin, ...args], { cwd: dir, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  it("should embed what it adds and what it searches through the backend's /api/embed", async () => {
    const embedsBefore = () => server.requests.filter((request) => request.path === "/api/embed").length;
    const added = await embedCli(["memory", "add", "My sister Dana lives in Lisbon"]);
    expect(added.code, added.stderr).toBe(0);
    const afterAdd = embedsBefore();
    expect(afterAdd).toBeGreaterThanOrEqual(1);
    const found = await embedCli(["memory", "search", "Where does Dana live?", "--json"]);
    expect(found.code, found.stderr).toBe(0);
    expect((JSON.parse(found.stdout) as { hits: MemoryHit[] }).hits.map((hit) => hit.text)).toContain("My sister Dana lives in Lisbon");
    expect(embedsBefore()).toBeGreaterThan(afterAdd);
  });
});
