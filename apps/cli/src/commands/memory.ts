import { readFile, writeFile } from "node:fs/promises";
import type { Memory, MemoryFilter, MemoryHit, MemoryScope, MemoryStore } from "@tinyllm/core";
import { CliError } from "../cli-error";
import { codedCliError } from "../chat/cli-store-errors";
import { withMemoryStore, type StoreFlags } from "../chat/open-stores";
import { parseWholeNumber, requireText } from "../chat/parse-flags";
import { printJson } from "../output";

/** The user whose memories the CLI reads and writes when `--owner` is not given (the runtime's default user). */
const defaultUser = "default";

/** `--scope` and `--owner` of the memory commands. */
export interface MemoryScopeFlags extends StoreFlags {
  scope?: string;
  owner?: string;
}

/** The SQLite store's export and import (not part of the {@link MemoryStore} contract). */
type PortableMemoryStore = MemoryStore & {
  exportMemories?: () => unknown;
  importMemories?: (data: unknown) => unknown;
};

/** `tinyllm memory add TEXT`: keeps a fact (default: the default user's). */
export async function memoryAdd(text: string, options: MemoryScopeFlags): Promise<number> {
  requireText("memory text", text, 'e.g. tinyllm memory add "I prefer answers in French"');
  const scope = parseScope(options.scope) ?? "user";
  if (scope !== "user" && options.owner === undefined)
    throw new CliError(
      `--scope ${scope} needs --owner`,
      2,
      `the ${scope} id the memory belongs to, e.g. --owner ${scope === "session" ? "SESSION_ID" : "GRAPH_ID"}`,
    );
  const owner = options.owner ?? defaultUser;
  const memory = await withMemoryStore(options, (memories) => memories.add({ text, scope, owner, source: "cli" }));
  if (options.json) printJson(memory);
  else process.stdout.write(`${memory.id}\n`);
  return 0;
}

/** `tinyllm memory search QUERY`: the most relevant memories, best first. */
export async function memorySearch(query: string, options: MemoryScopeFlags & { k?: string }): Promise<number> {
  requireText("query", query, 'e.g. tinyllm memory search "language"');
  const k = parseWholeNumber("--k", options.k, { max: 100 });
  const filter = parseFilter(options);
  const hits = await withMemoryStore(options, (memories) => memories.search(query, { ...filter, ...(k !== undefined ? { k } : {}) }));
  if (options.json) printJson({ hits });
  else if (hits.length === 0) process.stderr.write("no memories match\n");
  else for (const hit of hits) process.stdout.write(`${memoryLine(hit)}\n`);
  return 0;
}

/** `tinyllm memory list`: memories, newest first. */
export async function memoryList(options: MemoryScopeFlags & { limit?: string }): Promise<number> {
  const limit = parseWholeNumber("--limit", options.limit, { max: 100_000 });
  const filter = parseFilter(options);
  const list = await withMemoryStore(options, (memories) => memories.list({ ...filter, ...(limit !== undefined ? { limit } : {}) }));
  if (options.json) printJson({ memories: list });
  else if (list.length === 0) process.stderr.write("no memories\n");
  else for (const memory of list) process.stdout.write(`${memoryLine(memory)}\n`);
  return 0;
}

/** `tinyllm memory forget ID`. */
export async function memoryForget(id: string, options: StoreFlags): Promise<number> {
  requireText("memory id", id, "tinyllm memory list shows the ids");
  const forgotten = await withMemoryStore(options, (memories) => memories.forget(id));
  if (!forgotten) throw codedCliError("MEMORY_NOT_FOUND", `no memory has the id '${id}'`, 2, "tinyllm memory list shows the ids");
  if (options.json) printJson({ ok: true, forgotten: id });
  else process.stderr.write(`forgot ${id}\n`);
  return 0;
}

