import { describe, expect, it } from "vitest";
import { extractFinalNumber, numbersAgree, parseNumber } from "./final-number";

describe("parseNumber", () => {
  it.each([
    ["72", 72],
    ["1,234.5", 1234.5],
    ["$12", 12],
    ["-3", -3],
    ["−3", -3],
    ["45%", 45],
    ["3/4", 0.75],
    [".5", 0.5],
  ])("reads %s", (text, value) => expect(parseNumber(text)).toBe(value));

  it.each(["", "abc", "1,23", "1/0", "-"])("refuses %j", (text) => expect(parseNumber(text)).toBeUndefined());
});

describe("extractFinalNumber", () => {
  it("prefers GSM8K's #### marker over later numbers", () => {
    expect(extractFinalNumber("She sold 48/2 = <<48/2=24>>24 clips.\n#### 72\nThat was in 2024.")).toMatchObject({ value: 72, how: "marker" });
  });

  it("reads \\boxed{} and 'the answer is'", () => {
    expect(extractFinalNumber("so \\boxed{1,250} dollars")?.value).toBe(1250);
    expect(extractFinalNumber("First 3 + 4 = 7. The answer is 18 apples, not 7.")?.value).toBe(18);
    expect(extractFinalNumber("**Final answer:** $1,020.50")?.value).toBe(1020.5);
  });

  it("falls back to the last number, skipping digits inside words", () => {
    expect(extractFinalNumber("Tom has 5 apples and Ann 7, so 12 together with x2 mp3")?.value).toBe(12);
    expect(extractFinalNumber("no numbers here")).toBeUndefined();
  });

  it("reads the result of a calculation after a marker, and the next line after a bare marker", () => {
    expect(extractFinalNumber("Answer: 3 + 4 = 7")?.value).toBe(7);
    expect(extractFinalNumber("Final answer:\n42 apples")?.value).toBe(42);
    expect(extractFinalNumber("The answer depends on 3 things. In the end she has 12.")?.value).toBe(12);
  });

  it("skips labels and list markers when falling back to the last number", () => {
    expect(extractFinalNumber("She has 72 clips in total. Tell me if step 2 is unclear.")?.value).toBe(72);
    expect(extractFinalNumber("So 15 pens are left.\n1. Check the count\n2. Done")?.value).toBe(15);
  });

  it("ignores calculator annotations", () => {
    expect(extractFinalNumber("It costs 5*3 = <<5*3=15>>15 dollars")?.value).toBe(15);
  });
});

describe("numbersAgree", () => {
  it("uses a relative tolerance", () => {
    expect(numbersAgree(0.1 + 0.2, 0.3)).toBe(true);
    expect(numbersAgree(2.5, 2.5000000001)).toBe(true);
    expect(numbersAgree(72, 73)).toBe(false);
    expect(numbersAgree(1e9, 1e9 + 1)).toBe(false);
  });
});
