import { defineConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.shared.ts";

export default defineConfig(packageTestConfig({ testTimeoutMs: 180_000, noNodeSnapshot: true }));
