/**
 * Server overhead: requests/s of `@tinyllm/server` on a graph that needs no model against bare
 * hello-world apps, and time to first token through `/api/chat` against the provider called
 * directly.
 *
 *   pnpm bench:server [--rounds 3] [--seconds 10] [--connections 64] [--ttft-rounds 20] [--model-file F] [--smoke]
 *
 * Throughput: POST /api/chat (`stream: false`) at 64 connections with autocannon, against
 * TinyLLM serving `graphs/chain.yaml` (three deterministic transforms), a bare hono app on
 * @hono/node-server (the server's own framework) and a bare fastify 5 app, both answering the
 * same-shaped JSON, and hono running the same graph with `runGraph` and nothing else (the floor
 * of serving a graph). A fifth, bare hono with its answers written together at the end of each
 * event-loop turn as the server writes them, shows what that technique alone gives a hello-world.
 * Each server runs in its own child process; after a warm-up, the rounds run them alternately
 * (order reversed every other round) and the medians are reported.
 *
 * Time to first token: `one-model.yaml` (the query straight to one model node, greedy, 16 tokens)
 * served on the embedded engine, streamed, against `createLlamaProvider(...).streamChat` in this
 * process on the same model file, prompt and settings, 1 thread, alternately. The model is
 * `resolveTestModel()` from `@tinyllm/models/testing` unless `--model-file` is given.
 *
 * Prints a table and, as its last line, one JSON object. Fails on any error or non-2xx answer;
 * a missed target is reported, not failed. `--smoke`: 1 round of 1 s, 2 TTFT samples.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLlamaProvider, loadPrompts } from "@tinyllm/models";
import { resolveTestModel } from "@tinyllm/models/testing";
import autocannon from "autocannon";
import { median, sizeFlag, smoke } from "../executor/stats";

const here = path.dirname(fileURLToPath(import.meta.url));
const rounds = sizeFlag("rounds", 3, 1);
const seconds = sizeFlag("seconds", 10, 1);
const connections = sizeFlag("connections", 64, 64);
const ttftRounds = sizeFlag("ttft-rounds", 20, 2);
const at = process.argv.indexOf("--model-file");
const modelFile = at >= 0 ? path.resolve(process.argv[at + 1] as string) : (await resolveTestModel()).path;
const query = "Once upon a time, there was a little girl named Lily.";
const targets = { ratio: 0.5, ttftOverheadMs: 10 };

const logDir = mkdtempSync(path.join(os.tmpdir(), "tinyllm-bench-server-"));

interface Target {
  name: string;
  url: string;
  child: ChildProcess;
  logFile: string;
  /** Waiting for the answer to a `cpu` command. */
  cpuWaiters: Array<(cpuUs: number) => void>;
}

/** Starts `serve-target.ts kind` in a child process; its stderr (the server's request log) goes to a file. */
async function startTarget(name: string, args: string[]): Promise<Target> {
  const logFile = path.join(logDir, `${name}.log`);
  const log = openSync(logFile, "w");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "serve-target.ts"), ...args], {
    cwd: path.resolve(here, ".."),
    stdio: ["pipe", "pipe", log],
  });
  closeSync(log);
  const cpuWaiters: Target["cpuWaiters"] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      let newline: number;
      while ((newline = out.indexOf("\n")) >= 0) {
        const line = out.slice(0, newline);
        out = out.slice(newline + 1);
        if (!line.startsWith("{")) continue;
        const message = JSON.parse(line) as { url?: string; cpuUs?: number };
        if (message.url !== undefined) resolve(message.url);
        if (message.cpuUs !== undefined) cpuWaiters.shift()?.(message.cpuUs);
      }
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before listening:\n${readFileSync(logFile, "utf8").slice(-2000)}`)));
  });
  return { name, url, child, logFile, cpuWaiters };
}

/** The target process's CPU time so far (user and system), in microseconds. */
function cpuOf(target: Target): Promise<number> {
  return new Promise((resolve) => {
    target.cpuWaiters.push(resolve);
    target.child.stdin?.write("cpu\n");
  });
}

async function stopTarget(target: Target): Promise<void> {
  const exited = new Promise((resolve) => target.child.once("exit", resolve));
  target.child.stdin?.end();
  const timer = setTimeout(() => target.child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

const chatBody = (model: string, stream: boolean) => JSON.stringify({ model, messages: [{ role: "user", content: query }], stream });

/**
 * One autocannon run; throws on any error, timeout or non-2xx answer. Returns requests/s and the
 * server's CPU time per request (µs): its process's CPU over the run over the requests answered.
 */
async function load(target: Target, model: string, durationS: number): Promise<{ rps: number; cpuUs: number }> {
  const cpuBefore = await cpuOf(target);
  const result = await autocannon({
    url: `${target.url}/api/chat`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: chatBody(model, false),
    connections,
    duration: durationS,
  });
  const bad = result.errors + result.timeouts + result.non2xx;
  if (bad > 0 || result.requests.total === 0)
    throw new Error(
      `${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers of ${result.requests.total} requests\n  server log: ${target.logFile}\n${readFileSync(target.logFile, "utf8").slice(-2000)}`,
    );
  const cpuUs = ((await cpuOf(target)) - cpuBefore) / result.requests.total;
  return { rps: result.requests.total / result.duration, cpuUs };
}

// --- Throughput ---------------------------------------------------------------------------------

const servers: { key: string; model: string; target: Target }[] = [];
const keys = ["tinyllm", "hono-graph", "hono", "hono-coalesced", "fastify"];
const rps: Record<string, number[]> = Object.fromEntries(keys.map((key) => [key, []]));
const cpu: Record<string, number[]> = Object.fromEntries(keys.map((key) => [key, []]));
const ttftServer: number[] = [];
const ttftDirect: number[] = [];
let ttftTokens = 0;
let failed: unknown;
try {
  const started = await Promise.allSettled(keys.map((key) => startTarget(key, [key === "tinyllm" ? "tinyllm-chain" : key])));
  for (const outcome of started) if (outcome.status === "fulfilled") servers.push({ key: outcome.value.name, model: "chain", target: outcome.value });
  for (const outcome of started) if (outcome.status === "rejected") throw outcome.reason;
  // Each answers the same text: the chain lower-cases and wraps the query.
  for (const { target, model } of servers) {
    const response = await fetch(`${target.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: chatBody(model, false) });
    const answer = (await response.json()) as { message?: { content?: string } };
    const expected = `<<${query.toLowerCase()}>>`;
    if (!response.ok || answer.message?.content !== expected)
      throw new Error(`${target.name} answered ${response.status} ${JSON.stringify(answer)}, expected the content ${expected}`);
  }
  for (const { target, model } of servers) await load(target, model, smoke ? 1 : 3);
  for (let r = 0; r < rounds; r++) {
    for (const { key, target, model } of r % 2 === 0 ? servers : [...servers].reverse()) {
      const measured = await load(target, model, seconds);
      rps[key]?.push(measured.rps);
      cpu[key]?.push(measured.cpuUs);
    }
  }
} catch (error) {
  failed = error;
} finally {
  for (const { target } of servers) await stopTarget(target);
}

