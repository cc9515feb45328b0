import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime } from "../create-runtime";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const tiers = [
  "tiers:",
  "  T0: { ollama: router:0.5b, memoryMB: 300 }",
  "  T1: { ollama: code:3b, memoryMB: 600 }",
  "  T2: { ollama: math:3b, memoryMB: 600 }",
  "  T3: { ollama: judge:14b, memoryMB: 900 }",
];

/** The warnings a runtime reports when it sets up the fleet of `lines` (no host is contacted), and the fleet's description and pins. */
async function warningsOf(lines: readonly string[]) {
  const dir = await mkdtemp(join(tmpdir(), "tinyllm-fleet-warnings-"));
  dirs.push(dir);
  await writeFile(join(dir, "tinyllm.yaml"), [...lines, ...tiers, ""].join("\n"));
  const warnings: string[] = [];
  const runtime = await createRuntime({
    cwd: dir,
    env: {},
    verdictStore: false,
    runStore: false,
    memoryStore: false,
    onWarning: (message) => warnings.push(message),
  });
  try {
    const backend = await runtime.backend();
    return { warnings, description: backend.description, pinned: backend.fleet?.status().pinned };
  } finally {
    await runtime.close();
  }
}

const gpu = '  - { name: gpu0, url: "http://127.0.0.1:9", kind: ollama, vramMB: 1000 }';
const gpu1 = '  - { name: gpu1, url: "http://127.0.0.1:11", kind: ollama, vramMB: 1000 }';
const vllm = '  - { name: vllm, url: "http://127.0.0.1:12/v1", kind: openai, vramMB: 24000, models: { other: other-id } }';
const cpu = (ramMB: number) => `  - { name: cpu0, url: "http://127.0.0.1:10", kind: ollama, vramMB: 0, ramMB: ${ramMB} }`;

describe("a fleet's settings", () => {
  it("with a CPU host for T0: no warning, the host described by its RAM, and the judge pinned when it fits a GPU alone", async () => {
    const { warnings, description, pinned } = await warningsOf(["hosts:", gpu, gpu1, cpu(1000), "scheduler:", "  cpu: [T0]"]);
    expect(warnings).toEqual([]);
    expect(description).toBe("a fleet of 3 hosts (gpu0 ollama 1000 MB; gpu1 ollama 1000 MB; cpu0 ollama CPU, 1000 MB RAM)");
    // T0 runs on cpu0, so the 900 MB judge fits gpu0's 1,000 MB alone, and T1 fits gpu1.
    expect(pinned).toEqual(["router:0.5b", "judge:14b"]);
  });

  it("pins the judge only where it leaves T1 and T2 room", async () => {
    // Beside T0 it does not fit 1,000 MB.
    expect((await warningsOf(["hosts:", gpu, gpu1])).pinned).toEqual(["router:0.5b"]);
    // Alone on the only GPU it would leave T1 (600 MB) no room.
    expect((await warningsOf(["hosts:", gpu, cpu(1000), "scheduler:", "  cpu: [T0]"])).pinned).toEqual(["router:0.5b"]);
    // An OpenAI-compatible host loads nothing: it is no room for T1.
    expect((await warningsOf(["hosts:", gpu.replace("vramMB: 1000", "vramMB: 1200"), vllm])).pinned).toEqual(["router:0.5b"]);
    // T0 is in scheduler.cpu but larger than the CPU host: it runs on the GPU, beside the judge.
    expect((await warningsOf(["hosts:", gpu.replace("vramMB: 1000", "vramMB: 1500"), cpu(200), "scheduler:", "  cpu: [T0]"])).pinned).toEqual(["router:0.5b"]);
    // With T0 and the judge on a 2,000 MB GPU, T1 still fits beside them.
    expect((await warningsOf(["hosts:", gpu.replace("vramMB: 1000", "vramMB: 2000")])).pinned).toEqual(["router:0.5b", "judge:14b"]);
  });

  it("warns that scheduler.cpu does nothing when no host is a CPU host", async () => {
    const { warnings } = await warningsOf(["hosts:", gpu, "scheduler:", "  cpu: [T0]"]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^scheduler\.cpu has no effect: no host is a CPU host, so T0 run on the GPUs \(a CPU host is an Ollama host with vramMB: 0 and ramMB/,
      ),
    ]);
  });

  it("warns of a CPU host with no scheduler.cpu, whose ramMB then means nothing", async () => {
    const { warnings } = await warningsOf(["hosts:", gpu, cpu(1000)]);
    expect(warnings).toEqual([expect.stringContaining("cpu0 has ramMB but scheduler.cpu lists no models")]);
  });

  it("warns of a CPU model larger than every CPU host's ramMB, and of a fleet of CPU hosts only", async () => {
    const { warnings } = await warningsOf(["hosts:", cpu(500), "scheduler:", "  cpu: [T0, T1]"]);
    expect(warnings).toEqual([
      "T1 (code:3b, 600 MB) in scheduler.cpu is larger than every CPU host's ramMB (at most 500 MB): it has no host to run on (raise ramMB, or take it out of scheduler.cpu)",
      expect.stringMatching(/^every host is a CPU host: only the models in scheduler.cpu \(T0, T1\) can run, and calls to the others fail with FLEET_NO_HOST/),
    ]);
  });

  it("warns of a CPU model that fits a CPU host only without the pinned CPU models", async () => {
    const { warnings } = await warningsOf(["hosts:", gpu, cpu(800), "scheduler:", "  cpu: [T0, T1]"]);
    expect(warnings).toEqual([
      "T1 (code:3b, 600 MB) in scheduler.cpu does not fit beside the pinned router:0.5b (300 MB) on any CPU host (at most 800 MB): it does not run on the CPU hosts (raise ramMB, or take it out of scheduler.cpu or the pin out of scheduler.pin)",
    ]);
  });
});
