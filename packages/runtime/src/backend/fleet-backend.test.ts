import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineGraph, type RunEvent } from "@tinyllm/core";
import type { FleetEvent } from "@tinyllm/models";
import { startTestFleet, type OllamaTestServer, type TestFleet } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../create-runtime";
import type { Runtime } from "../runtime";

// Two loopback Ollama hosts of 1,000 MB each, every model answered by the same real tiny model.
let fleetOfHosts: TestFleet;
let hosts: readonly OllamaTestServer[] = [];
let runtime: Runtime;
let dir: string;

/** entry → router (the T0 model decides) → code (T1) or math (T2) → exit. */
const routed = defineGraph({
  id: "routed",
  version: 1,
  entry: "start",
  exits: ["done"],
  nodes: [
    { id: "start", kind: "entry" },
    {
      id: "router",
      kind: "router",
      config: {
        tier: "T0",
        llm: "always",
        default: "math",
        routes: [
          { name: "code", examples: ["write a python function", "fix this javascript error", "sort a list in rust"] },
          { name: "math", examples: ["what is 2 + 2", "solve x^2 = 4", "integrate x dx"] },
        ],
      },
    },
    { id: "code", kind: "model", config: { prompt: "general", tier: "T1", maxTokens: 6 } },
    { id: "math", kind: "model", config: { prompt: "general", tier: "T2", maxTokens: 6 } },
    { id: "done", kind: "exit" },
  ],
  edges: [
    { from: "start", to: "router" },
    { from: "router", to: "code", condition: 'route == "code"' },
    { from: "router", to: "math", condition: 'route == "math"' },
    { from: "code", to: "done" },
    { from: "math", to: "done" },
  ],
});

beforeAll(async () => {
  fleetOfHosts = await startTestFleet();
  hosts = fleetOfHosts.hosts;
  dir = await mkdtemp(join(tmpdir(), "tinyllm-fleet-"));
  await writeFile(join(dir, "tinyllm.yaml"), fleetOfHosts.config());
  runtime = await createRuntime({ cwd: dir, env: {}, verdictStore: false, runStore: false, memoryStore: false });
});

