/**
 * Vitest settings shared by every workspace package.
 *
 * Tests run from source: each package's `exports` lists a `@tinyllm/source` condition that
 * points at `src/*.ts`, and these settings make Vite resolve it first, so a test of
 * `@tinyllm/grading` uses the current sources of `@tinyllm/core` rather than its `dist/`, and
 * `pnpm test` needs no build first. Published packages are unaffected: only tools told about
 * the condition (this file, `customConditions` in tsconfig.base.json) ever pick it.
 */
import type { ViteUserConfig } from "vitest/config";

/** The export condition that points at a workspace package's TypeScript sources. */
export const sourceCondition = "@tinyllm/source";

/**
 * Resolve workspace packages to their sources. Tests run in Vite's `ssr` environment; Vitest
 * adds its default conditions (`node`, `development`) to these, and passes the `ssr` ones to
 * the test processes as `--conditions`.
 */
export const resolveFromSource = {
  resolve: { conditions: [sourceCondition] },
  ssr: { resolve: { conditions: [sourceCondition] } },
} satisfies ViteUserConfig;

/** Options of {@link packageTestConfig}. */
export interface PackageTestOptions {
  /** Longest a test may take before it counts as hung. Default 30 000 ms. */
  testTimeoutMs?: number;
  /** Run test processes with `--no-node-snapshot`, which isolated-vm needs in-process. Default false. */
  noNodeSnapshot?: boolean;
}

/**
 * A package's Vitest settings: its `src/**\/*.test.ts` from source, with a JSON report in
 * `test-report.json` that `.ci/run` counts.
 */
export function packageTestConfig({ testTimeoutMs = 30_000, noNodeSnapshot = false }: PackageTestOptions = {}): ViteUserConfig {
  return {
    ...resolveFromSource,
    test: {
      include: ["src/**/*.test.ts"],
      reporters: ["default", ["json", { outputFile: "test-report.json" }]],
      testTimeout: testTimeoutMs,
      // The default forks pool passes these on to the test processes.
      ...(noNodeSnapshot ? { execArgv: ["--no-node-snapshot"] } : {}),
    },
  };
}
