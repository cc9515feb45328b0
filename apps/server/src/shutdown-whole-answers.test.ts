import { rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { startTestServer } from "./testing/start-test-server";

describe("shutdown with whole answers in progress", () => {
  it("lets the non-streamed answers of runs that end during the grace period reach their clients", async () => {
    const server = await startTestServer();
    const ask = (content: string) =>
      fetch(`${server.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "multi_domain", messages: [{ role: "user", content }], stream: false, options: { num_predict: 48 } }),
      }).then(
        async (response) => ({ status: response.status, body: (await response.json()) as { done?: boolean; message?: { content?: string } } }),
        (error: unknown) => ({ status: 0, body: { error: String(error) } as { done?: boolean; message?: { content?: string } } }),
      );
    const answers = Promise.all(["Tell me a story about a cat.", "Tell me a story about a dog.", "Tell me a story about a bird."].map(ask));
    // Close once all three runs are in progress (the hub counts them as they start).
    const hub = server.server.context.hub;
    for (let waited = 0; hub.running < 3; waited++) {
      expect(waited, "the three runs never started").toBeLessThan(2_000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const drained = await server.close({ graceMs: 60_000, closeRuntime: false });
    expect(drained).toEqual({ finished: 3, cancelled: 0 });
    for (const { status, body } of await answers) {
      expect(status).toBe(200);
      expect(body.done).toBe(true);
      expect(typeof body.message?.content).toBe("string");
    }
    await server.runtime.close();
    await rm(server.dir, { recursive: true, force: true });
  });
});
