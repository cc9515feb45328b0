/**
 * Run by sqlite-memory-store.test.ts in a child process: adds `count` memories, one at a time,
 * to one store file, each saying which process and which turn wrote it. Args: path, count, tag.
 */
import { openMemoryStore } from "../recall/open-memory-store";

const [path, count, tag] = process.argv.slice(2) as [string, string, string];
const store = openMemoryStore({ path, busyTimeoutMs: 20_000 });
for (let i = 0; i < Number(count); i++) {
  await store.add({ text: `Process ${tag} remembers fact number ${i}.`, scope: "user", owner: `owner-${tag}`, source: "child" });
}
await store.close();