// --- Time to first token ------------------------------------------------------------------------

if (failed === undefined) {
  const general = (await loadPrompts({ dir: path.resolve(here, "../../prompts") })).get("general");
  if (!general) throw new Error("prompts/general.yaml is missing");
  const provider = createLlamaProvider({ modelPath: modelFile, threads: 1, gpu: false });
  const server = await startTarget("tinyllm-model", ["tinyllm-model", "--model-file", modelFile]);
  try {
    /** ms from the call to the first text, through the provider; reads the answer to its end. */
    const direct = async (): Promise<number> => {
      const started = performance.now();
      let first: number | undefined;
      for await (const part of provider.streamChat({
        model: modelFile,
        ...(general.system ? { system: general.system } : {}),
        messages: [{ role: "user", content: query }],
        temperature: 0,
        maxTokens: 16,
      })) {
        if (part.type === "text-delta" && part.text.length > 0) first ??= performance.now() - started;
      }
      if (first === undefined) throw new Error("the provider streamed no text");
      return first;
    };
    /** ms from sending the request to the first NDJSON line with text; reads the answer to its end. */
    const viaServer = async (): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: chatBody("one_model", true),
      });
      if (!response.ok || !response.body) throw new Error(`tinyllm-model answered ${response.status}: ${await response.text()}`);
      let first: number | undefined;
      let buffered = "";
      let tokens = 0;
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = JSON.parse(buffered.slice(0, newline)) as { message?: { content?: string }; error?: string; eval_count?: number; done?: boolean };
          buffered = buffered.slice(newline + 1);
          if (line.error) throw new Error(`tinyllm-model: ${line.error}`);
          if (line.message?.content) first ??= performance.now() - started;
          if (line.done) tokens = line.eval_count ?? 0;
        }
      }
      if (first === undefined) throw new Error("the server streamed no text");
      ttftTokens = tokens;
      return first;
    };
    for (let i = 0; i < (smoke ? 1 : 3); i++) {
      await viaServer();
      await direct();
    }
    for (let r = 0; r < ttftRounds; r++) {
      if (r % 2 === 0) {
        ttftServer.push(await viaServer());
        ttftDirect.push(await direct());
      } else {
        ttftDirect.push(await direct());
        ttftServer.push(await viaServer());
      }
    }
  } catch (error) {
    failed = error;
  } finally {
    await stopTarget(server);
    await provider.close();
  }
}
rmSync(logDir, { recursive: true, force: true });
if (failed !== undefined) {
  process.stderr.write(`error: ${failed instanceof Error ? failed.message : String(failed)}\n`);
  process.exit(1);
}

// --- Report -------------------------------------------------------------------------------------

