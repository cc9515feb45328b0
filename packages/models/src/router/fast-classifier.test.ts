import { TinyLLMError } from "@tinyllm/core";
import { describe, expect, it } from "vitest";
import { trainFastClassifier } from "./fast-classifier";
import type { FastLabelSpec } from "./fast-classifier";

const compound = [
  "write a python function that returns the nth fibonacci number",
  "implement the sieve of eratosthenes in c++",
  "compute the standard deviation of an array in javascript",
  "numpy code to multiply two matrices",
  "what is the time complexity of merge sort",
  "write a java method that checks whether a number is prime",
];

const labels: FastLabelSpec[] = [
  {
    name: "code",
    description: "Programming: writing and debugging code, errors, frameworks, git, SQL.",
    examples: [
      "how do I reverse a string in python",
      "fix this javascript TypeError: undefined is not a function",
      "write a sql query joining two tables",
      "git rebase vs merge",
      "my docker container keeps restarting",
      "explain closures in javascript",
      "how to read a file in java",
      "center a div with css",
      "rust borrow checker error",
      "write a bash script to rename files",
      ...compound,
    ],
  },
  {
    name: "math",
    description: "Mathematics: arithmetic, algebra, calculus, probability and statistics.",
    examples: [
      "what is 15% of 240",
      "solve 3x + 7 = 22",
      "derivative of x^2 sin x",
      "integrate 1/x from 1 to e",
      "probability of two heads in three coin flips",
      "a train travels 120 km in 2 hours, what is its speed",
      "find the area of a circle with radius 4",
      "what is the mean of 3, 5 and 10",
      "simplify (x^2 - 1)/(x - 1)",
      "convert 5 miles to kilometers",
      ...compound,
    ],
  },
  {
    name: "general",
    description: "Everything else: history, travel, cooking, health, writing and advice.",
    examples: [
      "what is the capital of france",
      "who was napoleon",
      "write a poem about the sea",
      "recipe for banana bread",
      "how can I sleep better",
      "things to do in rome",
      "why is the sky blue",
      "tips for a job interview",
      "summarize romeo and juliet",
      "how do vaccines work",
    ],
  },
];

const classifier = trainFastClassifier({ labels });

describe("trainFastClassifier / classify", () => {
  it("routes clear single-domain queries to their label", () => {
    expect(classifier.classify("how do I fix a python IndexError").labels).toEqual(["code"]);
    expect(classifier.classify("what is 20% of 80").labels).toEqual(["math"]);
    expect(classifier.classify("best things to do in paris").labels).toEqual(["general"]);
  });

  it("answers a compound label set for code whose purpose is a computation", () => {
    const result = classifier.classify("write a javascript function that returns the factorial of n");
    expect(result.labels).toEqual(["code", "math"]);
    expect(result.scores.code).toBeGreaterThan(0.5);
    expect(result.scores.math).toBeGreaterThan(0.5);
  });

  it("returns scores in [0, 1] for every label and a non-empty label set", () => {
    for (const query of ["", "hm", "write a poem", "x^2", "npm install fails"]) {
      const result = classifier.classify(query);
      expect(Object.keys(result.scores).sort()).toEqual(["code", "general", "math"]);
      for (const score of Object.values(result.scores)) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
      expect(result.labels.length).toBeGreaterThan(0);
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
    }
  });

  it("only answers label sets seen in training by default", () => {
    expect(classifier.labelSets).toEqual([["code"], ["code", "math"], ["math"], ["general"]]);
    // A query mixing programming and travel cannot come out as {code, general}.
    const mixed = classifier.classify("write a python script that plans my trip to rome");
    expect(mixed.labels).not.toEqual(["code", "general"]);
  });

  it("is less confident on gibberish, empty and foreign-language queries than on clear ones", () => {
    const clear = classifier.classify("solve 2x + 3 = 11").confidence;
    expect(clear).toBeGreaterThan(0.8);
    expect(classifier.classify("").confidence).toBe(0);
    expect(classifier.classify("blorf zizzle wompat").confidence).toBe(0);
    expect(classifier.classify("quelle heure est-il maintenant chez vous").confidence).toBeLessThan(0.5);
  });

  it("is deterministic", () => {
    const again = trainFastClassifier({ labels });
    for (const query of ["fibonacci in go", "who painted guernica", "2+2?", "css grid gap"]) {
      expect(again.classify(query)).toEqual(classifier.classify(query));
    }
    expect(again.stats.temperature).toBe(classifier.stats.temperature);
  });

  it("honours labelSets: 'any' allows unseen sets, an explicit list restricts", () => {
    const any = trainFastClassifier({ labels, labelSets: "any", calibrationFolds: 0 });
    expect(any.labelSets).toHaveLength(7);
    const restricted = trainFastClassifier({ labels, labelSets: [["code"], ["general"]], calibrationFolds: 0 });
    const result = restricted.classify("what is 15% of 80");
    expect([["code"], ["general"]]).toContainEqual(result.labels);
  });

  it("reports training facts and a fitted temperature", () => {
    expect(classifier.stats.examples).toBe(36 + 3);
    expect(classifier.stats.features).toBeGreaterThan(100);
    expect(classifier.stats.temperature).toBeGreaterThan(0);
    expect(trainFastClassifier({ labels, calibrationFolds: 0 }).stats.temperature).toBe(1);
  });

  it("explains a decision with readable feature names", () => {
    const explanation = classifier.explain("write a sql query", 5);
    expect(Object.keys(explanation)).toEqual(["code", "math", "general"]);
    const code = explanation.code ?? [];
    expect(code).toHaveLength(5);
    expect(code.some((c) => c.feature.startsWith("w:") || c.feature.startsWith("l:") || c.feature.startsWith("d:"))).toBe(true);
  });

  it("rejects invalid label definitions with INVALID_ARGUMENT", () => {
    const expectInvalid = (fn: () => unknown): void => {
      try {
        fn();
      } catch (error) {
        expect(TinyLLMError.isInstance(error)).toBe(true);
        expect((error as TinyLLMError).code).toBe("INVALID_ARGUMENT");
        return;
      }
      throw new Error("expected a TinyLLMError");
    };
    expectInvalid(() => trainFastClassifier({ labels: [{ name: "a", examples: ["x"] }] }));
    expectInvalid(() =>
      trainFastClassifier({
        labels: [
          { name: "a", examples: ["x"] },
          { name: "a", examples: ["y"] },
        ],
      }),
    );
    expectInvalid(() =>
      trainFastClassifier({
        labels: [
          { name: "a", examples: ["x"] },
          { name: "b", examples: [] },
        ],
      }),
    );
    expectInvalid(() => trainFastClassifier({ labels, labelSets: [["code", "nope"]] }));
  });
});