/** `tinyllm memory export FILE`: every memory as JSON (`-` for stdout). */
export async function memoryExport(file: string, options: StoreFlags): Promise<number> {
  requireText("file name", file, "e.g. tinyllm memory export memories.json");
  const data = await withMemoryStore(options, async (memories) => portable(memories, "exportMemories")());
  const text = `${JSON.stringify(data, null, 2)}\n`;
  if (file === "-") process.stdout.write(text);
  else {
    try {
      await writeFile(file, text);
    } catch (error) {
      throw new CliError(`could not write ${file}: ${(error as Error).message}`, 1);
    }
    const count = countOf(data);
    if (options.json) printJson({ ok: true, file, ...(count !== undefined ? { count } : {}) });
    else process.stderr.write(`exported ${count ?? "the"} memor${count === 1 ? "y" : "ies"} to ${file}\n`);
  }
  return 0;
}

/** `tinyllm memory import FILE`: memories from a file `memory export` wrote. */
export async function memoryImport(file: string, options: StoreFlags): Promise<number> {
  requireText("file name", file, "e.g. tinyllm memory import memories.json");
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `it is not JSON (${error.message})` : (error as Error).message;
    throw new CliError(`could not read ${file}: ${reason}`, 2, "give a file that tinyllm memory export wrote");
  }
  const result = await withMemoryStore(options, async (memories) => portable(memories, "importMemories")(data));
  const count = countOf(result);
  if (options.json) printJson({ ok: true, file, ...(typeof result === "object" && result !== null ? result : count !== undefined ? { count } : {}) });
  else process.stderr.write(`imported ${count ?? "the"} memor${count === 1 ? "y" : "ies"} from ${file}\n`);
  return 0;
}

/** `tinyllm memory wipe --yes`: deletes every memory (or those of `--scope`/`--owner`). Always needs `--yes`. */
export async function memoryWipe(options: MemoryScopeFlags & { yes?: boolean }): Promise<number> {
  const filter = parseFilter(options);
  if (!options.yes) {
    const what = filter.scopes ? `every ${options.scope} memory of '${options.owner}'` : "every long-term memory";
    throw new CliError(`wipe deletes ${what} and cannot be undone`, 2, "run it again with --yes (tinyllm memory export FILE keeps a copy first)");
  }
  const count = await withMemoryStore(options, (memories) => memories.wipe(filter));
  if (options.json) printJson({ ok: true, wiped: count });
  else process.stderr.write(`wiped ${count} memor${count === 1 ? "y" : "ies"}\n`);
  return 0;
}

const scopes: readonly MemoryScope[] = ["user", "session", "graph"];

function parseScope(value: string | undefined): MemoryScope | undefined {
  if (value === undefined) return undefined;
  if (!(scopes as readonly string[]).includes(value)) throw new CliError(`--scope must be one of ${scopes.join(", ")}`, 2);
  return value as MemoryScope;
}

/** `--scope` with `--owner` selects one owner's memories; neither selects all. */
function parseFilter(options: MemoryScopeFlags): MemoryFilter {
  const scope = parseScope(options.scope);
  if (scope === undefined && options.owner === undefined) return {};
  if (scope === undefined) return { scopes: scopes.map((s) => ({ scope: s, owner: options.owner as string })) };
  if (options.owner === undefined && scope !== "user") throw new CliError(`--scope ${scope} needs --owner`, 2);
  return { scopes: [{ scope, owner: options.owner ?? defaultUser }] };
}

function portable<K extends "exportMemories" | "importMemories">(memories: MemoryStore, method: K): NonNullable<PortableMemoryStore[K]> {
  const fn = (memories as PortableMemoryStore)[method];
  if (typeof fn !== "function") throw new CliError(`this memory store cannot ${method === "exportMemories" ? "export" : "import"} memories`, 1);
  return fn.bind(memories) as NonNullable<PortableMemoryStore[K]>;
}

/** How many memories an export holds or an import added, when it says. */
function countOf(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  if (typeof value === "number") return value;
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ["imported", "count", "added"]) if (typeof record[key] === "number") return record[key];
  if (Array.isArray(record.memories)) return record.memories.length;
  return undefined;
}

function memoryLine(memory: Memory | MemoryHit): string {
  const score = "score" in memory ? `${memory.score.toFixed(3)}  ` : "";
  return `${memory.id}  ${score}${memory.scope}:${memory.owner}  ${memory.text.replace(/\s+/g, " ")}`;
}
