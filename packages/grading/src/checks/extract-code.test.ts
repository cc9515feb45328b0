import { describe, expect, it } from "vitest";
import { asksForCode, extractCode, runnableCode } from "./extract-code";

describe("extractCode", () => {
  it("finds fenced blocks with their languages, in order", () => {
    const blocks = extractCode("Here:\n```python\ndef f():\n    return 1\n```\nand\n~~~js\nconst g = () => 2;\n~~~\n");
    expect(blocks).toEqual([
      { language: "python", code: "def f():\n    return 1" },
      { language: "javascript", code: "const g = () => 2;" },
    ]);
  });

  it("guesses the language of untagged blocks and of bare code answers", () => {
    expect(extractCode("```\ndef is_prime(n):\n    return n > 1\n```")[0]?.language).toBe("python");
    expect(extractCode("```\nfunction f(x) {\n  return x;\n}\n```")[0]?.language).toBe("javascript");
    expect(extractCode("def f(x):\n    return x + 1\n")).toEqual([{ language: "python", code: "def f(x):\n    return x + 1" }]);
    expect(extractCode("Definitely not code. Just prose about def and class.")).toEqual([]);
  });

  it("joins the blocks of one language", () => {
    expect(runnableCode(extractCode("```python\nimport math\n```\ntext\n```python\nprint(math.pi)\n```"), "python")).toBe("import math\n\nprint(math.pi)");
    expect(runnableCode(extractCode("```bash\nls\n```"), "python")).toBeUndefined();
  });
});

describe("asksForCode", () => {
  it.each([
    ["Write a Python function to check if a number is prime", true],
    ["Implement binary search in Java", true],
    ["Fix this code: for i in range(10) print(i)", true],
    ["Explain the difference between a process and a thread", false],
    ["What is the capital of France?", false],
  ])("%s → %s", (query, expected) => expect(asksForCode(query)).toBe(expected));
});
