import type { SuiteName } from "../suites/suite-name";

/** Suites by their usual names. */
export const suiteTitles: Record<SuiteName, string> = {
  gsm8k: "GSM8K",
  humaneval: "HumanEval",
  mbpp: "MBPP",
  mt_bench: "MT-Bench",
  routing: "Routing",
};

/** What "pass" means in each suite, for the report's "How to read this". */
export const passMeaning: Record<SuiteName, string> = {
  gsm8k: "an answer passes when its final number equals the reference answer's.",
  humaneval: "an answer passes when the problem's tests pass against its code in the sandbox.",
  mbpp: "an answer passes when the problem's tests pass against its code in the sandbox.",
  mt_bench:
    "a judge scores each answer from 1 to 10 and a score of at least 8 counts as a pass; the mean score is MT-Bench's own figure, the pass rate is this report's.",
  routing: "an item passes when the route the graph's router took is one of the item's expected labels.",
};
