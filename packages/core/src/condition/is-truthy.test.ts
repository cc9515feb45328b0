import { describe, it, expect } from "vitest";
import { isTruthy } from "./is-truthy";

describe("isTruthy", () => {
  it("follows JavaScript truthiness for scalars", () => {
    expect([true, 1, -1, "a", "0", "false"].map(isTruthy)).toEqual([true, true, true, true, true, true]);
    expect([false, 0, -0, Number.NaN, "", null, undefined].map(isTruthy)).toEqual([false, false, false, false, false, false, false]);
  });

  it("treats an empty array as false and a non-empty one as true", () => {
    expect(isTruthy([])).toBe(false);
    expect(isTruthy([0])).toBe(true);
  });

  it("treats any object, even an empty one, as true", () => {
    expect(isTruthy({})).toBe(true);
  });
});
