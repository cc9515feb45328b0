import { describe, expect, it } from "vitest";
import { capUtf8 } from "./cap-utf8";

describe("capUtf8", () => {
  it("should leave text within the limit alone", () => {
    expect(capUtf8("héllo", 6)).toEqual({ text: "héllo", truncated: false });
  });

  it.each([
    ["ASCII", "abcdef", 4, "abcd"],
    ["a 2-byte character cut in half", "aé", 2, "a"],
    ["a 3-byte character cut", "a€b", 3, "a"],
    ["a 4-byte character cut", "a😀b", 4, "a"],
    ["right after a 4-byte character", "a😀b", 5, "a😀"],
  ])("should cut %s on a character boundary", (_name, text, maxBytes, expected) => {
    expect(capUtf8(text, maxBytes)).toEqual({ text: expected, truncated: true });
  });
});
