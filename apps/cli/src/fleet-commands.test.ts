import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FleetStatus } from "@tinyllm/models";
import { startTestFleet, type OllamaTestServer, type TestFleet } from "@tinyllm/models/testing";
import { serve } from "@tinyllm/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `tinyllm run` and `tinyllm models ps` on a fleet of two loopback Ollama hosts (1,000 MB each),
// every model answered by the same real tiny model.
const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, "../dist/bin.js");
let cwd: string;
let fleetOfHosts: TestFleet;
let hosts: readonly OllamaTestServer[] = [];

const env = (): NodeJS.ProcessEnv => {
  const vars: NodeJS.ProcessEnv = { ...process.env, HOME: cwd, XDG_CACHE_HOME: path.join(cwd, ".cache"), OLLAMA_HOST: "http://127.0.0.1:9" };
  for (const key of ["TINYLLM_MODEL_FILE", "TINYLLM_PROVIDER", "TINYLLM_CONFIG", "TINYLLM_GRAPH", "OPENAI_BASE_URL"]) delete vars[key];
  return vars;
};

/** Runs the CLI in `dir` (default: the fleet's folder), with `dir` as HOME. */
function cli(args: string[], dir = cwd): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: dir, env: { ...env(), HOME: dir }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const graph = `id: routed
version: 1
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - id: router
    kind: router
    config:
      tier: T0
      llm: always
      default: math
      routes:
        - { name: code, examples: [write a python function, fix this javascript error, sort a list in rust] }
        - { name: math, examples: [what is 2 + 2, solve x^2 = 4, integrate x dx] }
  - { id: code, kind: model, config: { prompt: general, tier: T1, maxTokens: 6 } }
  - { id: math, kind: model, config: { prompt: general, tier: T2, maxTokens: 6 } }
  - { id: done, kind: exit }
edges:
  - { from: start, to: router }
  - { from: router, to: code, condition: 'route == "code"' }
  - { from: router, to: math, condition: 'route == "math"' }
  - { from: code, to: done }
  - { from: math, to: done }
`;

beforeAll(async () => {
  fleetOfHosts = await startTestFleet();
  hosts = fleetOfHosts.hosts;
  cwd = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-fleet-"));
  await writeFile(path.join(cwd, "routed.yaml"), graph);
  await writeFile(path.join(cwd, "tinyllm.yaml"), fleetOfHosts.config());
});

