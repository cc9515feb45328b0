// A child process for the verdict store tests, run as
//   node --import ./register-ts-loader.mjs verdict-store-child.ts <mode> <db> <graphId> [count]
// mode "crash":  writes "ready", waits for "go" on stdin, then appends testVerdictRecord(graphId,
//                1, 2, …) forever and writes "<id> <seq>" to stdout after each append returns,
//                until it is killed.
// mode "append": writes "ready", waits for "go" on stdin, then opens the store, appends `count`
//                records, writes "done" and exits.
import { once } from "node:events";
import { openVerdictStore } from "../open-verdict-store";
import { testVerdictRecord } from "./test-verdict-record";

const [mode, path, graphId, count] = process.argv.slice(2) as [string, string, string, string | undefined];

if (mode === "crash") {
  process.stdout.write("ready\n");
  await once(process.stdin, "data");
  const store = openVerdictStore({ path });
  for (let seq = 1; ; seq++) {
    const { id } = store.append(testVerdictRecord(graphId, seq));
    // Synchronous on Linux pipes: once this returns, the parent will see the line.
    process.stdout.write(`${id} ${seq}\n`);
  }
} else if (mode === "append") {
  process.stdout.write("ready\n");
  await once(process.stdin, "data");
  const store = openVerdictStore({ path, busyTimeoutMs: 20_000 });
  for (let seq = 1; seq <= Number(count); seq++) store.append(testVerdictRecord(graphId, seq));
  store.close();
  process.stdout.write("done\n");
  process.exit(0);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
