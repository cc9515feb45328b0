import { describe, expect, it } from "vitest";
import { FeatureExtractor, hashString, normalizeText, stem, tokenize } from "./features";
import { DEFAULT_ROUTER_LEXICON } from "./lexicon";

const extractor = new FeatureExtractor({
  charNgrams: [3, 5],
  wordBigrams: true,
  weights: { word: 1, char: 1, shape: 0.5, concept: 0.7, cross: 0.7 },
  lexicon: DEFAULT_ROUTER_LEXICON,
});

function featureNames(text: string): string[] {
  return [...(extractor.extract(text, true).names?.values() ?? [])];
}

describe("normalizeText and tokenize", () => {
  it("rewrites language names that contain symbols and keeps operators as tokens", () => {
    expect(normalizeText("C++ and C# on .NET with Node.js")).toContain("cplusplus");
    expect(normalizeText("C# and F#")).toMatch(/csharp.*fsharp/);
    expect(normalizeText("Node.js")).toBe("nodejs");
    expect(tokenize(normalizeText("f(x) = 3x^2 + 1; a => b != c"))).toEqual(expect.arrayContaining(["(", ")", "=", "^", "+", ";", "=>", "!="]));
  });

  it("maps unicode maths operators to ASCII", () => {
    expect(normalizeText("17 × 24 ÷ 3 − 1")).toBe("17 * 24 / 3 - 1");
  });
});

describe("stem", () => {
  it("merges inflections that matter for routing", () => {
    expect(stem("integrals")).toBe(stem("integral"));
    expect(stem("integrating")).toBe(stem("integrate"));
    expect(stem("queries")).toBe("query");
    expect(stem("sorting")).toBe(stem("sorted"));
    expect(stem("calculus")).toBe("calculus");
    expect(stem("analysis")).toBe("analysis");
  });
});

describe("FeatureExtractor", () => {
  it("detects arithmetic, algebra and code shapes", () => {
    expect(featureNames("2+2?")).toEqual(expect.arrayContaining(["s:arith", "s:exprOnly"]));
    expect(featureNames("solve 3x + 7 = 22")).toEqual(expect.arrayContaining(["s:varpoly", "s:equation"]));
    expect(featureNames("console.log(foo) prints undefined")).toEqual(expect.arrayContaining(["s:dotcall", "d:code"]));
    expect(featureNames("my_var is not defined")).toContain("s:snake");
    expect(featureNames("why does useEffect run twice")).toContain("s:camel");
    expect(featureNames("SELECT name FROM users WHERE id = 1")).toContain("s:sql");
    expect(featureNames("the capital of peru")).not.toContain("s:arith");
  });

  it("matches lexicon phrases of several words and inflected single words", () => {
    expect(featureNames("reverse a linked list")).toContain("l:code.algo");
    expect(featureNames("what are eigenvalues")).toContain("l:math.term");
    expect(featureNames("integrals of rational functions")).toContain("l:math.term");
    // "list" alone is not in the lexicon: ambiguous words are left to the n-grams.
    expect(featureNames("a shopping list")).not.toContain("l:code.algo");
  });

  it("emits a domain-combination feature only when two domains meet", () => {
    const both = featureNames("write a python function for the factorial of n");
    expect(both).toEqual(expect.arrayContaining(["d:code", "d:math", "x:code&math"]));
    expect(featureNames("what is the factorial of 5")).not.toContain("x:code&math");
  });

  it("is deterministic and keys features by their hashed name", () => {
    const a = extractor.extract("Implement binary search in Go", true);
    const b = extractor.extract("Implement binary search in Go");
    expect([...a.features]).toEqual([...b.features]);
    for (const [key, name] of a.names ?? []) expect(hashString(name) === key || name.startsWith("c:")).toBe(true);
    expect(hashString("w:python")).toBeLessThan(2 ** 30);
  });

  it("reports content words and evidence for the coverage estimate", () => {
    const plain = extractor.extract("the of and");
    expect(plain.contentWords).toHaveLength(0);
    expect(extractor.extract("2+2").signals).toBeGreaterThan(0);
    expect(extractor.extract("zorblat quixotic").contentWords).toHaveLength(2);
  });
});
