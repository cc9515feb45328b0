import { describe, expect, it } from "vitest";
import { nextVersion, parseVersionNumbers } from "./bump-version";

describe("nextVersion", () => {
  it("should raise the minor version by default", () => {
    expect(nextVersion(["1.0.0"])).toBe("1.1.0");
    expect(nextVersion(["1.4.2"], "minor")).toBe("1.5.0");
    expect(nextVersion(["1.4.2"], "patch")).toBe("1.4.3");
    expect(nextVersion(["1.4.2"], "major")).toBe("2.0.0");
  });

  it("should raise past every known version, so numbers stay unique after a rollback", () => {
    expect(nextVersion(["1.0.0", "1.1.0", "1.0.0"])).toBe("1.2.0");
    expect(nextVersion(["1.1.0", "1.0.0"])).toBe("1.2.0");
  });

  it("should read short and prefixed versions and count non-numeric ones as 1.0.0", () => {
    expect(parseVersionNumbers("2")).toEqual([2, 0, 0]);
    expect(parseVersionNumbers("v1.2.3-beta")).toEqual([1, 2, 3]);
    expect(parseVersionNumbers("draft")).toBeUndefined();
    expect(nextVersion(["1"])).toBe("1.1.0");
    expect(nextVersion(["draft"])).toBe("1.1.0");
  });
});
