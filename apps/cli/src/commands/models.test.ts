import type { FleetStatus } from "@tinyllm/models";
import { describe, expect, it } from "vitest";
import { formatFleetStatus } from "./models";

const status = (loaded: FleetStatus["hosts"][number]["loaded"]): FleetStatus => ({
  hosts: [
    {
      name: "gpu0",
      url: "http://127.0.0.1:11434",
      kind: "ollama",
      state: "closed",
      vramMB: 7680,
      usedMB: loaded.reduce((sum, m) => sum + m.usedMB, 0),
      freeMB: 7680 - loaded.reduce((sum, m) => sum + m.usedMB, 0),
      labels: {},
      loaded,
      queue: { interactive: 0, batch: 0 },
    },
  ],
  queue: { interactive: 0, batch: 0 },
  pinned: [],
});

describe("formatFleetStatus", () => {
  it("shows the GPU layers of a partly offloaded model, and nothing more for the others", () => {
    const text = formatFleetStatus(
      status([
        { model: "qwen2.5:3b", usedMB: 2400, loading: false, inFlight: 0, pinned: false },
        { model: "qwen2.5:14b", usedMB: 4680, gpuLayers: 25, loading: false, inFlight: 1, pinned: false },
      ]),
    );
    expect(text).toMatch(/^gpu0 {2}ollama .* VRAM 7080 of 7680 MB used, 600 free/m);
    expect(text).toMatch(/^ {2}qwen2\.5:14b +4680 MB \(25 layers, rest in RAM\) +ready +1/m);
    expect(text).toMatch(/^ {2}qwen2\.5:3b +2400 MB +ready +0/m);
  });
});
