import { describe, it, expect } from "vitest";
import { compilePath } from "./compile-path";

describe("compilePath", () => {
  it("reads single-name paths as own properties only", () => {
    const read = compilePath(["x"]);
    expect(read({ x: 5 })).toBe(5);
    expect(read({})).toBeUndefined();
    expect(compilePath(["toString"])({})).toBeUndefined();
    expect(read(null)).toBeUndefined();
    expect(read("x")).toBeUndefined();
  });

  it("reads multi-segment paths", () => {
    const read = compilePath(["a", 1, "b"]);
    expect(read({ a: [{}, { b: "hit" }] })).toBe("hit");
    expect(read({ a: [{}] })).toBeUndefined();
    expect(compilePath([0])([["first"]])).toEqual(["first"]);
  });
});
