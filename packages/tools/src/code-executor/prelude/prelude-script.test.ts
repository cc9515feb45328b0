import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { bundlePrelude, generatedSource } from "../../../scripts/bundle-prelude.mjs";

describe("the bundled prelude", () => {
  it("is up to date with its modules (run `pnpm --filter @tinyllm/tools bundle:prelude` when this fails)", () => {
    const current = readFileSync(fileURLToPath(new URL("./prelude-script.generated.ts", import.meta.url)), "utf8");
    expect(current).toBe((generatedSource as (script: string) => string)((bundlePrelude as () => string)()));
  });

  it("defines the harness factory and leaves no helper of a TypeScript loader behind", async () => {
    const { preludeScript } = await import("./prelude-script.generated");
    expect(preludeScript).toContain("var __tinyllmPrelude =");
    expect(preludeScript).not.toMatch(/\b__name\(/);
    expect(preludeScript).not.toMatch(/^\s*import\b|\bimport\(/m);
  });
});
