import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ChatOptions, ModelProvider } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlamaProvider } from "../provider/llama-provider";
import { resolveTestModel } from "../testing/index";
import { openCassette } from "./cassette";
import { cassetteProvider } from "./cassette-provider";

let dir: string;
let llama: ModelProvider;
let model: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cassette-"));
  model = (await resolveTestModel()).path;
  llama = createLlamaProvider({ threads: 1 });
});

afterAll(async () => {
  await llama?.close?.();
  await rm(dir, { recursive: true, force: true });
});

const ask = (content: string): ChatOptions => ({ model, messages: [{ role: "user", content }], maxTokens: 12, temperature: 0.9, seed: 7 });

async function streamed(provider: ModelProvider, options: ChatOptions): Promise<{ deltas: string[]; text: string }> {
  const deltas: string[] = [];
  let text = "";
  for await (const part of provider.streamChat(options)) {
    if (part.type === "text-delta") deltas.push(part.text);
    else text = part.result.text;
  }
  return { deltas, text };
}

describe("cassetteProvider on the embedded model", () => {
  it("replays recorded calls exactly, with no model, and identical requests in order", async () => {
    const file = path.join(dir, "tape.db");
    const recording = openCassette(file, { mode: "record" });
    const recorder = cassetteProvider({ cassette: recording, mode: "record", live: llama });
    const first = await recorder.chat(ask("Once upon a time"));
    const second = await recorder.chat({ ...ask("Once upon a time"), seed: 8 });
    const unseeded: ChatOptions = { model, messages: [{ role: "user", content: "Once upon a time" }], maxTokens: 12, temperature: 1.2 };
    const again = await recorder.chat(unseeded);
    const again2 = await recorder.chat(unseeded);
    const stream = await streamed(recorder, ask("The cat"));
    expect(recording.count()).toBe(5);
    recording.close();

    const cassette = openCassette(file, { mode: "replay" });
    const replay = cassetteProvider({ cassette, mode: "replay" });
    expect(replay.id).toBe(llama.id);
    expect(replay.capabilities).toEqual(llama.capabilities);
    expect(await replay.chat(ask("Once upon a time"))).toEqual(first);
    expect(await replay.chat({ ...ask("Once upon a time"), seed: 8 })).toEqual(second);
    expect(await replay.chat(unseeded)).toEqual(again);
    expect(await replay.chat(unseeded)).toEqual(again2);
    expect(await streamed(replay, ask("The cat"))).toEqual(stream);
    expect(stream.deltas.length).toBeGreaterThan(1);
    expect(stream.deltas.join("")).toBe(stream.text);
    // A request that was not recorded, or asked once more than it was.
    await expect(replay.chat(ask("Something new"))).rejects.toMatchObject({
      code: "CASSETTE_MISS",
      message: expect.stringContaining("Something new"),
      hint: expect.stringContaining("--record"),
    });
    await expect(replay.chat(ask("Once upon a time"))).rejects.toMatchObject({ code: "CASSETTE_MISS" });
    cassette.close();
  }, 120_000);

  it("sends misses to the live model and records them with replay-or-live", async () => {
    const file = path.join(dir, "mixed.db");
    const first = cassetteProvider({ cassette: openCassette(file, { mode: "record" }), mode: "record", live: llama });
    const recorded = await first.chat(ask("A dog"));
    const cassette = openCassette(file, { mode: "replay-or-live" });
    const mixed = cassetteProvider({ cassette, mode: "replay-or-live", live: llama });
    expect(await mixed.chat(ask("A dog"))).toEqual(recorded);
    const fresh = await mixed.chat(ask("A bird"));
    expect(cassette.count()).toBe(2);
    cassette.close();
    const replay = cassetteProvider({ cassette: openCassette(file, { mode: "replay" }), mode: "replay" });
    expect(await replay.chat(ask("A bird"))).toEqual(fresh);
  }, 120_000);

  it("refuses a file that is not a cassette, and a missing one to replay, with what to do", async () => {
    const other = path.join(dir, "notes.txt");
    await writeFile(other, "not a database at all, just some text that is long enough to be read as a header".repeat(20));
    expect(() => openCassette(other, { mode: "replay" })).toThrow(expect.objectContaining({ code: "CASSETTE_FAILED" }));
    expect(() => openCassette(path.join(dir, "missing.db"), { mode: "replay" })).toThrow(
      expect.objectContaining({ code: "CASSETTE_FAILED", hint: expect.stringContaining("--record") }),
    );
  });
  it("records a call that failed (a prompt over the context) and fails it the same way on replay; replay-or-live tries it live again", async () => {
    const file = path.join(dir, "failures.db");
    const tooLong: ChatOptions = { model, messages: [{ role: "user", content: "Once upon a time there was a cat. ".repeat(600) }], maxTokens: 4 };
    const recording = openCassette(file, { mode: "record" });
    const recorder = cassetteProvider({ cassette: recording, mode: "record", live: llama });
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => ({ code: "", message: "it did not fail" }),
        (error: unknown) => error as { code: string; message: string },
      );
    const live = await failure(recorder.chat(tooLong));
    expect(live.message).toMatch(/has a context of/);
    const liveStream = await failure(streamed(recorder, tooLong));
    expect(liveStream.message).toMatch(/has a context of/);
    expect(recording.count()).toBe(2);
    recording.close();

    const replaying = openCassette(file, { mode: "replay" });
    const player = cassetteProvider({ cassette: replaying, mode: "replay" });
    await expect(player.chat(tooLong)).rejects.toMatchObject({ code: live.code, message: live.message });
    await expect(streamed(player, tooLong)).rejects.toMatchObject({ code: liveStream.code, message: liveStream.message });
    replaying.close();

    const retrying = openCassette(file, { mode: "replay-or-live" });
    let liveCalls = 0;
    const counting: ModelProvider = { ...llama, chat: (options) => (liveCalls++, llama.chat(options)) };
    await expect(cassetteProvider({ cassette: retrying, mode: "replay-or-live", live: counting }).chat(tooLong)).rejects.toMatchObject({ code: live.code });
    expect(liveCalls).toBe(1);
    retrying.close();
  }, 120_000);
});
