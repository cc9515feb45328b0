import { describe, it, expect } from "vitest";
import { testMembership } from "./test-membership";

describe("testMembership", () => {
  it("tests arrays by strict equality", () => {
    expect(testMembership(["code", "math"], "code")).toBe(true);
    expect(testMembership(["code", "math"], "chat")).toBe(false);
    expect(testMembership([1, 2], "1")).toBe(false);
    expect(testMembership([[1]], [1])).toBe(false);
    expect(testMembership([Number.NaN], Number.NaN)).toBe(false);
    expect(testMembership([null], null)).toBe(true);
  });

  it("tests strings by substring, only for string items", () => {
    expect(testMembership("hello world", "lo w")).toBe(true);
    expect(testMembership("hello", "xyz")).toBe(false);
    expect(testMembership("hello", "")).toBe(true);
    expect(testMembership("123", 1)).toBeUndefined();
  });

  it("tests own keys of plain objects", () => {
    expect(testMembership({ code: 1 }, "code")).toBe(true);
    expect(testMembership({ code: 1 }, "math")).toBe(false);
    expect(testMembership({ 1: "x" }, 1)).toBe(true);
    expect(testMembership(Object.assign(Object.create(null) as object, { a: 1 }), "a")).toBe(true);
  });

  it("never reports inherited keys", () => {
    expect(testMembership({}, "toString")).toBe(false);
    expect(testMembership({}, "__proto__")).toBe(false);
    expect(testMembership({}, "constructor")).toBe(false);
  });

  it("cannot test non-containers, class instances or odd keys", () => {
    expect(testMembership(undefined, "a")).toBeUndefined();
    expect(testMembership(null, "a")).toBeUndefined();
    expect(testMembership(42, 4)).toBeUndefined();
    expect(testMembership(new Map([["a", 1]]), "a")).toBeUndefined();
    expect(testMembership(new Date(), "a")).toBeUndefined();
    expect(testMembership({ a: 1 }, null)).toBeUndefined();
    expect(testMembership({ NaN: 1 }, Number.NaN)).toBeUndefined();
  });
});
