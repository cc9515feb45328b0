import { defineConfig } from "vitest/config";
import { resolveFromSource } from "../../vitest.shared.ts";

export default defineConfig({
  ...resolveFromSource,
  test: {
    include: ["src/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "test-report.json" }]],
    testTimeout: 30_000,
  },
});
