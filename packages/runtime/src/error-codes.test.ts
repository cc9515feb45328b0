import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allErrorCodes } from "@tinyllm/core";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === "node_modules" || name === "dist" || name === "testing" ? [] : sources(file);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [file] : [];
  });
}

describe("error codes", () => {
  it("every code a package raises is in @tinyllm/core's ErrorCode list", () => {
    const files = ["packages", "apps"]
      .flatMap((top) => readdirSync(path.join(root, top)).map((name) => path.join(root, top, name, "src")))
      .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory());
    const unlisted = new Set<string>();
    let seen = 0;
    for (const file of files.flatMap(sources)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/\bcode: "([A-Z][A-Z0-9_]+)"/g)) {
        seen++;
        if (!allErrorCodes.has(match[1]!)) unlisted.add(`${match[1]} (${path.relative(root, file)})`);
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect([...unlisted]).toEqual([]);
  });
});
