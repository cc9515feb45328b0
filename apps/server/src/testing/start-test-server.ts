import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resolveTestModel } from "@tinyllm/models/testing";
import { createRuntime, type Runtime } from "@tinyllm/runtime";
import { startServer, type RunningServer, type StartServerOptions } from "../start-server";

/** A server on a free loopback port over a runtime with the real test model, and how to stop it. */
export interface TestServer extends RunningServer {
  /** The temporary folder holding `.tinyllm/`. */
  dir: string;
  /** The runtime the server runs on. */
  runtime: Runtime;
  /** Log lines the server wrote. */
  logs: string[];
  stop(): Promise<void>;
}

/** Starts a server for tests: the embedded engine on the test model, one thread, stores in a temp folder. */
export async function startTestServer(options: Omit<StartServerOptions, "runtime"> & { dir?: string } = {}): Promise<TestServer> {
  const modelFile = (await resolveTestModel()).path;
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), "tinyllm-server-")));
  // No routing precedents: these tests ask the same questions again and again of a model that
  // fails every gate, and near failures would send later runs to other routes (that behaviour is
  // tested in @tinyllm/runtime).
  const runtime = await createRuntime({ cwd: dir, env: {}, flags: { modelFile, provider: "llama", threads: 1 }, precedentIndex: false });
  const logs: string[] = [];
  const running = await startServer({ port: 0, log: (line) => logs.push(line), ...options, runtime }).catch(async (error: unknown) => {
    await runtime.close();
    if (!options.dir) await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...running,
    runtime,
    dir,
    logs,
    async stop() {
      await running.close({ graceMs: 1_000 });
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
