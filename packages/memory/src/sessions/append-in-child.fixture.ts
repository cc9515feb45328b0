/**
 * Run by open-session-store.test.ts in a child process: appends `count` messages, one batch of
 * two at a time, to one session of one store file. Args: path, session id, count, tag.
 */
import { openSessionStore } from "./open-session-store";

const [path, id, count, tag] = process.argv.slice(2) as [string, string, string, string];
const store = openSessionStore({ path, busyTimeoutMs: 20_000 });
for (let i = 0; i < Number(count); i += 2) {
  await store.append(id, [
    { role: "user", content: `${tag} ${i}` },
    { role: "assistant", content: `${tag} ${i + 1}` },
  ]);
}
await store.close();
