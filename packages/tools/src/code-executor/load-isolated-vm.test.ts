import { TinyLLMError } from "@tinyllm/core";
import { describe, expect, it } from "vitest";
import { CodeErrorCode } from "./code-error-code";
import { hasNoNodeSnapshotFlag, loadIsolatedVm, nodeNeedsNoSnapshotFlag, NO_NODE_SNAPSHOT_MESSAGE, resolveIsolatedVmPath } from "./load-isolated-vm";

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return TinyLLMError.isInstance(error) ? error.code : undefined;
}

describe("hasNoNodeSnapshotFlag", () => {
  it("finds the flag on the command line or in NODE_OPTIONS", () => {
    expect(hasNoNodeSnapshotFlag({ execArgv: ["--no-node-snapshot"], nodeOptions: undefined })).toBe(true);
    expect(hasNoNodeSnapshotFlag({ execArgv: [], nodeOptions: "--max-old-space-size=512 --no-node-snapshot" })).toBe(true);
    expect(hasNoNodeSnapshotFlag({ execArgv: ["--no_node_snapshot"], nodeOptions: "" })).toBe(true);
    expect(hasNoNodeSnapshotFlag({ execArgv: ["--inspect"], nodeOptions: "--enable-source-maps" })).toBe(false);
  });

  it("is what this test process was started with (vitest execArgv)", () => {
    expect(hasNoNodeSnapshotFlag()).toBe(true);
  });

  it("applies from Node 20 on", () => {
    expect(nodeNeedsNoSnapshotFlag("20.20.2")).toBe(true);
    expect(nodeNeedsNoSnapshotFlag("18.19.0")).toBe(false);
  });
});

describe("loadIsolatedVm", () => {
  it("loads isolated-vm lazily", async () => {
    const ivm = await loadIsolatedVm();
    expect(typeof ivm.Isolate).toBe("function");
  });

  it("refuses Node 20+ without --no-node-snapshot, with a clear message", async () => {
    let imported = false;
    const attempt = loadIsolatedVm({
      execArgv: [],
      nodeOptions: undefined,
      nodeVersion: "20.20.2",
      importer: async () => {
        imported = true;
        return {};
      },
    });
    await expect(attempt).rejects.toThrow(NO_NODE_SNAPSHOT_MESSAGE);
    expect(await codeOf(attempt)).toBe(CodeErrorCode.Unavailable);
    expect(NO_NODE_SNAPSHOT_MESSAGE).toContain("run node with --no-node-snapshot (NODE_OPTIONS=--no-node-snapshot)");
    expect(imported).toBe(false);
  });

  it("turns a failing import into CODE_UNAVAILABLE", async () => {
    const attempt = loadIsolatedVm({
      importer: () => Promise.reject(new Error("Cannot find module './out/isolated_vm'")),
    });
    await expect(attempt).rejects.toThrow(/isolated-vm could not be loaded: Cannot find module/);
    expect(await codeOf(attempt)).toBe(CodeErrorCode.Unavailable);
    expect(await codeOf(loadIsolatedVm({ importer: async () => ({ default: {} }) }))).toBe(CodeErrorCode.Unavailable);
  });

  it("resolves the module path for the sandbox process", () => {
    expect(resolveIsolatedVmPath()).toMatch(/isolated-vm[\\/]isolated-vm\.js$/);
  });
});
