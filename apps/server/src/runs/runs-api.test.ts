import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { RunEvent } from "@tinyllm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/start-test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

/** Reads an SSE response to its end: each frame's id, event name and parsed data. */
async function readFrames(response: Response): Promise<Array<{ id?: number; event?: string; data: unknown }>> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() !== "" && !frame.startsWith(":"))
    .map((frame) => {
      const fields = Object.fromEntries(frame.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]));
      return { ...(fields.id ? { id: Number(fields.id) } : {}), ...(fields.event ? { event: fields.event } : {}), data: JSON.parse(fields.data ?? "null") };
    });
}

describe("the runs API", () => {
  it("starts a run with 202, streams its typed events as SSE, and resumes after Last-Event-ID", async () => {
    const started = await fetch(`${server.url}/v1/runs`, {
      method: "POST",
      body: JSON.stringify({ graph: "multi_domain", input: "Tell me a story about a cat." }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    expect(started.headers.get("Location")).toBe(`/v1/runs/${id}`);
    const frames = await readFrames(await fetch(`${server.url}/v1/runs/${id}/events`));
    const events = frames.filter((frame) => frame.event === undefined).map((frame) => frame.data as RunEvent);
    expect(frames.at(-1)!.event).toBe("end");
    expect(events[0]!.type).toBe("run-start");
    expect(events.at(-1)!.type).toBe("run-end");
    const types = new Set(events.map((event) => event.type));
    for (const type of ["node-start", "node-end", "token-delta", "node-info"]) expect(types, type).toContain(type);
    expect(events.some((event) => event.type === "node-info" && event.name === "route")).toBe(true);
    expect(events.some((event) => event.type === "node-info" && event.name === "verdict")).toBe(true);
    const ids = frames.filter((frame) => frame.id !== undefined).map((frame) => frame.id!);
    expect(ids).toEqual(ids.map((_, index) => index + 1));
    const resumed = await readFrames(await fetch(`${server.url}/v1/runs/${id}/events`, { headers: { "Last-Event-ID": "3" } }));
    expect(resumed.filter((frame) => frame.id !== undefined).map((frame) => frame.id)).toEqual(ids.slice(3));

    const run = (await (await fetch(`${server.url}/v1/runs/${id}`)).json()) as {
      status: string;
      output: string;
      trace: { spans: Array<{ kind: string }> };
      verdicts: Array<{ pass: boolean | null }>;
      route: { route: string };
    };
    expect(run.status).toBe("ok");
    expect(run.output.length).toBeGreaterThan(0);
    expect(run.trace.spans.some((span) => span.kind === "model")).toBe(true);
    expect(run.verdicts.length).toBeGreaterThan(0);
    expect(run.route.route).toBe("general");
  });

  it("lists recent runs newest first, and refuses a bad limit", async () => {
    const second = (await (await fetch(`${server.url}/v1/runs`, { method: "POST", body: JSON.stringify({ input: "What is 2+2?" }) })).json()) as { id: string };
    await (await fetch(`${server.url}/v1/runs/${second.id}/events`)).text();
    const { data } = (await (await fetch(`${server.url}/v1/runs?limit=2`)).json()) as {
      data: Array<{ id: string; status: string; route: string; verdict: string }>;
    };
    expect(data).toHaveLength(2);
    expect(data[0]).toMatchObject({ id: second.id, status: "ok", route: "math", verdict: "pass" });
    expect((await fetch(`${server.url}/v1/runs?limit=0`)).status).toBe(400);
    expect((await fetch(`${server.url}/v1/runs?limit=abc`)).status).toBe(400);
  });

  it("cancels a running run with DELETE: the abort reaches the model call in flight", async () => {
    const { id } = (await (
      await fetch(`${server.url}/v1/runs`, { method: "POST", body: JSON.stringify({ input: "Tell me a long story about a dragon." }) })
    ).json()) as {
      id: string;
    };
    // Wait until the model is writing: the first token of the answer.
    const events = await fetch(`${server.url}/v1/runs/${id}/events`);
    const reader = events.body!.getReader();
    let seen = "";
    while (!seen.includes('"type":"token-delta"')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    const deleted = await fetch(`${server.url}/v1/runs/${id}`, { method: "DELETE" });
    expect(await deleted.json()).toEqual({ id, status: "cancelled", cancelled: true });
    await reader.cancel();
    const run = (await (await fetch(`${server.url}/v1/runs/${id}`)).json()) as { status: string; trace: { spans: Array<{ kind: string; status: string }> } };
    expect(run.status).toBe("cancelled");
    expect(run.trace.spans.filter((span) => span.kind === "model").at(-1)!.status).toBe("error");
  });

  it("answers unknown runs and bad bodies with 404 and 400", async () => {
    expect((await fetch(`${server.url}/v1/runs/run_nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/v1/runs/run_nope/events`)).status).toBe(404);
    expect((await fetch(`${server.url}/v1/runs/run_nope`, { method: "DELETE" })).status).toBe(404);
    expect((await fetch(`${server.url}/v1/runs`, { method: "POST", body: JSON.stringify({ graph: "nope", input: "x" }) })).status).toBe(404);
    expect((await fetch(`${server.url}/v1/runs`, { method: "POST", body: JSON.stringify({ input: "x", extra: 1 }) })).status).toBe(400);
    expect((await fetch(`${server.url}/v1/runs`, { method: "POST", body: JSON.stringify({ input: "x", state: [] }) })).status).toBe(400);
    for (const input of ["", "   ", null]) expect((await fetch(`${server.url}/v1/runs`, { method: "POST", body: JSON.stringify({ input }) })).status).toBe(400);
  });

  it("answers HEAD on the events without holding a stream open", async () => {
    const { id } = (await (await fetch(`${server.url}/v1/runs`, { method: "POST", body: JSON.stringify({ input: "What is 2+2?" }) })).json()) as { id: string };
    const head = await fetch(`${server.url}/v1/runs/${id}/events`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("Content-Type")).toContain("text/event-stream");
    await (await fetch(`${server.url}/v1/runs/${id}/events`)).text();
  });

  it("keeps the runs across a restart: listed, read and replayed from the store", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-restart-"));
    try {
      const first = await startTestServer({ dir });
      const answer = await fetch(`${first.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "multi_domain", messages: [{ role: "user", content: "What is 2+2?" }], stream: false }),
      });
      const id = answer.headers.get("X-TinyLLM-Run-Id")!;
      await first.stop();
      const second = await startTestServer({ dir });
      try {
        const { data } = (await (await fetch(`${second.url}/v1/runs`)).json()) as {
          data: Array<{ id: string; status: string; route: string; source: string }>;
        };
        expect(data.find((run) => run.id === id)).toMatchObject({ status: "ok", route: "math", source: "api/chat" });
        const run = (await (await fetch(`${second.url}/v1/runs/${id}`)).json()) as { output: string; trace: { spans: unknown[] }; verdicts: unknown[] };
        expect(run.output).toBe("4");
        expect(run.trace.spans.length).toBeGreaterThan(3);
        expect(run.verdicts.length).toBeGreaterThan(0);
        const frames = await readFrames(await fetch(`${second.url}/v1/runs/${id}/events`, { headers: { "Last-Event-ID": "1" } }));
        const events = frames.filter((frame) => frame.id !== undefined);
        expect(events[0]!.id).toBe(2);
        expect((events.at(-1)!.data as RunEvent).type).toBe("run-end");
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("describes the served graphs for drawing", async () => {
    const graph = (await (await fetch(`${server.url}/v1/graphs/multi_domain`)).json()) as { entry: string; nodes: Array<{ id: string }>; edges: unknown[] };
    expect(graph.nodes.map((node) => node.id)).toContain(graph.entry);
    expect(graph.edges.length).toBeGreaterThan(0);
  });
});
