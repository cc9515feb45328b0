import { basename } from "node:path";
import { TinyLLMError, type ChatStreamPart, type ModelProvider } from "@tinyllm/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLlamaProvider } from "../provider/llama-provider";
import { startOllamaTestServer, type OllamaTestServer, type OllamaTestModel } from "../testing/ollama-test-server";
import { startOpenAITestServer } from "../testing/openai-test-server";
import { resolveTestModel } from "../testing/test-model";
import { createFleetProvider, type FleetProvider, type FleetProviderOptions } from "./create-fleet-provider";
import type { FleetEvent } from "./fleet-types";

// Every host answers with the same real (tiny) model; names and sizes are the hosts' own.
let backing: { provider: ModelProvider; providerModel: string };
const servers: OllamaTestServer[] = [];
const fleets: FleetProvider[] = [];

beforeAll(async () => {
  const model = await resolveTestModel();
  backing = { provider: createLlamaProvider({ modelPath: model.path, threads: 1 }), providerModel: basename(model.path) };
});
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((fleet) => fleet.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(async () => {
  await backing.provider.close?.();
});

const models: OllamaTestModel[] = [
  { name: "router:0.5b", sizeMB: 300, loadMs: 30 },
  { name: "code:3b", sizeMB: 600, loadMs: 60 },
  { name: "math:3b", sizeMB: 600, loadMs: 60 },
  { name: "judge:14b", sizeMB: 900, loadMs: 90 },
];

async function host(vramMB: number, options: { models?: OllamaTestModel[] } = {}): Promise<OllamaTestServer> {
  const server = await startOllamaTestServer({ ...backing, models: options.models ?? models, vramMB });
  servers.push(server);
  return server;
}

function fleetOf(hosts: { server: OllamaTestServer; name: string; vramMB: number; ramMB?: number }[], options: Partial<FleetProviderOptions> = {}) {
  const fleet = createFleetProvider({
    hosts: hosts.map(({ server, name, vramMB, ramMB }) => ({ name, url: server.url, kind: "ollama", vramMB, ...(ramMB !== undefined ? { ramMB } : {}) })),
    healthCheckIntervalMs: 0,
    ...options,
  });
  fleets.push(fleet);
  const events: FleetEvent[] = [];
  fleet.on((event) => events.push(event));
  return { fleet, events };
}

/** A fleet of gpu0 (1,000 MB of VRAM) and cpu0, a CPU host with `ramMB` for the CPU models. */
const gpuAndCpu = (gpu: OllamaTestServer, cpu: OllamaTestServer, ramMB: number, options: Partial<FleetProviderOptions>) =>
  fleetOf(
    [
      { server: gpu, name: "gpu0", vramMB: 1000 },
      { server: cpu, name: "cpu0", vramMB: 0, ramMB },
    ],
    options,
  );

const ask = (provider: ModelProvider, model: string, abortSignal?: AbortSignal) =>
  provider.chat({ model, messages: [{ role: "user", content: "Once upon a time" }], maxTokens: 4, temperature: 0, ...(abortSignal ? { abortSignal } : {}) });

/** Each host's loaded models, as the host itself reports them, sorted. */
const residents = (server: OllamaTestServer) =>
  server
    .loaded()
    .map((m) => m.name)
    .sort();
const where = (events: FleetEvent[], type: FleetEvent["type"], model: string) =>
  events.filter((e) => e.type === type && "model" in e && e.model === model).map((e) => ("host" in e ? e.host : ""));
const once = (fleet: FleetProvider, test: (event: FleetEvent) => boolean) =>
  new Promise<FleetEvent>((resolve) => {
    const off = fleet.on((event) => {
      if (test(event)) {
        off();
        resolve(event);
      }
    });
  });

describe("createFleetProvider on loopback Ollama hosts", () => {
  it("places models where they fit, loads the pin at start, and the hosts hold what the scheduler says", async () => {
    const [a, b] = [await host(1000), await host(1000)];
    const { fleet, events } = fleetOf(
      [
        { server: a as OllamaTestServer, name: "gpu0", vramMB: 1000 },
        { server: b as OllamaTestServer, name: "gpu1", vramMB: 1000 },
      ],
      { pinned: ["router:0.5b"] },
    );
    await fleet.start();
    await once(fleet, (e) => e.type === "load-end" && e.model === "router:0.5b");
    const pinHost = where(events, "load-end", "router:0.5b")[0];
    expect(events.find((e) => e.type === "load-start")).toMatchObject({ model: "router:0.5b", reason: "pin" });

    // Two 600 MB specialists: one beside the pin (300 + 600 ≤ 1000), the other on the other host.
    const [code, math] = await Promise.all([ask(fleet, "code:3b"), ask(fleet, "math:3b")]);
    expect(code.text.length).toBeGreaterThan(0);
    expect(math.text.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === "evict")).toEqual([]);
    const status = fleet.status();
    for (const [server, name] of [
      [a, "gpu0"],
      [b, "gpu1"],
    ] as const) {
      const mine = status.hosts.find((h) => h.name === name);
      expect(mine?.loaded.map((m) => `${m.model}`).sort()).toEqual(residents(server).map((m) => m.replace(/:latest$/, "")));
      expect(mine?.usedMB).toBe(server.loaded().reduce((sum, m) => sum + m.vramMB, 0));
    }
    expect(status.hosts.flatMap((h) => h.loaded.map((m) => m.model)).sort()).toEqual(["code:3b", "math:3b", "router:0.5b"]);
    expect(status.hosts.find((h) => h.name === pinHost)?.loaded.find((m) => m.model === "router:0.5b")?.pinned).toBe(true);

    // The judge (900 MB) needs a specialist gone; the pin stays.
    await ask(fleet, "judge:14b");
    expect(where(events, "evict", "router:0.5b")).toEqual([]);
    expect(events.filter((e) => e.type === "evict")).toHaveLength(1);
    expect([...a.events, ...b.events].filter((e) => e.kind === "unload").map((e) => e.reason)).toEqual(["keep-alive-0"]);
    expect([...residents(a), ...residents(b)]).toContain("router:0.5b");
  });

  it("runs cpuModels on a CPU host, where a model that needs the whole GPU does not displace them", async () => {
    // gpu0: 800 MB of VRAM, so the 900 MB judge needs all of it. cpu0 stands for a second Ollama
    // with no GPU visible: its memory is system memory. It has every model, but runs only the router.
    const [gpu, cpu] = [await host(800), await host(1000)];
    const { fleet, events } = fleetOf(
      [
        { server: gpu, name: "gpu0", vramMB: 800 },
        { server: cpu, name: "cpu0", vramMB: 0, ramMB: 1000 },
      ],
      { pinned: ["router:0.5b"], cpuModels: ["router:0.5b"] },
    );
    await fleet.start();
    await once(fleet, (e) => e.type === "load-end" && e.model === "router:0.5b");
    expect(where(events, "load-end", "router:0.5b")).toEqual(["cpu0"]);
    expect((await ask(fleet, "code:3b")).text.length).toBeGreaterThan(0);
    expect(where(events, "call-start", "code:3b")).toEqual(["gpu0"]);

    // The judge takes the whole GPU; while its answer streams, the router still answers on cpu0.
    const judge = fleet.streamChat({ model: "judge:14b", messages: [{ role: "user", content: "Once" }], maxTokens: 8 })[Symbol.asyncIterator]();
    expect((await judge.next()).done).toBe(false);
    expect(residents(gpu)).toEqual(["judge:14b"]);
    expect((await ask(fleet, "router:0.5b")).text.length).toBeGreaterThan(0);
    const math = ask(fleet, "math:3b");
    let part: IteratorResult<ChatStreamPart>;
    do part = await judge.next();
    while (!part.done);
    await math;
    const order = events.map((e) => `${e.type} ${"model" in e ? e.model : ""} ${"host" in e ? e.host : ""}`);
    expect(order.indexOf("call-end router:0.5b cpu0")).toBeLessThan(order.indexOf("call-end judge:14b gpu0"));
    // A model that is not a CPU model waits for the GPU, though cpu0 has it.
    expect(where(events, "call-start", "math:3b")).toEqual(["gpu0"]);
    expect(where(events, "evict", "router:0.5b")).toEqual([]);
    expect(residents(cpu)).toEqual(["router:0.5b"]);

    const cpuStatus = fleet.status().hosts.find((h) => h.name === "cpu0");
    expect(cpuStatus).toMatchObject({ vramMB: 0, ramMB: 1000, usedMB: 300, freeMB: 700 });
    expect(cpuStatus?.loaded).toEqual([expect.objectContaining({ model: "router:0.5b", onCpu: true, pinned: true })]);
    // What refresh() reads back from the hosts agrees.
    const refreshed = await fleet.refresh();
    expect(refreshed.hosts.find((h) => h.name === "cpu0")?.loaded).toEqual([expect.objectContaining({ model: "router:0.5b", onCpu: true, usedMB: 300 })]);
  });

  it("with offloadHorizonMs, loads a model larger than the GPU partly offloaded beside the models in use (num_gpu), and keeps it so", async () => {
    // 1,600 MB of VRAM; the 2,000 MB judge has 40 layers (39 blocks and the output) of 50 MB.
    const withJudge = [...models.filter((m) => m.name !== "judge:14b"), { name: "judge:14b", sizeMB: 2000, loadMs: 90, blockCount: 39 }];
    const run = async (options: Partial<FleetProviderOptions>) => {
      const gpu = await host(1600, { models: withJudge });
      const { fleet, events } = fleetOf([{ server: gpu, name: "gpu0", vramMB: 1600 }], { models: { "judge:14b": { sizeMB: 2000 } }, ...options });
      await ask(fleet, "router:0.5b");
      await ask(fleet, "code:3b");
      await ask(fleet, "judge:14b");
      // A caller's own gpuLayers is not passed on: only the fleet places layers.
      await fleet.chat({ model: "judge:14b", messages: [{ role: "user", content: "Once" }], maxTokens: 4, gpuLayers: 40 });
      await fleet.embed({ model: "judge:14b", input: ["Once upon a time"], gpuLayers: 40 });
      return { gpu, fleet, events };
    };

    // Without it, the judge takes the whole GPU: the router and the code model are evicted.
    const whole = await run({});
    expect(residents(whole.gpu)).toEqual(["judge:14b"]);
    expect(where(whole.events, "evict", "router:0.5b")).toEqual(["gpu0"]);
    expect(whole.gpu.requests.some((r) => (r.body as { options?: { num_gpu?: number } } | undefined)?.options?.num_gpu !== undefined)).toBe(false);

    // With it, the judge gets the 700 MB left beside them (35% of it, above minGpuShare): 13 of
    // its 40 layers, one fewer than 700 MB would hold, for the compute buffers the host also
    // places on the GPU (the test host counts them as one layer).
    const shared = await run({ offloadHorizonMs: 600_000, minGpuShare: 0.3 });
    expect(residents(shared.gpu)).toEqual(["code:3b", "judge:14b", "router:0.5b"]);
    expect(shared.gpu.loaded().find((m) => m.name === "judge:14b")).toMatchObject({ vramMB: 700, numGpu: 13 });
    expect(shared.events.filter((e) => e.type === "evict")).toEqual([]);
    // Its layers come from /api/show; the load and every call asked for the same ones, so the host never loaded it again.
    const judgeRequests = shared.gpu.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === "judge:14b");
    expect(judgeRequests.map((r) => [r.path, (r.body as { options?: { num_gpu?: number } }).options?.num_gpu])).toEqual([
      ["/api/show", undefined],
      ["/api/generate", 13],
      ["/api/chat", 13],
      ["/api/chat", 13],
      ["/api/embed", 13],
    ]);
    expect(shared.gpu.events.filter((e) => e.kind === "load-start").map((e) => e.model)).toEqual(["router:0.5b", "code:3b", "judge:14b"]);
    // The fleet's view is what the host reports in /api/ps: 700 MB of the judge in VRAM.
    expect(shared.fleet.status().hosts[0]?.loaded.find((m) => m.model === "judge:14b")).toMatchObject({ usedMB: 700, gpuLayers: 13 });
    const refreshed = await shared.fleet.refresh();
    expect(refreshed.hosts[0]?.loaded.find((m) => m.model === "judge:14b")).toMatchObject({ usedMB: 700, gpuLayers: 13 });
  });

  it("with offloadHorizonMs, falls back to the whole GPU when the host does not say how many layers a model has", async () => {
    const withJudge = [...models.filter((m) => m.name !== "judge:14b"), { name: "judge:14b", sizeMB: 2000, loadMs: 90, blockCount: 39 }];
    const gpu = await host(1600, { models: withJudge });
    // The host answers everything but /api/show.
    let shows = 0;
    const noShow: typeof fetch = (input, init) => {
      if (!String(input instanceof Request ? input.url : input).endsWith("/api/show")) return fetch(input, init);
      shows++;
      return Promise.resolve(new Response(JSON.stringify({ error: "show is down" }), { status: 500 }));
    };
    const { fleet, events } = fleetOf([{ server: gpu, name: "gpu0", vramMB: 1600 }], {
      models: { "judge:14b": { sizeMB: 2000 } },
      offloadHorizonMs: 600_000,
      minGpuShare: 0.3,
      fetch: noShow,
    });
    await ask(fleet, "router:0.5b");
    await ask(fleet, "code:3b");
    expect((await ask(fleet, "judge:14b")).text.length).toBeGreaterThan(0);
    // The judge took the whole card, evicting the others explicitly; the fleet's view is the host's.
    expect(residents(gpu)).toEqual(["judge:14b"]);
    expect(where(events, "evict", "router:0.5b")).toEqual(["gpu0"]);
    expect(where(events, "evict", "code:3b")).toEqual(["gpu0"]);
    expect(fleet.status().hosts[0]?.loaded.map((m) => [m.model, m.usedMB, m.gpuLayers])).toEqual([["judge:14b", 1600, undefined]]);
    // It asked once; the answer it did not get is kept for a minute, not asked for again at each decision.
    expect(shows).toBe(1);
  });

  it("with offloadHorizonMs, asks another host for a model's layers when the first cannot say", async () => {
    const judge = { name: "judge:14b", sizeMB: 2000, loadMs: 90, blockCount: 39 };
    // gpu0 has the router and the judge, gpu1 the code model and the judge; gpu0 cannot answer /api/show.
    const gpu0 = await host(1600, { models: [{ name: "router:0.5b", sizeMB: 300, loadMs: 30 }, judge] });
    const gpu1 = await host(1600, { models: [{ name: "code:3b", sizeMB: 600, loadMs: 60 }, judge] });
    const noShowOnGpu0: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.startsWith(gpu0.url) && url.endsWith("/api/show"))
        return Promise.resolve(new Response(JSON.stringify({ error: "show is down" }), { status: 500 }));
      return fetch(input, init);
    };
    const { fleet } = fleetOf(
      [
        { server: gpu0, name: "gpu0", vramMB: 1600 },
        { server: gpu1, name: "gpu1", vramMB: 1600 },
      ],
      { models: { "judge:14b": { sizeMB: 2000 } }, offloadHorizonMs: 600_000, minGpuShare: 0.3, fetch: noShowOnGpu0 },
    );
    await ask(fleet, "router:0.5b");
    await ask(fleet, "code:3b");
    await ask(fleet, "judge:14b");
    // gpu1 told the layers; the judge went partly offloaded beside the router, which stayed.
    expect(gpu1.requests.some((r) => r.path === "/api/show")).toBe(true);
    expect(residents(gpu0)).toEqual(["judge:14b", "router:0.5b"]);
    expect(gpu0.loaded().find((m) => m.name === "judge:14b")?.numGpu).toBeGreaterThan(0);
  });

  it("with offloadHorizonMs, forgets a model the host unloaded by itself to fit a partial load", async () => {
    // The fleet is told the judge takes 1,800 MB; the host's own judge takes 2,000 MB, so the
    // layers asked for (14 of 40, and the buffers) need 750 MB of the 700 MB left, and the host
    // unloads the code model itself, as Ollama does when its estimate does not fit.
    const withJudge = [...models.filter((m) => m.name !== "judge:14b"), { name: "judge:14b", sizeMB: 2000, loadMs: 90, blockCount: 39 }];
    const gpu = await host(1600, { models: withJudge });
    const { fleet, events } = fleetOf([{ server: gpu, name: "gpu0", vramMB: 1600 }], {
      models: { "judge:14b": { sizeMB: 1800 } },
      offloadHorizonMs: 600_000,
      minGpuShare: 0.3,
    });
    await ask(fleet, "router:0.5b");
    await ask(fleet, "code:3b");
    await ask(fleet, "judge:14b");
    expect(gpu.events.map((e) => `${e.kind} ${e.model}${e.reason ? ` (${e.reason})` : ""}`)).toContain("unload code:3b (evicted)");
    expect(where(events, "evict", "code:3b")).toEqual(["gpu0"]);
    expect(
      fleet
        .status()
        .hosts[0]?.loaded.map((m) => m.model)
        .sort(),
    ).toEqual(residents(gpu));
    // The next call for the code model loads it again, where the host has room.
    expect((await ask(fleet, "code:3b")).text.length).toBeGreaterThan(0);
  });

  it("refuses a bad offloadHorizonMs or minGpuShare with a hint", async () => {
    const gpu = await host(1000);
    expect(() => fleetOf([{ server: gpu, name: "gpu0", vramMB: 1000 }], { offloadHorizonMs: -1 })).toThrow(/offloadHorizonMs must be a number of ms ≥ 0/);
    expect(() => fleetOf([{ server: gpu, name: "gpu0", vramMB: 1000 }], { minGpuShare: 1.5 })).toThrow(/minGpuShare must be more than 0 and at most 1/);
  });

  it("fails a CPU model at once with FLEET_NO_HOST when only a CPU host too small for it has it", async () => {
    // The CPU host has 200 MB for CPU models; the router takes 300. No GPU host has the router.
    const gpu = await host(1000, { models: models.filter((m) => m.name !== "router:0.5b") });
    const cpu = await host(1000);
    const { fleet } = gpuAndCpu(gpu, cpu, 200, { cpuModels: ["router:0.5b"] });
    const error = await ask(fleet, "router:0.5b").catch((caught: unknown) => caught);
    expect(TinyLLMError.isInstance(error) && error.code).toBe("FLEET_NO_HOST");
    expect((error as Error).message).toContain("cpu0 has 200 MB for CPU models and router:0.5b needs 300 MB");
    expect(cpu.loaded()).toEqual([]);
  });

  it("runs a CPU model on a GPU when no CPU host can take it", async () => {
    const gpu = await host(1000);
    const cpu = await host(1000);
    const { fleet, events } = gpuAndCpu(gpu, cpu, 1000, { cpuModels: ["router:0.5b"] });
    await fleet.start();
    await cpu.stop();
    await fleet.refresh();
    expect((await ask(fleet, "router:0.5b")).text.length).toBeGreaterThan(0);
    expect(where(events, "call-start", "router:0.5b")).toEqual(["gpu0"]);
  });

  it("loads a second CPU model on the CPU host after the first one's load, not on the GPU", async () => {
    const gpu = await host(1000);
    const cpu = await host(1000);
    const { fleet, events } = gpuAndCpu(gpu, cpu, 1000, { cpuModels: ["router:0.5b", "code:3b"], pinned: [] });
    await fleet.start();
    // Both at once: while cpu0 loads the router, the other CPU model waits for it.
    const answers = await Promise.all([ask(fleet, "router:0.5b"), ask(fleet, "code:3b")]);
    expect(answers.every((answer) => answer.text.length > 0)).toBe(true);
    expect(where(events, "load-start", "code:3b")).toEqual(["cpu0"]);
    expect(where(events, "call-start", "code:3b")).toEqual(["cpu0"]);
    expect(residents(cpu)).toEqual(["code:3b", "router:0.5b"]);
    expect(residents(gpu)).toEqual([]);
  });

  it("fails a CPU model at once with FLEET_NO_HOST when it fits the CPU host only without its pin", async () => {
    // cpu0 has 800 MB: the pinned router (300) stays, so code:3b (600) can never load there.
    const gpu = await host(1000, { models: models.filter((m) => m.name !== "code:3b") });
    const cpu = await host(1000);
    const { fleet } = gpuAndCpu(gpu, cpu, 800, { cpuModels: ["router:0.5b", "code:3b"], pinned: ["router:0.5b"] });
    const pinLoaded = once(fleet, (e) => e.type === "load-end" && e.model === "router:0.5b");
    await fleet.start();
    await pinLoaded;
    expect(residents(cpu)).toEqual(["router:0.5b"]);
    const error = await ask(fleet, "code:3b").catch((caught: unknown) => caught);
    expect(TinyLLMError.isInstance(error) && error.code).toBe("FLEET_NO_HOST");
    expect((error as Error).message).toContain("cpu0 has 800 MB for CPU models, 300 MB of them held by the pinned router:0.5b, and code:3b needs 600 MB");
    expect((error as TinyLLMError).hint).toContain("ramMB");
    expect(residents(cpu)).toEqual(["router:0.5b"]);
  });

  it("runs a CPU model on a GPU when it fits the CPU host only without its pin", async () => {
    const gpu = await host(1000);
    const cpu = await host(1000);
    const { fleet, events } = gpuAndCpu(gpu, cpu, 800, { cpuModels: ["router:0.5b", "code:3b"], pinned: ["router:0.5b"] });
    const pinLoaded = once(fleet, (e) => e.type === "load-end" && e.model === "router:0.5b");
    await fleet.start();
    await pinLoaded;
    expect((await ask(fleet, "code:3b")).text.length).toBeGreaterThan(0);
    expect(where(events, "call-start", "code:3b")).toEqual(["gpu0"]);
    expect(residents(cpu)).toEqual(["router:0.5b"]);
  });

  it("evicts a pin when pins fill the only host a call can go to, instead of leaving the call waiting", async () => {
    const gpu = await host(1000);
    const { fleet, events } = fleetOf([{ server: gpu, name: "gpu0", vramMB: 1000 }], { pinned: ["router:0.5b", "code:3b"] });
    const pinsLoaded = once(fleet, (e) => e.type === "load-end" && e.model === "code:3b");
    await fleet.start();
    await pinsLoaded;
    expect(residents(gpu)).toEqual(["code:3b", "router:0.5b"]);
    expect((await ask(fleet, "math:3b")).text.length).toBeGreaterThan(0);
    expect(where(events, "evict", "code:3b")).toEqual(["gpu0"]);
    expect(residents(gpu)).toContain("math:3b");
  });

  it("fails a waiting CPU call at once when a pin that loads after it came in leaves it no room", async () => {
    // cpu0 has 800 MB and still holds code:3b (600) from an earlier session, so the pinned
    // router (300) cannot load at start. A streams on code:3b; B (router) makes code:3b drain;
    // C (code:3b) waits. When A ends, the router loads, and C can never fit beside it.
    const cpu = await host(1000);
    await fetch(`${cpu.url}/api/generate`, { method: "POST", body: JSON.stringify({ model: "code:3b", prompt: "", keep_alive: "30m" }) }).then((r) => r.text());
    const { fleet } = fleetOf([{ server: cpu, name: "cpu0", vramMB: 0, ramMB: 800 }], { cpuModels: ["router:0.5b", "code:3b"], pinned: ["router:0.5b"] });
    await fleet.start();
    expect(residents(cpu)).toEqual(["code:3b"]);
    const a = fleet.streamChat({ model: "code:3b", messages: [{ role: "user", content: "Once" }], maxTokens: 8 })[Symbol.asyncIterator]();
    expect((await a.next()).done).toBe(false);
    const b = ask(fleet, "router:0.5b");
    const c = ask(fleet, "code:3b").catch((caught: unknown) => caught);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fleet.status().queue.interactive).toBe(2);
    let part: IteratorResult<ChatStreamPart>;
    do part = await a.next();
    while (!part.done);
    expect((await b).text.length).toBeGreaterThan(0);
    const error = await c;
    expect(TinyLLMError.isInstance(error) && error.code).toBe("FLEET_NO_HOST");
    expect((error as Error).message).toContain("300 MB of them held by the pinned router:0.5b");
    expect(residents(cpu)).toEqual(["router:0.5b"]);
  });

  it("never evicts a model with a call in flight: the next model loads when the stream ends", async () => {
    const a = await host(700);
    const { fleet, events } = fleetOf([{ server: a, name: "gpu0", vramMB: 700 }]);
    const stream = fleet.streamChat({ model: "code:3b", messages: [{ role: "user", content: "Once" }], maxTokens: 8 })[Symbol.asyncIterator]();
    const first = await stream.next();
    expect(first.done).toBe(false);
    const math = ask(fleet, "math:3b");
    // Everything the fleet can do without evicting code:3b is done; math waits.
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.some((e) => e.type === "evict")).toBe(false);
    expect(fleet.status().queue.interactive).toBe(1);
    let part: IteratorResult<ChatStreamPart>;
    do part = await stream.next();
    while (!part.done);
    expect((await math).text.length).toBeGreaterThan(0);
    const order = events.map((e) => `${e.type} ${"model" in e ? e.model : ""}`);
    expect(order.indexOf("evict code:3b")).toBeGreaterThan(order.indexOf("call-end code:3b"));
    expect(order.indexOf("load-start math:3b")).toBeGreaterThan(order.indexOf("evict code:3b"));
  });

  it("starts interactive calls before batch calls that waited as long", async () => {
    const a = await host(700);
    const { fleet, events } = fleetOf([{ server: a, name: "gpu0", vramMB: 700 }]);
    // code:3b holds the host while the two others arrive: batch first, interactive second.
    const stream = fleet.streamChat({ model: "code:3b", messages: [{ role: "user", content: "Once" }], maxTokens: 8 })[Symbol.asyncIterator]();
    await stream.next();
    const batch = ask(fleet.forCall({ runId: "batch-run", priority: "batch" }), "math:3b");
    const interactive = ask(fleet.forCall({ runId: "chat-run", priority: "interactive" }), "router:0.5b");
    expect(fleet.status().queue).toEqual({ interactive: 1, batch: 1 });
    while (!(await stream.next()).done);
    await Promise.all([batch, interactive]);
    const starts = events.filter((e) => e.type === "call-start").map((e) => (e.type === "call-start" ? `${e.model} ${e.priority}` : ""));
    expect(starts).toEqual(["code:3b interactive", "router:0.5b interactive", "math:3b batch"]);
  });

  it("prefetches an announced model into free memory before the run calls it", async () => {
    const a = await host(2000);
    const { fleet, events } = fleetOf([{ server: a, name: "gpu0", vramMB: 2000 }]);
    await fleet.start();
    fleet.announce({ run: "r1", model: "math:3b" });
    await a.waitFor((seen) => seen.some((e) => e.kind === "load-end" && e.model === "math:3b"), { timeoutMs: 10_000 });
    expect(events.find((e) => e.type === "load-start")).toMatchObject({ model: "math:3b", reason: "prefetch" });
    await once(fleet, (e) => e.type === "load-end" && e.model === "math:3b");
    const loadsBefore = a.events.filter((e) => e.kind === "load-start").length;
    await ask(fleet.forCall({ runId: "r1" }), "math:3b");
    expect(a.events.filter((e) => e.kind === "load-start").length).toBe(loadsBefore);
    const start = events.find((e) => e.type === "call-start");
    expect(start).toMatchObject({ model: "math:3b", run: "r1" });
  });

  it("moves a call to another host when its host dies, and uses the host again when it comes back", async () => {
    const [a, b] = [await host(1000), await host(1000)];
    const { fleet, events } = fleetOf(
      [
        { server: a, name: "gpu0", vramMB: 1000 },
        { server: b, name: "gpu1", vramMB: 1000 },
      ],
      { healthCheckIntervalMs: 50, breaker: { cooldownMs: 50 } },
    );
    await ask(fleet, "code:3b");
    const first = where(events, "call-start", "code:3b")[0] as string;
    const [dead, alive] = first === "gpu0" ? [a, b] : [b, a];
    await dead.stop();
    const moved = await ask(fleet, "code:3b");
    expect(moved.text.length).toBeGreaterThan(0);
    // The call went to the dead host (the fleet thought its model loaded there), then moved.
    const other = first === "gpu0" ? "gpu1" : "gpu0";
    expect(where(events, "call-start", "code:3b").at(-1)).toBe(other);
    const downAt = events.findIndex((e) => e.type === "host-down" && e.host === first);
    expect(downAt).toBeGreaterThan(0);
    expect(
      events
        .slice(downAt)
        .filter((e) => e.type === "call-start" || e.type === "load-start")
        .map((e) => ("host" in e ? e.host : "")),
    ).toEqual([other, other]);
    expect(residents(alive)).toEqual(["code:3b"]);
    expect(fleet.status().hosts.find((h) => h.name === first)?.state).not.toBe("closed");

    const up = once(fleet, (e) => e.type === "host-up" && e.host === first);
    await dead.restart();
    await up;
    expect(fleet.status().hosts.find((h) => h.name === first)).toMatchObject({ state: "closed", loaded: [] });
    // With the other host gone, the call goes to the one that came back.
    await alive.stop();
    const back = await ask(fleet, "code:3b");
    expect(back.text.length).toBeGreaterThan(0);
    expect(where(events, "call-start", "code:3b").at(-1)).toBe(first);
  }, 60_000);

  it("fails a call at once with FLEET_NO_HOST when no host can serve its model", async () => {
    const a = await host(1000);
    const { fleet } = fleetOf([{ server: a, name: "gpu0", vramMB: 1000 }]);
    const unknown = await ask(fleet, "nope:1b").catch((error: unknown) => error);
    expect(TinyLLMError.isInstance(unknown) && unknown.code).toBe("FLEET_NO_HOST");
    expect((unknown as Error).message).toContain("gpu0 does not have nope:1b");

    await a.stop();
    const startedMs = performance.now();
    const down = await ask(fleet, "code:3b").catch((error: unknown) => error);
    expect(TinyLLMError.isInstance(down) && down.code).toBe("FLEET_NO_HOST");
    expect((down as Error).message).toMatch(/gpu0 is down/);
    expect((down as TinyLLMError).hint).toMatch(/start the hosts/);
    // It fails, it does not hang: a wide bound.
    expect(performance.now() - startedMs).toBeLessThan(30_000);
  });

  it("takes NAME and NAME:latest for one model", async () => {
    const a = await host(1000, { models: [{ name: "story", sizeMB: 100, loadMs: 10 }] });
    const { fleet, events } = fleetOf([{ server: a, name: "gpu0", vramMB: 1000 }], { pinned: ["story:latest"] });
    await fleet.start();
    await ask(fleet, "story");
    await ask(fleet, "story:latest");
    expect(a.events.filter((e) => e.kind === "load-start").map((e) => e.model)).toEqual(["story:latest"]);
    expect(events.filter((e) => e.type === "call-start").map((e) => ("model" in e ? e.model : ""))).toEqual(["story", "story"]);
    expect(fleet.status().hosts[0]?.loaded).toMatchObject([{ model: "story", pinned: true }]);
  });

  it("an aborted call leaves the queue", async () => {
    const a = await host(700);
    const { fleet } = fleetOf([{ server: a, name: "gpu0", vramMB: 700 }]);
    const stream = fleet.streamChat({ model: "code:3b", messages: [{ role: "user", content: "Once" }], maxTokens: 8 })[Symbol.asyncIterator]();
    await stream.next();
    const controller = new AbortController();
    const waiting = ask(fleet, "math:3b", controller.signal).catch((error: unknown) => error);
    expect(fleet.status().queue.interactive).toBe(1);
    controller.abort();
    expect(TinyLLMError.isInstance(await waiting) && ((await waiting) as TinyLLMError).code).toBe("MODEL_ABORTED");
    expect(fleet.status().queue.interactive).toBe(0);
    while (!(await stream.next()).done);
  });
});

