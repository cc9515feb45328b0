import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultVerdictStorePath } from "./default-verdict-store-path";

describe("defaultVerdictStorePath", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("should be .tinyllm/verdicts.db under the given directory", () => {
    vi.stubEnv("TINYLLM_VERDICTS", undefined);
    expect(defaultVerdictStorePath("/project")).toBe(join(resolve("/project"), ".tinyllm", "verdicts.db"));
  });

  it("should default to the working directory", () => {
    vi.stubEnv("TINYLLM_VERDICTS", undefined);
    expect(defaultVerdictStorePath()).toBe(join(process.cwd(), ".tinyllm", "verdicts.db"));
  });

  it("should use TINYLLM_VERDICTS when set, resolving a relative path against the directory", () => {
    vi.stubEnv("TINYLLM_VERDICTS", "/data/v.db");
    expect(defaultVerdictStorePath("/project")).toBe(resolve("/data/v.db"));
    vi.stubEnv("TINYLLM_VERDICTS", "stores/v.db");
    expect(defaultVerdictStorePath("/project")).toBe(resolve("/project", "stores/v.db"));
  });

  it("should ignore an empty TINYLLM_VERDICTS", () => {
    vi.stubEnv("TINYLLM_VERDICTS", "");
    expect(defaultVerdictStorePath("/project")).toBe(join(resolve("/project"), ".tinyllm", "verdicts.db"));
  });
});
