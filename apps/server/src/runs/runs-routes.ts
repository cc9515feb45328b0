import { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import { nodeInfoOf, runSpans, type RunEvent, type RunResult } from "@tinyllm/core";
import { readJson } from "../http/read-json";
import { serverError } from "../http/server-error";
import type { ServerContext, ServerEnv } from "../server-context";
import { checkQueryLength } from "./conversation";
import type { LiveRun, NumberedEvent } from "./run-hub";
import { storedRun, storedRunEvents, storedRuns, type RunSummary } from "./stored-runs";

const StartRunSchema = z.strictObject({
  graph: z.string().min(1).optional(),
  input: z.unknown(),
  state: z.record(z.string(), z.unknown()).optional(),
  seed: z.int().optional(),
});

/** The gate's verdicts among a run's events. */
export function verdictsOf(events: readonly RunEvent[]) {
  return events.flatMap((event) => {
    const verdict = nodeInfoOf(event, "verdict");
    return verdict ? [{ nodeId: event.type === "node-info" ? event.nodeId : "", ...verdict }] : [];
  });
}

/** A run as `GET /v1/runs/{id}` shows it. */
export function runBody(run: LiveRun, result: RunResult | undefined) {
  const events = run.events.map((item) => item.event);
  const route = events.map((event) => nodeInfoOf(event, "route")).find((info) => info !== undefined);
  return {
    id: run.id,
    graph: run.graphId,
    source: run.source,
    status: run.status,
    startedAt: new Date(run.startedAtMs).toISOString(),
    input: events[0]?.type === "run-start" ? events[0].input : undefined,
    route: route ?? null,
    output: result?.output ?? null,
    error: result?.error ?? null,
    durationMs: result?.durationMs ?? null,
    verdicts: verdictsOf(events),
    trace: result?.trace ?? null,
    events: run.events.length,
  };
}

/** The runs API: start, list, read, follow (SSE, resumable with `Last-Event-ID`) and cancel runs. */
export function runsRoutes(server: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();

  app.post("/v1/runs", async (c) => {
    const body = await readJson(c, StartRunSchema, server.limits.maxBodyBytes);
    if (body.input === undefined || body.input === null || (typeof body.input === "string" && body.input.trim() === ""))
      throw serverError("SERVER_BAD_REQUEST", "input is empty", 'send the run\'s input, e.g. {"input":"What is 2+2?"}');
    if (typeof body.input === "string") checkQueryLength(body.input, server.limits.maxQueryChars);
    else if (JSON.stringify(body.input ?? null).length > server.limits.maxQueryChars) checkQueryLength(JSON.stringify(body.input), server.limits.maxQueryChars);
    const graph = body.graph ? server.graphs.get(body.graph) : server.graphs.first;
    const run = await server.hub.start({
      graph,
      input: body.input ?? "",
      ...(body.state ? { state: body.state } : {}),
      ...(body.seed !== undefined ? { sampling: { seed: body.seed } } : {}),
      source: "v1/runs",
      key: c.get("apiKey"),
      waitSignal: c.req.raw.signal,
      deadlineMs: server.limits.requestDeadlineMs,
    });
    c.header("Location", `/v1/runs/${run.id}`);
    return c.json({ id: run.id, status: run.status, graph: run.graphId, events: `/v1/runs/${run.id}/events` }, 202);
  });

  app.get("/v1/runs", async (c) => {
    const limitText = c.req.query("limit");
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw serverError("SERVER_BAD_REQUEST", "limit must be a whole number from 1 to 1000", "e.g. /v1/runs?limit=20");
    const live: RunSummary[] = server.hub.recent().map((run) => summaryOf(run, run.outcome));
    const stored = await storedRuns(server.runtime, limit);
    const seen = new Set(live.map((run) => run.id));
    const runs = [...live, ...stored.filter((run) => !seen.has(run.id))].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)).slice(0, limit);
    return c.json({ object: "list", data: runs });
  });

  app.get("/v1/runs/:id", async (c) => {
    const id = c.req.param("id");
    const run = server.hub.get(id);
    if (run) return c.json(runBody(run, run.status === "running" ? undefined : await run.result));
    const stored = await storedRun(server.runtime, id);
    if (!stored) throw serverError("SERVER_RUN_NOT_FOUND", `no run '${id}'`, "list runs with GET /v1/runs");
    return c.json(stored);
  });

  app.delete("/v1/runs/:id", async (c) => {
    const id = c.req.param("id");
    const run = server.hub.get(id);
    if (!run) {
      if (await storedRun(server.runtime, id)) return c.json({ id, status: "ended", cancelled: false });
      throw serverError("SERVER_RUN_NOT_FOUND", `no run '${id}'`, "list runs with GET /v1/runs");
    }
    const wasRunning = run.status === "running";
    run.cancel("cancelled through DELETE /v1/runs/{id}");
    const result = await run.result;
    return c.json({ id, status: result.status, cancelled: wasRunning });
  });

  app.get("/v1/runs/:id/events", async (c) => {
    const id = c.req.param("id");
    const fromHeader = c.req.header("Last-Event-ID") ?? c.req.query("after");
    const after = fromHeader === undefined ? 0 : Number(fromHeader);
    if (!Number.isInteger(after) || after < 0)
      throw serverError("SERVER_BAD_REQUEST", "Last-Event-ID must be the number of an event", "resume with the id of the last event you got");
    const run = server.hub.get(id);
    const stored = run ? undefined : await storedRunEvents(server.runtime, id, after);
    if (!run && !stored) throw serverError("SERVER_RUN_NOT_FOUND", `no run '${id}'`, "list runs with GET /v1/runs");
    c.header("Content-Type", "text/event-stream; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    c.header("X-Accel-Buffering", "no");
    // HEAD gets the headers only: a stream nobody reads would never end.
    if (c.req.method === "HEAD") return c.body(null, 200);
    return stream(c, async (out) => {
      const send = (item: NumberedEvent) => out.write(`id: ${item.seq}\ndata: ${JSON.stringify(item.event)}\n\n`);
      if (!run) {
        for (const item of stored!) await send(item);
        await out.write("event: end\ndata: {}\n\n");
        return;
      }
      const queue: NumberedEvent[] = [];
      let ended = false;
      let wake: (() => void) | undefined;
      const unsubscribe = run.subscribe(
        after,
        (item) => {
          queue.push(item);
          wake?.();
        },
        () => {
          ended = true;
          wake?.();
        },
      );
      out.onAbort(() => {
        unsubscribe();
        ended = true;
        wake?.();
      });
      try {
        const heartbeat = setInterval(() => void out.write(": keep-alive\n\n").catch(() => undefined), 15_000);
        heartbeat.unref();
        try {
          for (;;) {
            while (queue.length > 0) await send(queue.shift()!);
            if (ended) break;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
        } finally {
          clearInterval(heartbeat);
        }
        if (!out.aborted) await out.write("event: end\ndata: {}\n\n");
      } finally {
        unsubscribe();
      }
    });
  });

  return app;
}

/** A run as the list shows it. */
export function summaryOf(run: LiveRun, result: RunResult | undefined): RunSummary {
  const events = run.events.map((item) => item.event);
  const route = events.map((event) => nodeInfoOf(event, "route")).find((info) => info !== undefined);
  const verdicts = verdictsOf(events);
  const last = verdicts.at(-1);
  let inputTokens = 0;
  let outputTokens = 0;
  for (const span of result ? runSpans(result) : []) {
    if (span.kind === "model" && span.tokens) {
      inputTokens += span.tokens.input ?? 0;
      outputTokens += span.tokens.output ?? 0;
    }
  }
  const input = events[0]?.type === "run-start" ? events[0].input : undefined;
  return {
    id: run.id,
    graph: run.graphId,
    source: run.source,
    status: run.status,
    startedAt: new Date(run.startedAtMs).toISOString(),
    durationMs: result?.durationMs ?? null,
    route: route?.route ?? null,
    verdict: last ? (last.pass === null ? null : last.pass ? "pass" : "fail") : null,
    tokens: { input: inputTokens, output: outputTokens },
    input: Array.from(typeof input === "string" ? input : JSON.stringify(input ?? null))
      .slice(0, 200)
      .join(""),
  };
}
