import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { TinyLLMError } from "@tinyllm/core";
import { GradingErrorCode } from "../grading-error-code";
import { parseRubric } from "./parse-rubric";
import type { Rubric } from "./rubric-schema";
import { createRubricSet, type RubricSet } from "./rubric-set";

/**
 * Loads every `*.yaml` / `*.yml` rubric in `dir` into a {@link RubricSet}. Two rubrics that claim
 * the same id or route are an error.
 *
 * @throws TinyLLMError `GRADING_RUBRIC_INVALID` for a bad file, `GRADING_INPUT_INVALID` when the folder cannot be read.
 */
export async function loadRubrics({ dir }: { dir: string }): Promise<RubricSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch (error) {
    throw new TinyLLMError({
      code: GradingErrorCode.InputInvalid,
      message: `cannot read the rubrics folder ${dir}: ${(error as Error).message}`,
      hint: "pass a folder of rubric YAML files",
      cause: error,
    });
  }
  const rubrics: Rubric[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new TinyLLMError({
        code: GradingErrorCode.RubricInvalid,
        message: `${file}: cannot read the rubric: ${(error as NodeJS.ErrnoException).code === "EISDIR" ? "it is a folder" : (error as Error).message}`,
        hint: "rubrics are YAML files; move the folder out of the rubrics folder",
        cause: error,
      });
    }
    rubrics.push(parseRubric(text, { file }));
  }
  return createRubricSet(rubrics);
}
