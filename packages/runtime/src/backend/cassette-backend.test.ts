import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { RunEvent } from "@tinyllm/core";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../create-runtime";

let dir: string;
let modelFile: string;

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cassette-runtime-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const stores = { verdictStore: false, runStore: false, memoryStore: false, precedentIndex: false } as const;
/** What a run did, without its timings and ids. */
const shape = (events: RunEvent[]) =>
  events.map((event) =>
    event.type === "token-delta"
      ? `token:${event.text}`
      : event.type === "node-start" || event.type === "node-end"
        ? `${event.type}:${event.nodeId}`
        : event.type,
  );

describe("a runtime with a cassette", () => {
  it("replays a recorded run of the default graph exactly, with no model at all", async () => {
    const tape = path.join(dir, "tape.db");
    const recorded: RunEvent[] = [];
    const recorder = await createRuntime({
      cwd: dir,
      env: {},
      flags: { provider: "llama", modelFile, threads: 1 },
      ...stores,
      cassette: { path: tape, mode: "record" },
    });
    const first = await recorder.run("Write a short story about a brave mouse", { sampling: { seed: 5 }, onEvent: (event) => recorded.push(event) });
    await recorder.close();
    expect(first.status).toBe("ok");

    // No model file and no Ollama: every call must come from the cassette.
    const replayed: RunEvent[] = [];
    const replayer = await createRuntime({
      cwd: dir,
      env: {},
      flags: { ollamaHost: "http://127.0.0.1:9" },
      ...stores,
      cassette: { path: tape, mode: "replay" },
    });
    try {
      expect((await replayer.backend()).description).toMatch(/^replay of /);
      const second = await replayer.run("Write a short story about a brave mouse", { sampling: { seed: 5 }, onEvent: (event) => replayed.push(event) });
      expect(second.output).toEqual(first.output);
      expect(shape(replayed)).toEqual(shape(recorded));
      expect(replayed.filter((e) => e.type === "token-delta").length).toBeGreaterThan(1);
      const miss = await replayer.run("A question that was never recorded", { sampling: { seed: 5 } });
      expect(miss.status).toBe("failed");
      expect(miss.error?.code).toBe("CASSETTE_MISS");
    } finally {
      await replayer.close();
    }
  }, 240_000);

  it("says what to do when the cassette to replay does not exist", async () => {
    const runtime = await createRuntime({ cwd: dir, env: {}, ...stores, cassette: { path: "missing.db", mode: "replay" } });
    try {
      await expect(runtime.backend()).rejects.toMatchObject({ code: "CASSETTE_FAILED", hint: expect.stringContaining("--record") });
    } finally {
      await runtime.close();
    }
  });
});