const serverRps = median(rps.tinyllm ?? []);
const bareRps = median(rps.hono ?? []);
const fastifyRps = median(rps.fastify ?? []);
const floorRps = median(rps["hono-graph"] ?? []);
const ratio = serverRps / bareRps;
const serverCpu = median(cpu.tinyllm ?? []);
const bareCpu = median(cpu.hono ?? []);
const fastifyCpu = median(cpu.fastify ?? []);
const floorCpu = median(cpu["hono-graph"] ?? []);
const coalescedRps = median(rps["hono-coalesced"] ?? []);
const coalescedCpu = median(cpu["hono-coalesced"] ?? []);
const serverTtft = median(ttftServer);
const directTtft = median(ttftDirect);
const overhead = serverTtft - directTtft;
const met = (ok: boolean) => (ok ? "met" : "MISSED");
const n = (value: number) => Math.round(value).toLocaleString("en-US");

console.log(
  `${smoke ? "SMOKE RUN, not a measurement: " : ""}POST /api/chat (stream: false), ${connections} connections; medians of ${rounds} alternating rounds of ${seconds} s after a warm-up; servers in child processes; run store and verdict store off`,
);
const us = (value: number) => value.toFixed(1);
console.log("| server | requests/s | vs bare hono | CPU µs/request | bare hono's CPU / this CPU |");
console.log("| --- | ---: | ---: | ---: | ---: |");
console.log(`| @tinyllm/server, graphs/chain.yaml | ${n(serverRps)} | ${ratio.toFixed(2)} | ${us(serverCpu)} | ${(bareCpu / serverCpu).toFixed(2)} |`);
console.log(
  `| hono running graphs/chain.yaml with runGraph, nothing else | ${n(floorRps)} | ${(floorRps / bareRps).toFixed(2)} | ${us(floorCpu)} | ${(bareCpu / floorCpu).toFixed(2)} |`,
);
console.log(`| bare hono 4 on @hono/node-server | ${n(bareRps)} | 1.00 | ${us(bareCpu)} | 1.00 |`);
console.log(
  `| bare hono 4, its answers written together at the end of each event-loop turn, as @tinyllm/server writes them | ${n(coalescedRps)} | ${(coalescedRps / bareRps).toFixed(2)} | ${us(coalescedCpu)} | ${(bareCpu / coalescedCpu).toFixed(2)} |`,
);
console.log(`| bare fastify 5 | ${n(fastifyRps)} | ${(fastifyRps / bareRps).toFixed(2)} | ${us(fastifyCpu)} | ${(bareCpu / fastifyCpu).toFixed(2)} |`);
console.log(
  `time to first token, ${path.basename(modelFile)}, 1 thread, greedy, ${ttftTokens} tokens/answer; medians of ${ttftRounds} alternating samples: server /api/chat ${serverTtft.toFixed(2)} ms, provider direct ${directTtft.toFixed(2)} ms, overhead ${overhead.toFixed(2)} ms`,
);
console.log(
  `target ratio >= ${targets.ratio}: ${met(ratio >= targets.ratio)}; target TTFT overhead < ${targets.ttftOverheadMs} ms: ${met(overhead < targets.ttftOverheadMs)}`,
);
console.log(
  JSON.stringify({
    server_rps: Math.round(serverRps),
    bare_rps: Math.round(bareRps),
    ratio: Number(ratio.toFixed(3)),
    ttft_overhead_ms: Number(overhead.toFixed(2)),
    fastify_bare_rps: Math.round(fastifyRps),
    graph_floor_rps: Math.round(floorRps),
    graph_floor_ratio: Number((floorRps / bareRps).toFixed(3)),
    server_vs_floor: Number((serverRps / floorRps).toFixed(3)),
    bare_coalesced_rps: Math.round(coalescedRps),
    ratio_vs_bare_coalesced: Number((serverRps / coalescedRps).toFixed(3)),
    ttft_server_ms: Number(serverTtft.toFixed(2)),
    ttft_direct_ms: Number(directTtft.toFixed(2)),
    ratio_target_met: ratio >= targets.ratio,
    ttft_target_met: overhead < targets.ttftOverheadMs,
    server_rps_rounds: (rps.tinyllm ?? []).map(Math.round),
    bare_rps_rounds: (rps.hono ?? []).map(Math.round),
    fastify_bare_rps_rounds: (rps.fastify ?? []).map(Math.round),
    graph_floor_rps_rounds: (rps["hono-graph"] ?? []).map(Math.round),
    bare_coalesced_rps_rounds: (rps["hono-coalesced"] ?? []).map(Math.round),
    server_cpu_us: Number(us(serverCpu)),
    bare_cpu_us: Number(us(bareCpu)),
    graph_floor_cpu_us: Number(us(floorCpu)),
    fastify_bare_cpu_us: Number(us(fastifyCpu)),
    bare_coalesced_cpu_us: Number(us(coalescedCpu)),
    cpu_ratio: Number((bareCpu / serverCpu).toFixed(3)),
    server_cpu_us_rounds: (cpu.tinyllm ?? []).map((value) => Number(us(value))),
    bare_cpu_us_rounds: (cpu.hono ?? []).map((value) => Number(us(value))),
    connections,
    rounds,
    round_s: seconds,
    model: path.basename(modelFile),
    ...(smoke ? { smoke: true } : {}),
  }),
);
