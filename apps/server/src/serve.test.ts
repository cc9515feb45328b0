import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resolveTestModel } from "@tinyllm/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "./serve";

let dir: string;
let modelFile: string;

beforeAll(async () => {
  modelFile = (await resolveTestModel()).path;
  dir = await mkdtemp(path.join(os.tmpdir(), "tinyllm-serve-config-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("serve", () => {
  it("takes keys, origins and limits from tinyllm.yaml and TINYLLM_API_KEYS, flags first", async () => {
    await writeFile(
      path.join(dir, "tinyllm.yaml"),
      ["server:", "  apiKeys: [from-file]", "  corsOrigins: [http://app.example]", "  limits:", "    maxQueryChars: 10", "    maxBodyBytes: 5000"].join("\n"),
    );
    const lines: string[] = [];
    const running = await serve({
      cwd: dir,
      env: { TINYLLM_API_KEYS: "from-env" },
      port: 0,
      provider: "llama",
      modelFile,
      threads: 1,
      limits: { maxBodyBytes: 100_000 },
      write: (line) => lines.push(line),
    });
    try {
      expect(lines.join("\n")).toContain("API keys: required");
      expect((await fetch(`${running.url}/api/tags`)).status).toBe(401);
      for (const key of ["from-file", "from-env"])
        expect((await fetch(`${running.url}/api/tags`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
      const long = await fetch(`${running.url}/api/generate`, {
        method: "POST",
        headers: { Authorization: "Bearer from-env" },
        body: JSON.stringify({ model: "multi_domain", prompt: "What is 12345 + 1?", stream: false }),
      });
      expect(long.status).toBe(413);
      // The flag's body limit (100 kB) wins over the file's (5 kB): a 20 kB body is read, then refused for its query.
      const body = await fetch(`${running.url}/api/generate`, {
        method: "POST",
        headers: { Authorization: "Bearer from-env" },
        body: JSON.stringify({ model: "multi_domain", prompt: "x".repeat(20_000), stream: false }),
      });
      expect(((await body.json()) as { error: string }).error).toContain("characters");
      const noFleet = await fetch(`${running.url}/v1/fleet`, { headers: { Authorization: "Bearer from-file" } });
      expect(noFleet.status).toBe(404);
      expect(((await noFleet.json()) as { error: { message: string } }).error.message).toContain("not a fleet");
      const cors = await fetch(`${running.url}/v1/models`, { headers: { Authorization: "Bearer from-file", Origin: "http://app.example" } });
      expect(cors.headers.get("Access-Control-Allow-Origin")).toBe("http://app.example");
    } finally {
      await running.close({ graceMs: 1_000 });
    }
  });
});
