import { describe, it, expect } from "vitest";
import { describePosition } from "./describe-position";

describe("describePosition", () => {
  it("gives a 1-based column for single-line sources", () => {
    expect(describePosition("a and b", 0)).toBe("column 1");
    expect(describePosition("a and b", 6)).toBe("column 7");
  });

  it("gives line and column for multi-line sources", () => {
    expect(describePosition("a and\n  b", 8)).toBe("line 2, column 3");
    expect(describePosition("a and\n  b", 2)).toBe("line 1, column 3");
  });
});
