import { describe, expect, it } from "vitest";
import { batchedLog } from "./batched-log";

describe("batchedLog", () => {
  it("writes the lines of one turn in one call, in order, on the next turn", async () => {
    const writes: string[] = [];
    const log = batchedLog((text) => writes.push(text));
    log("one");
    log("two");
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["one\ntwo\n"]);
    log("three");
    log.close();
    expect(writes).toEqual(["one\ntwo\n", "three\n"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
  });
});
