import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startTestFleet, type OllamaTestServer, type TestFleet } from "@tinyllm/models/testing";
import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "./serve";

// `tinyllm serve` on a fleet of two loopback Ollama hosts, every model answered by the same real tiny model.
let dir: string;
let fleetOfHosts: TestFleet;
let hosts: readonly OllamaTestServer[] = [];

beforeAll(async () => {
  fleetOfHosts = await startTestFleet();
  hosts = fleetOfHosts.hosts;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-serve-fleet-"));
  await writeFile(path.join(dir, "tinyllm.yaml"), fleetOfHosts.config(["preload: [T1]"]));
});

afterAll(async () => {
  await fleetOfHosts?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("serve on a fleet", () => {
  it("starts the fleet (pins and preloads), answers through it, and reports it in /api/ps and /metrics", async () => {
    const lines: string[] = [];
    const running = await serve({ cwd: dir, env: {}, port: 0, write: (line) => lines.push(line) });
    try {
      expect(lines.join("\n")).toMatch(/backend: a fleet of 2 hosts \(gpu0 ollama 1000 MB; gpu1 ollama 1000 MB\)/);
      // Preload on start: the pinned T0 model and the preloaded T1 model are on the hosts before any request.
      const held = () => hosts.flatMap((host) => host.loaded().map((m) => m.name)).sort();
      await Promise.all(
        ["router:0.5b", "code:3b"].map((name) =>
          Promise.race(hosts.map((host) => host.waitFor((events) => events.some((e) => e.kind === "load-end" && e.model === name), { timeoutMs: 20_000 }))),
        ),
      );
      expect(held()).toEqual(["code:3b", "router:0.5b"]);

      const client = new Ollama({ host: running.url });
      const answer = await client.chat({ model: "multi_domain", messages: [{ role: "user", content: "What is 12 * 7?" }], stream: false });
      expect(answer.done).toBe(true);
      expect(answer.message.content.length).toBeGreaterThan(0);

      const ps = await client.ps();
      const placed = ps.models.map((m) => m.name).sort();
      expect(placed).toEqual(held());
      for (const model of ps.models) expect(model.size_vram).toBeGreaterThan(0);

      const fleet = (await (await fetch(`${running.url}/v1/fleet`)).json()) as { hosts: { name: string; loaded: { model: string }[] }[]; pinned: string[] };
      expect(fleet.pinned).toEqual(["router:0.5b"]);
      expect(fleet.hosts.flatMap((h) => h.loaded.map((m) => m.model)).sort()).toEqual(held());

      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      const loads = [...metrics.matchAll(/^tinyllm_model_loads_total\{host="(gpu\d)"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[2]), 0);
      const hostLoads = hosts.reduce((sum, host) => sum + host.events.filter((e) => e.kind === "load-start").length, 0);
      expect(loads).toBe(hostLoads);
      expect(metrics).toMatch(/^tinyllm_model_queue_wait_seconds_count\{priority="interactive"\} [1-9]\d*$/m);
      expect(metrics).toMatch(/^tinyllm_host_up\{host="gpu0"\} 1$/m);
      expect(metrics).toMatch(/^tinyllm_host_up\{host="gpu1"\} 1$/m);
      expect(metrics).toMatch(/^tinyllm_model_load_seconds_count\{host="gpu\d"\} [1-9]/m);
      expect(metrics).toMatch(/^tinyllm_model_queue_depth\{priority="batch"\} 0$/m);
    } finally {
      await running.close({ graceMs: 1_000 });
    }
  }, 120_000);
});
