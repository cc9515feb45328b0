import { describe, expect, it } from "vitest";
import { extractiveSummary } from "./extractive-summary";

describe("extractiveSummary", () => {
  it("keeps each turn's first sentence and the sentences with numbers or names, by role", () => {
    const { text, by } = extractiveSummary({
      messages: [
        { role: "user", content: "I want to plan a trip. It should be fun. My budget is 1200 euros. I'd like to see Lisbon." },
        { role: "assistant", content: "Great idea! Let me think. Spring is nice." },
      ],
      maxChars: 500,
    });
    expect(by).toBe("extractive");
    expect(text).toBe("user: I want to plan a trip. My budget is 1200 euros. I'd like to see Lisbon.\nassistant: Great idea!");
  });

  it("puts the previous summary first and drops the oldest text when over maxChars", () => {
    const { text } = extractiveSummary({
      previous: "Ada is planning a trip to Lisbon with a budget of 1200 euros.",
      messages: [{ role: "user", content: "Book the hotel for 3 nights." }],
      maxChars: 60,
    });
    expect(text.length).toBeLessThanOrEqual(60);
    expect(text.endsWith("user: Book the hotel for 3 nights.")).toBe(true);
  });

  it("is never empty when there were turns, even with a tiny maxChars and one huge turn", () => {
    const { text } = extractiveSummary({ messages: [{ role: "user", content: "x".repeat(10_000) }], maxChars: 5 });
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(20);
    expect(text.startsWith("user: ")).toBe(true);
  });

  it("is empty for no turns and no previous summary", () => {
    expect(extractiveSummary({ messages: [], maxChars: 100 }).text).toBe("");
  });
});
