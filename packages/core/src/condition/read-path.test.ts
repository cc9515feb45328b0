import { describe, it, expect } from "vitest";
import { readPath } from "./read-path";

describe("readPath", () => {
  const state = { route: { name: "code", labels: ["a", "b"] }, text: "hello", zero: 0 };

  it("reads nested own properties and array indexes", () => {
    expect(readPath(state, ["route", "name"])).toBe("code");
    expect(readPath(state, ["route", "labels", 1])).toBe("b");
    expect(readPath(state, ["zero"])).toBe(0);
  });

  it("reads the length of arrays and strings", () => {
    expect(readPath(state, ["route", "labels", "length"])).toBe(2);
    expect(readPath(state, ["text", "length"])).toBe(5);
  });

  it("gives undefined for missing paths without throwing", () => {
    expect(readPath(state, ["missing"])).toBeUndefined();
    expect(readPath(state, ["missing", "deeper", 0])).toBeUndefined();
    expect(readPath(state, ["route", "labels", 5])).toBeUndefined();
    expect(readPath(state, ["zero", "x"])).toBeUndefined();
    expect(readPath(null, ["a"])).toBeUndefined();
  });

  it("indexes arrays (own elements only) and strings", () => {
    expect(readPath({ o: { 0: "x" } }, ["o", 0])).toBeUndefined();
    expect(readPath({ s: "abc" }, ["s", 0])).toBe("a");
    expect(readPath({ s: "abc" }, ["s", 3])).toBeUndefined();
    // eslint-disable-next-line no-sparse-arrays
    expect(readPath({ a: [, "b"] }, ["a", 0])).toBeUndefined();
  });

  it("never reads inherited properties", () => {
    expect(readPath({}, ["toString"])).toBeUndefined();
    expect(readPath({ a: [] }, ["a", "map"])).toBeUndefined();
    expect(readPath({ s: "x" }, ["s", "toUpperCase"])).toBeUndefined();
    const child = Object.create({ inherited: 1 }) as Record<string, unknown>;
    expect(readPath({ child }, ["child", "inherited"])).toBeUndefined();
  });
});
