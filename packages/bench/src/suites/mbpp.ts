import type { BenchItem } from "./bench-item";
import { badRow, firstItems, readDataFile } from "./read-data-file";
import { scoreCode } from "./score-code";
import type { Suite } from "./suite";
import { benchError } from "../bench-error";

const dataFile = "mbpp/sanitized-mbpp.json";

/**
 * MBPP (sanitized): a Python task in one sentence with its tests shown, as the MBPP paper prompts
 * it; passes when every `assert` of the data set passes in the sandbox.
 */
export const mbppSuite: Suite = {
  name: "mbpp",
  description: "MBPP sanitized: short Python tasks, scored by the data set's asserts",
  baselines: true,
  dataFile,
  system: "You are an expert Python programmer. Reply with the code in one ```python code block.",
  async load(dataDir, { limit } = {}) {
    const { file, text } = await readDataFile(dataDir, dataFile, "mbpp");
    let rows: unknown;
    try {
      rows = JSON.parse(text);
    } catch {
      throw benchError("BENCH_DATA_INVALID", `${file} is not JSON`, "use the sanitized MBPP file as published (one JSON array)");
    }
    if (!Array.isArray(rows)) throw badRow(file, "the file", "is not a JSON array of tasks");
    return firstItems(rows, limit).map((row, index): BenchItem => {
      const { task_id, prompt, test_list, test_imports } = (row ?? {}) as Record<string, unknown>;
      if (typeof task_id !== "number" || typeof prompt !== "string" || !Array.isArray(test_list) || !test_list.every((t) => typeof t === "string"))
        throw badRow(file, `task ${index + 1}`, "lacks task_id, prompt or test_list");
      const imports = Array.isArray(test_imports) ? test_imports.filter((t): t is string => typeof t === "string") : [];
      const entryPoint = /assert\s+(?:not\s+)?\(?\s*(?:set\(|math\.isclose\()?\s*([A-Za-z_]\w*)\s*\(/.exec(test_list[0] as string)?.[1];
      return {
        id: `mbpp/${task_id}`,
        suite: "mbpp",
        turns: [`${prompt}\nYour code should pass these tests:\n\n${(test_list as string[]).join("\n")}`],
        tests: { language: "python", asserts: test_list as string[], ...(imports.length > 0 ? { setup: imports.join("\n") } : {}) },
        ...(entryPoint ? { entryPoint } : {}),
      };
    });
  },
  score: (item, answers, context) => scoreCode(item, answers.at(-1) ?? "", context),
};
