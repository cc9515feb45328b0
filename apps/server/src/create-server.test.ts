import path from "node:path";
import { fileURLToPath } from "node:url";
import { TinyLLMError } from "@tinyllm/core";
import { createRuntime, type Runtime } from "@tinyllm/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTinyLLMServer } from "./create-server";

const chainGraph = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../graphs/chain.yaml");
let runtime: Runtime;

beforeAll(async () => {
  runtime = await createRuntime({ verdictStore: false, runStore: false, env: {} });
});

afterAll(async () => {
  await runtime?.close();
});

const chat = (content: string) =>
  new Request("http://127.0.0.1/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "chain", messages: [{ role: "user", content }], stream: false }),
  });

describe("whole answers", () => {
  it.each([
    ["without CORS", undefined],
    ["with CORS", ["http://example.test"]],
  ])("are handed back at the end of the event loop's turn, streamed ones at once (%s)", async (_name, corsOrigins) => {
    const server = await createTinyLLMServer({ runtime, graphs: [chainGraph], log: () => undefined, ...(corsOrigins ? { corsOrigins } : {}) });
    for (const stream of [false, true]) {
      const order: string[] = [];
      const request = new Request("http://127.0.0.1/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "chain", messages: [{ role: "user", content: "hold me" }], stream }),
      });
      const answered = Promise.resolve(server.fetch(request)).then((response) => {
        order.push("answer");
        return response;
      });
      setImmediate(() => order.push("immediate"));
      const response = await answered;
      expect(response.status).toBe(200);
      // The chain graph needs no I/O: without the hold its whole answer would be ready in this
      // turn's microtasks, before any immediate.
      expect(order[0]).toBe(stream ? "answer" : "immediate");
      expect(await response.text()).toContain("hold me");
    }
    await server.close();
  });
});

describe("keepFinishedRuns", () => {
  it("bounds the finished runs /v1/runs lists from memory, newest first", async () => {
    const server = await createTinyLLMServer({ runtime, graphs: [chainGraph], keepFinishedRuns: 2, log: () => undefined });
    const ids: string[] = [];
    for (const content of ["one", "two", "three"]) {
      const response = await server.fetch(chat(content));
      expect(response.status).toBe(200);
      ids.push(response.headers.get("X-TinyLLM-Run-Id") ?? "");
    }
    expect(ids.every((id) => id.startsWith("run_"))).toBe(true);
    const { data } = (await (await server.fetch(new Request("http://127.0.0.1/v1/runs?limit=10"))).json()) as { data: Array<{ id: string }> };
    expect(data.map((run) => run.id)).toEqual([ids[2], ids[1]]);
    expect((await server.fetch(new Request(`http://127.0.0.1/v1/runs/${ids[0]}`))).status).toBe(404);
    await server.close();
  });

  it("keeps the 50 most recent by default", async () => {
    const server = await createTinyLLMServer({ runtime, graphs: [chainGraph], log: () => undefined });
    for (let index = 0; index < 52; index++) expect((await server.fetch(chat(`query ${index}`))).status).toBe(200);
    const { data } = (await (await server.fetch(new Request("http://127.0.0.1/v1/runs?limit=1000"))).json()) as { data: Array<{ id: string }> };
    expect(data).toHaveLength(50);
    await server.close();
  });

  it("refuses a value that is not a whole number of at least 0, saying what to give", async () => {
    for (const keepFinishedRuns of [-1, 1.5, Number.NaN]) {
      const error = await createTinyLLMServer({ runtime, graphs: [chainGraph], keepFinishedRuns, log: () => undefined }).catch((caught: unknown) => caught);
      expect(TinyLLMError.isInstance(error)).toBe(true);
      expect((error as TinyLLMError).code).toBe("INVALID_ARGUMENT");
      expect((error as TinyLLMError).message).toMatch(/keepFinishedRuns must be a whole number/);
    }
  });
});