afterAll(async () => {
  await fleetOfHosts?.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

/** Each host's models as `models ps --json` says, and as the host itself says. */
async function placement(): Promise<{ ps: FleetStatus; told: Record<string, string[]>; truth: Record<string, string[]> }> {
  const result = await cli(["models", "ps", "--json"]);
  expect(result.code, result.stderr).toBe(0);
  const ps = JSON.parse(result.stdout) as FleetStatus;
  const told = Object.fromEntries(ps.hosts.map((host) => [host.name, host.loaded.map((m) => m.model).sort()]));
  const truth = Object.fromEntries(
    hosts.map((host, i) => [
      `gpu${i}`,
      host
        .loaded()
        .map((m) => m.name)
        .sort(),
    ]),
  );
  return { ps, told, truth };
}

describe("tinyllm on a fleet", () => {
  it("runs a routed query across the hosts, and models ps shows where each model is", async () => {
    const run = await cli(["run", "what is 2 + 2", "--graph", "routed.yaml", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { status: string; state: { route: string } };
    expect(result.status).toBe("ok");
    const specialist = result.state.route === "code" ? "code:3b" : "math:3b";

    const { ps, told, truth } = await placement();
    expect(told).toEqual(truth);
    expect(Object.values(told).flat().sort()).toEqual([specialist, "router:0.5b"].sort());
    expect(ps.pinned).toEqual(["router:0.5b"]);
    for (const host of ps.hosts) {
      expect(host.state).toBe("closed");
      expect(host.usedMB + host.freeMB).toBe(1000);
      expect(host.queue).toEqual({ interactive: 0, batch: 0 });
    }

    const text = await cli(["models", "ps"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^gpu0 {2}ollama {2}http:\/\/127\.0\.0\.1:\d+ {2}up {2}VRAM \d+ of 1000 MB used, \d+ free {2}queue 0 interactive, 0 batch$/m);
    expect(text.stdout).toMatch(/^gpu1 {2}ollama /m);
    expect(text.stdout).toMatch(/^ {2}router:0\.5b +300 MB +ready +0 +never +pinned$/m);
    expect(text.stdout).toMatch(new RegExp(`^ {2}${specialist.replace(".", "\\.")} +600 MB +ready +0 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`, "m"));
    expect(text.stdout).toMatch(/^queue: 0 interactive, 0 batch; pinned: router:0\.5b$/m);
  }, 180_000);

  it("models ps --server shows a running server's fleet, as its scheduler sees it", async () => {
    const running = await serve({ cwd, env: { TINYLLM_API_KEYS: "sesame" }, port: 0, write: () => undefined });
    try {
      const served = await fetch(`${running.url}/api/generate`, {
        method: "POST",
        headers: { Authorization: "Bearer sesame" },
        body: JSON.stringify({ model: "multi_domain", prompt: "what is 2 + 2", stream: false }),
      });
      expect(served.status).toBe(200);
      const mine = (await (await fetch(`${running.url}/v1/fleet`, { headers: { Authorization: "Bearer sesame" } })).json()) as FleetStatus;
      expect(mine.hosts.map((h) => h.name)).toEqual(["gpu0", "gpu1"]);

      const noKey = await cli(["models", "ps", "--server", running.url]);
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain("wants an API key");
      expect(noKey.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      const text = await cli(["models", "ps", "--server", running.url, "--api-key", "sesame"]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/^gpu0 {2}ollama /m);
      expect(text.stdout).toMatch(/^ {2}router:0\.5b +300 MB +ready +0 +never +pinned$/m);
      const json = await cli(["models", "ps", "--server", running.url, "--api-key", "sesame", "--json"]);
      const told = JSON.parse(json.stdout) as FleetStatus;
      expect(told.hosts.map((h) => h.loaded.map((m) => m.model).sort())).toEqual(mine.hosts.map((h) => h.loaded.map((m) => m.model).sort()));
      expect(told.queue).toEqual({ interactive: 0, batch: 0 });
    } finally {
      await running.close({ graceMs: 1_000 });
    }
    const nowhere = await cli(["models", "ps", "--server", "http://127.0.0.1:9"]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain("cannot reach the TinyLLM server at http://127.0.0.1:9");
  }, 180_000);

  it("keeps answering when a host dies, and shows the host down, then back", async () => {
    const before = await placement();
    const routerHost = Object.entries(before.truth).find(([, loaded]) => loaded.includes("router:0.5b"))?.[0] as string;
    const dead = hosts[Number(routerHost.slice(3))] as OllamaTestServer;
    await dead.stop();

    const down = await cli(["models", "ps"]);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(new RegExp(`^${routerHost} {2}ollama {2}\\S+ {2}down \\(.*not reachable.*\\)`, "m"));

    // The run's calls, the router's included, go to the host that is left.
    const run = await cli(["run", "what is 2 + 2", "--graph", "routed.yaml", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { status: string }).status).toBe("ok");
    const alive = hosts.find((host) => host !== dead) as OllamaTestServer;
    expect(alive.loaded().map((m) => m.name)).toContain("router:0.5b");

    await dead.restart();
    const back = await placement();
    expect(back.ps.hosts.find((h) => h.name === routerHost)).toMatchObject({ state: "closed", loaded: [], usedMB: 0 });
    expect(back.told).toEqual(back.truth);
  }, 180_000);
});

describe("tinyllm on a fleet with a CPU host", () => {
  let cpuFleet: TestFleet;
  let cpuCwd: string;
  beforeAll(async () => {
    // One GPU host and one CPU host (`vramMB: 0`, `ramMB: 1000`); `scheduler.cpu: [T0]` puts the router there.
    cpuFleet = await startTestFleet({ hosts: 1, cpuHosts: 1 });
    cpuCwd = await mkdtemp(path.join(os.tmpdir(), "tinyllm-cli-fleet-cpu-"));
    await writeFile(path.join(cpuCwd, "routed.yaml"), graph);
    await writeFile(path.join(cpuCwd, "tinyllm.yaml"), cpuFleet.config(["cpu: [T0]"]));
  });
  afterAll(async () => {
    await cpuFleet?.close();
    if (cpuCwd) await rm(cpuCwd, { recursive: true, force: true });
  });
  const cliIn = (args: string[]) => cli(args, cpuCwd);

  it("runs the router on the CPU host and the specialist on the GPU, and models ps shows it", async () => {
    const run = await cliIn(["run", "what is 2 + 2", "--graph", "routed.yaml", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { status: string }).status).toBe("ok");
    expect(cpuFleet.cpuHosts[0]?.loaded().map((m) => m.name)).toEqual(["router:0.5b"]);
    expect(cpuFleet.hosts[0]?.loaded().map((m) => m.name)).not.toContain("router:0.5b");

    const ps = await cliIn(["models", "ps", "--json"]);
    expect(ps.code, ps.stderr).toBe(0);
    const cpu = (JSON.parse(ps.stdout) as FleetStatus).hosts.find((h) => h.name === "cpu0");
    expect(cpu).toMatchObject({ vramMB: 0, ramMB: 1000, usedMB: 300, freeMB: 700 });
    expect(cpu?.loaded).toEqual([expect.objectContaining({ model: "router:0.5b", onCpu: true })]);
    const text = await cliIn(["models", "ps"]);
    expect(text.stdout).toMatch(/^cpu0 {2}ollama {2}\S+ {2}up {2}CPU, RAM 300 of 1000 MB used, 700 free {2}queue/m);
    expect(text.stdout).toMatch(/^ {2}MODEL +RAM +STATE/m);
  }, 180_000);
});
