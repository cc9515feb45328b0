import { extractFinalNumber, numbersAgree, parseNumber } from "@tinyllm/grading";
import type { BenchItem } from "./bench-item";
import { badRow, firstItems, parseJsonLines, readDataFile } from "./read-data-file";
import type { Suite } from "./suite";

const dataFile = "gsm8k/test.jsonl";

/** The number after `####` in a GSM8K solution. */
export function gsm8kFinal(solution: string): number | undefined {
  const text = /####\s*(.+?)\s*$/.exec(solution)?.[1];
  return text === undefined ? undefined : parseNumber(text.replace(/,/g, ""));
}

/**
 * GSM8K (test): grade-school word problems. An answer passes when its final number equals the
 * reference's (the number after `####`). Item ids are `gsm8k/<line>` from 0, as the data set
 * has no ids of its own.
 */
export const gsm8kSuite: Suite = {
  name: "gsm8k",
  description: "GSM8K test: math word problems, scored by the final number",
  baselines: true,
  dataFile,
  system: "You are a careful math tutor. Solve the problem step by step. End with the final answer alone on the last line, as: #### <number>",
  async load(dataDir, { limit } = {}) {
    const { file, text } = await readDataFile(dataDir, dataFile, "gsm8k");
    return firstItems(parseJsonLines(text, file), limit).map((row, index): BenchItem => {
      const { question, answer } = (row ?? {}) as { question?: unknown; answer?: unknown };
      if (typeof question !== "string" || typeof answer !== "string") throw badRow(file, `line ${index + 1}`, "lacks question or answer");
      return { id: `gsm8k/${index}`, suite: "gsm8k", turns: [question], reference: answer };
    });
  },
  async score(item, answers) {
    const expected = gsm8kFinal(item.reference ?? "");
    if (expected === undefined) return { pass: null, score: null, scoredBy: "final-number: the reference has no #### line" };
    const found = extractFinalNumber(answers.at(-1) ?? "");
    const pass = found !== undefined && numbersAgree(found.value, expected);
    return { pass, score: pass ? 1 : 0, scoredBy: "final-number" };
  },
};
