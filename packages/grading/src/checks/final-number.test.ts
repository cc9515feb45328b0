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

  it.each([
    ["She makes $18 a day. Let me know if you have 2 more questions!", 18],
    ["She makes 18 dollars per day, from selling 9 eggs at $2 each.", 18],
    ["9 * 2 = 18, so she makes $18 each day, 7 days a week.", 18],
    ["So he runs 540 meters in 1 week.", 540],
    ["So she has 3 balls (2 blue + 1 white).", 3],
    ["$400 000 - $282 000 = $118 000", 118000],
    ["#### Step 1\nShe sells 9 eggs.\n#### Step 2\n9 * 2 = 18\n#### Final Answer\n$18", 18],
    ["The answer is not 9, it is 18.", 18],
    ["\\boxed{70{,}000}", 70000],
    ["The ratio is \\frac{3}{4}.", 0.75],
    ["So she needs 1 1/2 cups.", 1.5],
    ["So she needs 1½ cups.", 1.5],
    ["In total it costs 70 thousand dollars.", 70000],
    ["**Answer:**\n\n1. Eggs left: 16 - 3 - 4 = 9\n2. Money: 9 * $2 = $18 a day", 18],
    ["### Answer\nHe starts earning money in year **13**.", 13],
    ["She runs 6 miles a day for 3 days. She travels 18 miles in total. Have fun!", 18],
    ["It takes 2 + 2/2 = 3 bolts in total, not 4.", 3],
    ["So she eats 84 eggs in total. Claire will eat 7 dozen eggs in 4 weeks.", 7],
    ["She needs 60 / 15 = 4 cartons. At $4.00 per carton, she will spend $16.00.\n\nHope that helps! If you have 2 or 3 more problems, ask.", 16],
  ])("reads %j as %d", (answer, value) => {
    expect(extractFinalNumber(answer)?.value).toBe(value);
  });

  it.each([
    ["12 were sold, 12 are left, and half of 12 is 6.", 6],
    ["She had 20 stickers, gave away 8, and 12 are left.", 12],
    ["The pizza has 8 slices, they ate 5, and 3 slices remain.", 3],
    ["Half of 30 is 15, and a third of 15 is 5.", 5],
    ["There were 40 students, a quarter went home early, leaving 30.", 30],
    ["He had $50; he spent $20 on food and $5 on a ticket; $25 was left.", 25],
    ["A third of 27 is 9 marbles, which leaves 18 for Tom.", 18],
    ["17 times 24 is 408.", 408],
    ["12 out of 20 students is 60%.", 60],
    ["So half of 12 is 6.", 6],
    ["He sold 12, so 12 are left, and half of 12 is 6.", 6],
    ["She spent $5 on lunch and $3 on a drink, leaving her $12.", 12],
    ["Tom is 12, Ann is 3 years older, and together they are about 27.", 27],
  ])("reads the result of the last clause of %j as %d", (answer, value) => {
    expect(extractFinalNumber(answer)?.value).toBe(value);
  });

  it.each([
    ["The answer is 5, because 2 + 3 = 5.", 5],
    ["The answer is 21, because 4 × 5 = 20.", 21],
    ["She has 18 apples, 6 more than before.", 18],
    ["Mike is 14 years old, twice as old as his sister.", 14],
    ["The garden is 12 meters long, and the fence is 3 times as long.", 12],
    ["Claire will eat 7 dozen eggs in 4 weeks, 3 a day.", 7],
    ["She earns $18 a day, 7 days a week.", 18],
    ["He needs 5 more cards, because he has 15 and the set is 20.", 5],
    ["She saves $20 because her rent is $300.", 20],
    ["The candle will be 8 cm shorter, since it burns 2 cm an hour for 4 hours.", 8],
    ["She will be 18 when her brother is 12.", 18],
    ["It takes 3 hours, and she leaves at 5.", 3],
    ["Lisa has 9 marbles and Tom has 4.", 9],
    ["He was born 14 years ago, when his father was 23.", 14],
    ["It will take 360/30 = 12 days for its height to be 600 inches.", 12],
    ["Raymond had his son at 23, which was 37 − 23 years ago.", 23],
  ])("keeps the leading result of %j (%d) when the last clause states none", (answer, value) => {
    expect(extractFinalNumber(answer)?.value).toBe(value);
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
    expect(numbersAgree(1000000.4, 1000000)).toBe(false);
  });
});
