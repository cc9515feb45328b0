import { extractCode, runCodeCheck, runnableCode } from "@tinyllm/grading";
import type { BenchItem } from "./bench-item";
import type { ItemScore, ScoreContext } from "./suite";

/**
 * The answer's Python code run against the item's tests in the sandbox. When the answer's code
 * does not define the tested function but the item has a signature to complete (HumanEval), the
 * signature is put before it, as HumanEval scores completions. An answer with no fenced code is
 * taken as code as it stands.
 */
export async function scoreCode(item: BenchItem, answer: string, context: ScoreContext): Promise<ItemScore> {
  if (!context.runners?.python) return { pass: null, score: null, scoredBy: "tests: no Python sandbox" };
  const blocks = extractCode(answer);
  let code = (blocks.length > 0 ? runnableCode(blocks, "python") : undefined) ?? answer;
  if (item.entryPoint && item.codePrefix && !new RegExp(`\\bdef\\s+${item.entryPoint}\\s*\\(`).test(code)) code = `${item.codePrefix}${code}`;
  const [check] = await runCodeCheck({
    answer: `\`\`\`python\n${code}\n\`\`\``,
    ...(item.tests ? { tests: item.tests } : {}),
    runners: context.runners,
    ...(context.abortSignal ? { abortSignal: context.abortSignal } : {}),
  });
  if (!check || check.outcome === "skip") return { pass: null, score: null, scoredBy: `tests: ${check?.message ?? "not run"}` };
  const pass = check.outcome === "pass";
  return { pass, score: pass ? 1 : 0, scoredBy: "tests" };
}
