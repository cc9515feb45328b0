import type { BenchItem } from "./bench-item";
import { badRow, firstItems, parseJsonLines, readDataFile } from "./read-data-file";
import { scoreCode } from "./score-code";
import type { Suite } from "./suite";

const dataFile = "humaneval/HumanEval.jsonl";

/** HumanEval: complete a Python function; passes when the data set's `check(candidate)` passes in the sandbox. */
export const humanevalSuite: Suite = {
  name: "humaneval",
  description: "HumanEval: Python functions from a signature and docstring, scored by the data set's tests",
  baselines: true,
  dataFile,
  system: "You are an expert Python programmer. Reply with the complete function, including its signature, in one ```python code block.",
  async load(dataDir, { limit } = {}) {
    const { file, text } = await readDataFile(dataDir, dataFile, "humaneval");
    return firstItems(parseJsonLines(text, file), limit).map((row, index): BenchItem => {
      const { task_id, prompt, test, entry_point } = (row ?? {}) as Record<string, unknown>;
      if (typeof task_id !== "string" || typeof prompt !== "string" || typeof test !== "string" || typeof entry_point !== "string")
        throw badRow(file, `line ${index + 1}`, "lacks task_id, prompt, test or entry_point");
      return {
        id: task_id,
        suite: "humaneval",
        turns: [`Complete this Python function:\n\n\`\`\`python\n${prompt}\`\`\``],
        tests: { language: "python", testCode: test, entryPoint: entry_point },
        codePrefix: prompt,
        entryPoint: entry_point,
      };
    });
  },
  score: (item, answers, context) => scoreCode(item, answers.at(-1) ?? "", context),
};