describe("createFleetProvider with an OpenAI-compatible host", () => {
  it("serves its fixed models under the tiers' names, loading nothing", async () => {
    const server = await startOpenAITestServer({ ...backing, modelName: "qwen2.5-3b-instruct" });
    try {
      const fleet = createFleetProvider({
        hosts: [{ name: "vllm", url: server.baseURL, kind: "openai", vramMB: 24_000, models: { "qwen2.5:3b": "qwen2.5-3b-instruct" } }],
        healthCheckIntervalMs: 0,
      });
      fleets.push(fleet);
      const events: FleetEvent[] = [];
      fleet.on((event) => events.push(event));
      const answer = await ask(fleet, "qwen2.5:3b");
      expect(answer.text.length).toBeGreaterThan(0);
      expect(events.filter((e) => e.type === "load-start" || e.type === "evict")).toEqual([]);
      expect(
        fleet
          .status()
          .hosts[0]?.loaded.map((m) => m.model)
          .sort(),
      ).toEqual(["qwen2.5-3b-instruct", "qwen2.5:3b"]);
      const missing = await ask(fleet, "qwen2.5:14b").catch((error: unknown) => error);
      expect(TinyLLMError.isInstance(missing) && missing.code).toBe("FLEET_NO_HOST");
    } finally {
      await server.close();
    }
  });

  it("beside an Ollama host: each call goes to the host that has its model", async () => {
    const vllm = await startOpenAITestServer({ ...backing, modelName: "code-model" });
    try {
      const gpu = await host(1000);
      const fleet = createFleetProvider({
        hosts: [
          { name: "gpu0", url: gpu.url, kind: "ollama", vramMB: 1000 },
          { name: "vllm", url: vllm.baseURL, kind: "openai", vramMB: 24_000, models: { "code:3b": "code-model" } },
        ],
        healthCheckIntervalMs: 0,
      });
      fleets.push(fleet);
      const events: FleetEvent[] = [];
      fleet.on((event) => events.push(event));
      await ask(fleet, "code:3b");
      await ask(fleet, "math:3b");
      expect(events.filter((e) => e.type === "call-start").map((e) => (e.type === "call-start" ? `${e.model}@${e.host}` : ""))).toEqual([
        "code:3b@vllm",
        "math:3b@gpu0",
      ]);
      expect(residents(gpu)).toEqual(["math:3b"]);
      expect(vllm.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => (r.body as { model: string }).model)).toEqual(["code-model"]);
    } finally {
      await vllm.close();
    }
  });
});
