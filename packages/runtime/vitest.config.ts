import { defineConfig } from "vitest/config";
import { resolveFromSource } from "../../vitest.shared.ts";

export default defineConfig({
  ...resolveFromSource,
  test: {
    include: ["src/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "test-report.json" }]],
    testTimeout: 180_000,
    // isolated-vm needs Node's startup snapshot off; the default forks pool passes these on.
    execArgv: ["--no-node-snapshot"],
  },
});
