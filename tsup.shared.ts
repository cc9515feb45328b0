/**
 * tsup settings shared by every published library: ESM and CommonJS with type declarations and
 * source maps, for Node 20.
 */
import type { Options } from "tsup";

/** The library build; each package adds its `entry` and what it needs beyond this. */
export const libraryBuild = {
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  treeshake: true,
} satisfies Options;
