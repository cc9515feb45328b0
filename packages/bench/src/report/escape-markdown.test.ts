import { describe, expect, it } from "vitest";
import { clipText, escapeMarkdown } from "./escape-markdown";

describe("escapeMarkdown", () => {
  it("should keep a table cell one cell and markup literal", () => {
    expect(escapeMarkdown("a | b\nc <script>*x*</script> [l](u) `c` _e_ \\")).toBe(
      "a \\| b c \\<script\\>\\*x\\*\\</script\\> \\[l\\](u) \\`c\\` \\_e\\_ \\\\",
    );
  });
});

describe("clipText", () => {
  it("should collapse whitespace and cut long text with an ellipsis, by characters", () => {
    expect(clipText("  a\n\n b  ", 10)).toBe("a b");
    expect(clipText("x".repeat(130), 120)).toBe(`${"x".repeat(119)}…`);
    expect(Array.from(clipText("é🙂".repeat(100), 120))).toHaveLength(120);
  });
});
