/**
 * One server of the server benchmark, in its own process so the load generator does not share
 * its event loop:
 *
 *   tsx server/serve-target.ts tinyllm-chain | hono-graph | hono | hono-coalesced | fastify | tinyllm-model --model-file F
 *
 * Each imports only what it serves. Listens on a free loopback port, prints `{"url":"http://127.0.0.1:PORT"}` on stdout, and exits
 * when its stdin closes (so it never outlives the benchmark). A line `cpu` on stdin is answered
 * with `{"cpuUs":N}` on stdout: the process's CPU time so far (user and system, every thread), in
 * microseconds, so the benchmark can divide a round's CPU by its requests.
 *
 * - `tinyllm-chain`: `@tinyllm/server` serving `graphs/chain.yaml` (three transforms, no model).
 * - `hono-graph`: hono running the same chain graph with `runGraph` of `@tinyllm/core` and
 *   nothing else: the floor of serving a graph on this framework.
 * - `hono`, `fastify`: a bare app on the same framework (hono on @hono/node-server) and on
 *   fastify 5, answering POST /api/chat with a JSON object shaped like the server's.
 * - `hono-coalesced`: the bare hono app, its answers held until the end of the event loop's turn
 *   and written together, as `@tinyllm/server` writes its whole chat answers: what that technique
 *   alone does for a hello-world.
 * - `tinyllm-model`: `@tinyllm/server` serving `one-model.yaml` on the embedded engine, 1 thread.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const kind = process.argv[2];
const at = process.argv.indexOf("--model-file");
const modelFile = at >= 0 ? process.argv[at + 1] : undefined;

/** Enough for 64 connections: the defaults (4 running, 16 queued per key) answer the rest 429. */
const limits = { maxConcurrentPerKey: 256, maxQueuedPerKey: 256 };

interface ChatBody {
  model?: string;
  messages?: { role: string; content: string }[];
}

/** What the chain graph answers, in the shape of a non-streamed Ollama /api/chat answer. */
function chatAnswer(body: ChatBody) {
  const query = body.messages?.at(-1)?.content ?? "";
  return {
    model: body.model ?? "chain",
    created_at: new Date().toISOString(),
    message: { role: "assistant", content: `<<${query.trim().toLowerCase()}>>` },
    done: true,
    done_reason: "stop",
    total_duration: 0,
    load_duration: 0,
    prompt_eval_count: 0,
    prompt_eval_duration: 0,
    eval_count: 0,
    eval_duration: 0,
  };
}

let turn: Promise<void> | undefined;
/** Resolves at the next `setImmediate`, one promise for every caller in the turn (the server's `endOfTurn`). */
function endOfTurn(): Promise<void> {
  turn ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      turn = undefined;
      resolve();
    }),
  );
  return turn;
}

async function start(): Promise<{ url: string; close: () => Promise<unknown> }> {
  switch (kind) {
    case "tinyllm-chain": {
      const [{ createRuntime }, { startServer }] = await Promise.all([import("@tinyllm/runtime"), import("@tinyllm/server")]);
      const runtime = await createRuntime({ verdictStore: false, runStore: false, env: {} });
      const running = await startServer({ runtime, graphs: [path.resolve(here, "../../graphs/chain.yaml")], port: 0, limits });
      return { url: running.url, close: () => running.close({ graceMs: 0 }) };
    }
    case "tinyllm-model": {
      if (!modelFile) throw new Error("tinyllm-model needs --model-file");
      const [{ createRuntime }, { startServer }] = await Promise.all([import("@tinyllm/runtime"), import("@tinyllm/server")]);
      const runtime = await createRuntime({
        flags: { provider: "llama", modelFile, threads: 1 },
        verdictStore: false,
        runStore: false,
        env: {},
      });
      const running = await startServer({ runtime, graphs: [path.join(here, "one-model.yaml")], port: 0, limits });
      return { url: running.url, close: () => running.close({ graceMs: 0 }) };
    }
    case "hono":
    case "hono-coalesced": {
      const [{ Hono }, { serve }] = await Promise.all([import("hono"), import("@hono/node-server")]);
      const app = new Hono();
      if (kind === "hono") app.post("/api/chat", async (c) => c.json(chatAnswer(await c.req.json<ChatBody>())));
      else
        app.post("/api/chat", async (c) => {
          const answer = c.json(chatAnswer(await c.req.json<ChatBody>()));
          await endOfTurn();
          return answer;
        });
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const listening = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(listening));
      });
      const address = server.address() as { port: number };
      return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(resolve)) };
    }
    case "hono-graph": {
      // The floor of serving a graph on this framework: parse, run the same chain graph with
      // @tinyllm/core's runGraph, answer. None of the server's keys, limits, run hub, metrics or logs.
      const [{ Hono }, { serve }, { builtinNodeKinds, createNodeRegistry, loadGraphFile, runGraph }] = await Promise.all([
        import("hono"),
        import("@hono/node-server"),
        import("@tinyllm/core"),
      ]);
      const loaded = await loadGraphFile(path.resolve(here, "../../graphs/chain.yaml"), { registry: createNodeRegistry(builtinNodeKinds) });
      if (!loaded.ok) throw new Error("graphs/chain.yaml does not load");
      const graph = loaded.graph;
      const app = new Hono();
      app.post("/api/chat", async (c) => {
        const body = await c.req.json<ChatBody>();
        const result = await runGraph(graph, { input: body.messages?.at(-1)?.content ?? "" });
        return c.json({ ...chatAnswer(body), message: { role: "assistant", content: String(result.output) } });
      });
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const listening = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(listening));
      });
      const address = server.address() as { port: number };
      return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(resolve)) };
    }
    case "fastify": {
      const { default: Fastify } = await import("fastify");
      const app = Fastify({ logger: false });
      app.post("/api/chat", async (request) => chatAnswer(request.body as ChatBody));
      const url = await app.listen({ host: "127.0.0.1", port: 0 });
      return { url, close: () => app.close() };
    }
    default:
      throw new Error(`unknown server '${kind}': tinyllm-chain, tinyllm-model, hono-graph, hono, hono-coalesced or fastify`);
  }
}

const server = await start();
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.setEncoding("utf8");
let commands = "";
process.stdin.on("data", (chunk: string) => {
  commands += chunk;
  let newline: number;
  while ((newline = commands.indexOf("\n")) >= 0) {
    const command = commands.slice(0, newline).trim();
    commands = commands.slice(newline + 1);
    if (command === "cpu") {
      const usage = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ cpuUs: usage.user + usage.system })}\n`);
    }
  }
});
process.stdin.on("end", () => {
  void server.close().finally(() => process.exit(0));
});