afterAll(async () => {
  await runtime?.close();
  await fleetOfHosts?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Seen = { run: RunEvent } | { fleet: FleetEvent };

describe("a runtime on a two-host fleet", () => {
  it("places a routed run's models as the scheduler says, prefetching the chosen specialist", async () => {
    const backend = await runtime.backend();
    expect(backend.kind).toBe("fleet");
    const fleet = backend.fleet;
    if (!fleet) throw new Error("no fleet");
    expect(backend.description).toMatch(/a fleet of 2 hosts \(gpu0 ollama 1000 MB; gpu1 ollama 1000 MB\)/);
    // T0 is pinned by default; T3 (900 MB) does not fit beside it on 1,000 MB.
    expect(fleet.status().pinned).toEqual(["router:0.5b"]);

    const seen: Seen[] = [];
    const off = fleet.on((event) => seen.push({ fleet: event }));
    const result = await runtime.run("what is 2 + 2", { graph: routed, onEvent: (event) => seen.push({ run: event }) });
    off();
    expect(result.status).toBe("ok");

    const route = seen.find((s): s is { run: RunEvent } => "run" in s && s.run.type === "node-info" && s.run.name === "route");
    const chosen = (route?.run as { data: { route: string } } | undefined)?.data.route;
    expect(["code", "math"]).toContain(chosen);
    const model = chosen === "code" ? "code:3b" : "math:3b";
    const at = (test: (s: Seen) => boolean) => seen.findIndex(test);
    const routeAt = at((s) => s === route);
    const prefetchAt = at((s) => "fleet" in s && s.fleet.type === "load-start" && s.fleet.model === model);
    const specialistAt = at((s) => "run" in s && s.run.type === "node-start" && s.run.nodeId === chosen);
    // The specialist's model started loading when the router decided, before its node started.
    expect(prefetchAt).toBeGreaterThan(routeAt);
    expect(prefetchAt).toBeLessThan(specialistAt);
    expect(seen[prefetchAt]).toMatchObject({ fleet: { reason: "prefetch" } });

    // Every call of the run was attributed to it, as interactive.
    const starts = seen.flatMap((s) => ("fleet" in s && s.fleet.type === "call-start" ? [s.fleet] : []));
    expect(starts.map((s) => s.model)).toEqual(["router:0.5b", model]);
    expect(new Set(starts.map((s) => s.run))).toEqual(new Set([result.runId]));
    expect(starts.every((s) => s.priority === "interactive")).toBe(true);

    // What each host holds is what the scheduler placed there.
    const status = await fleet.refresh();
    for (const [i, host] of hosts.entries()) {
      const placed = status.hosts.find((h) => h.name === `gpu${i}`);
      expect(placed?.loaded.map((m) => m.model).sort()).toEqual(
        host
          .loaded()
          .map((m) => m.name)
          .sort(),
      );
    }
    const everywhere = status.hosts.flatMap((h) => h.loaded.map((m) => m.model));
    expect(everywhere).toContain("router:0.5b");
    expect(everywhere).toContain(model);
  }, 120_000);

  it("prefetches the model a specialist's prompt file asks for, when the node sets no tier", async () => {
    // Both specialists name only a prompt; the prompt says T2 (math:3b in the test fleet).
    // A fleet of its own, so that nothing is loaded yet.
    const ownHosts = await startTestFleet();
    const own = await mkdtemp(join(tmpdir(), "tinyllm-fleet-prompts-"));
    try {
      await mkdir(join(own, "prompts"));
      await writeFile(join(own, "prompts", "deep.yaml"), 'id: deep\ntier: T2\nsystem: "Answer."\ntemplate: "{{ query }}"\n');
      await writeFile(join(own, "tinyllm.yaml"), `${ownHosts.config()}promptsDir: ./prompts\n`);
      const viaPrompt = defineGraph({
        ...routed,
        id: "routed-by-prompt",
        nodes: routed.nodes.map((node) => (node.kind === "model" ? { ...node, config: { prompt: "deep", maxTokens: 6 } } : node)),
      });
      const ownRuntime = await createRuntime({ cwd: own, env: {}, verdictStore: false, runStore: false, memoryStore: false });
      try {
        const fleet = (await ownRuntime.backend()).fleet;
        if (!fleet) throw new Error("no fleet");
        const events: FleetEvent[] = [];
        const off = fleet.on((event) => events.push(event));
        const result = await ownRuntime.run("what is 2 + 2", { graph: viaPrompt });
        off();
        expect(result.status).toBe("ok");
        const starts = events.filter((e) => e.type === "call-start").map((e) => ("model" in e ? e.model : ""));
        expect(starts).toEqual(["router:0.5b", "math:3b"]);
        expect(events.find((e) => e.type === "load-start" && e.model === "math:3b")).toMatchObject({ reason: "prefetch" });
        expect(events.some((e) => e.type === "load-start" && e.model === "code:3b")).toBe(false);
      } finally {
        await ownRuntime.close();
      }
    } finally {
      await rm(own, { recursive: true, force: true });
      await ownHosts.close();
    }
  }, 120_000);

  it("finishes a run whose host dies mid-run: the specialist's call moves to the other host", async () => {
    const fleet = (await runtime.backend()).fleet as NonNullable<Awaited<ReturnType<Runtime["backend"]>>["fleet"]>;
    // Free the specialists so the next route loads one again.
    for (const host of hosts)
      for (const m of host.loaded())
        if (m.name !== "router:0.5b") await fetch(`${host.url}/api/generate`, { method: "POST", body: JSON.stringify({ model: m.name, keep_alive: 0 }) });
    await fleet.refresh();
    const seen: FleetEvent[] = [];
    let killed: OllamaTestServer | undefined;
    const off = fleet.on((event) => {
      seen.push(event);
      // The moment the router's choice starts loading on a host, that host dies.
      if (!killed && event.type === "load-start" && event.reason === "prefetch") {
        killed = hosts[Number(event.host.slice(3))];
        void killed?.stop();
      }
    });
    const result = await runtime.run("solve x^2 = 4", { graph: routed });
    off();
    expect(result.status).toBe("ok");
    expect(killed).toBeDefined();
    const dead = `gpu${hosts.indexOf(killed as OllamaTestServer)}`;
    expect(seen.some((e) => e.type === "host-down" && e.host === dead)).toBe(true);
    const specialistStarts = seen.filter((e) => e.type === "call-start" && e.model !== "router:0.5b");
    expect(specialistStarts).toHaveLength(1);
    expect(specialistStarts[0]).toMatchObject({ run: result.runId });
    expect((specialistStarts[0] as { host: string }).host).not.toBe(dead);
    await (killed as OllamaTestServer).restart();
  }, 120_000);

  it("fails a run at once with FLEET_NO_HOST when every host is down, and says what to do", async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    try {
      const startedMs = performance.now();
      const result = await runtime.run("what is 2 + 2", { graph: routed, deadlineMs: 60_000 });
      expect(result.status).toBe("failed");
      expect(result.error?.code).toBe("FLEET_NO_HOST");
      expect(result.error?.message).toMatch(/gpu0 is down/);
      expect(result.error?.message).toMatch(/gpu1 is down/);
      // Long before the run's deadline: a wide bound, to prove it does not hang.
      expect(performance.now() - startedMs).toBeLessThan(30_000);
    } finally {
      await Promise.all(hosts.map((host) => host.restart()));
    }
    // The hosts are back: the next run probes them and goes on, with no health check needed.
    const again = await runtime.run("what is 2 + 2", { graph: routed });
    expect(again.status).toBe("ok");
  }, 120_000);

  it("runs a benchmark's calls as batch", async () => {
    const fleet = (await runtime.backend()).fleet as NonNullable<Awaited<ReturnType<Runtime["backend"]>>["fleet"]>;
    const starts: FleetEvent[] = [];
    const off = fleet.on((event) => event.type === "call-start" && starts.push(event));
    const result = await runtime.run("solve x^2 = 9", { graph: routed, priority: "batch" });
    off();
    expect(result.status).toBe("ok");
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(starts.every((s) => s.type === "call-start" && s.priority === "batch" && s.run === result.runId)).toBe(true);
  }, 120_000);
});

describe("a runtime on a fleet with scheduler.offloadHorizonMs", () => {
  it("loads the judge, larger than the GPU, beside the router instead of evicting it", async () => {
    // One 800 MB host: the 900 MB judge would need all of it; 500 MB are left beside the router.
    const fleetOfOne = await startTestFleet({ hosts: 1, vramMB: 800 });
    const home = await mkdtemp(join(tmpdir(), "tinyllm-offload-"));
    let offloading: Runtime | undefined;
    try {
      await writeFile(join(home, "tinyllm.yaml"), fleetOfOne.config(["pin: [T0]", "offloadHorizonMs: 600000"]));
      offloading = await createRuntime({ cwd: home, env: {}, verdictStore: false, runStore: false, memoryStore: false });
      const fleet = (await offloading.backend()).fleet as NonNullable<Awaited<ReturnType<Runtime["backend"]>>["fleet"]>;
      await fleet.start();
      const judged = await fleet.chat({ model: "judge:14b", messages: [{ role: "user", content: "Once" }], maxTokens: 4 });
      expect(judged.text.length).toBeGreaterThan(0);
      const [host] = fleetOfOne.hosts;
      expect(host?.loaded().map((m) => [m.name, m.numGpu !== undefined])).toEqual([
        ["router:0.5b", false],
        ["judge:14b", true],
      ]);
      // The host's own accounting: what it holds fits its 800 MB, and the judge has the layers the fleet sent.
      expect(host?.loaded().reduce((sum, m) => sum + m.vramMB, 0)).toBeLessThanOrEqual(800);
      const judge = fleet.status().hosts[0]?.loaded.find((m) => m.model === "judge:14b");
      expect(judge?.gpuLayers).toBeGreaterThan(0);
      expect(host?.loaded().find((m) => m.name === "judge:14b")?.numGpu).toBe(judge?.gpuLayers);
    } finally {
      await offloading?.close();
      await fleetOfOne.close();
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);
});
