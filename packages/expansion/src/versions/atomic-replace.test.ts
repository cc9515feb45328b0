import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { adoptGraphVersion } from "./adopt-graph-version";
import { listGraphVersions } from "./list-graph-versions";
import { rollbackGraph } from "./rollback-graph";
import { tempGraph, TEST_GRAPH } from "./test-graph";
import { sha256 } from "./version-store";

// Reads the graph file in a tight loop in another process until `stop` exists, and prints the
// sha256 of every distinct text it read and how many reads there were. (With a plain
// writeFile instead of the atomic replace, this reader sees torn texts of this size.)
const READER = `
const { readFileSync, existsSync } = require("node:fs");
const { createHash } = require("node:crypto");
const [file, stop] = process.argv.slice(1);
const seen = new Map();
let reads = 0;
while (!existsSync(stop)) {
  const text = readFileSync(file, "utf8");
  const hash = createHash("sha256").update(text, "utf8").digest("hex");
  seen.set(hash, (seen.get(hash) ?? 0) + 1);
  reads++;
}
process.stdout.write(JSON.stringify({ reads, hashes: [...seen.keys()] }));
`;

describe("replacing the graph file", () => {
  it("should never let a concurrent reader see a half-written graph", async () => {
    // A large file (about 300 KB) makes a torn read likely if the write were not atomic.
    const big = TEST_GRAPH.replace("entry: start", `description: "${"x".repeat(300_000)}"\nentry: start`);
    const file = await tempGraph(big);
    const stop = `${file}.stop`;
    const reader = spawn(process.execPath, ["-e", READER, file, stop], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    reader.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => reader.on("exit", resolve));

    let text = big;
    for (let tier = 1; tier <= 6; tier++) {
      text = text.replace(/tier: T\d/, `tier: T${tier}`);
      await adoptGraphVersion(file, text, { evidence: { node: "math" } });
      text = await readFile(file, "utf8");
    }
    for (const to of ["1.0.0", "1.6.0", "1.3.0", "1.5.0"]) await rollbackGraph(file, { to });
    await writeFile(stop, "");
    expect(await exited).toBe(0);

    const { reads, hashes } = JSON.parse(output) as { reads: number; hashes: string[] };
    const known = new Set((await listGraphVersions(file)).map((version) => version.sha256));
    expect(known.size).toBe(7);
    expect(known.has(sha256(big))).toBe(true);
    expect(reads).toBeGreaterThan(1);
    // Every text the reader saw is one whole stored version.
    for (const hash of hashes) expect(known.has(hash), `a read saw a text that is no version (${reads} reads)`).toBe(true);
  });
});
