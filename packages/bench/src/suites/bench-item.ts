import type { CodeTests } from "@tinyllm/grading";
import type { SuiteName } from "./suite-name";

/** One item of a suite: what every configuration is asked, and what its answer is scored against. */
export interface BenchItem {
  /** The data set's own id (`gsm8k/0`, `HumanEval/12`, `mbpp/602`, `mt_bench/81`, `routing/17`). */
  id: string;
  suite: SuiteName;
  /** The user turns, in order: one, except MT-Bench's two. */
  turns: string[];
  /** MT-Bench's category; the expected route for `routing`. */
  category?: string;
  /** GSM8K: the worked solution ending `#### N`. MT-Bench: the reference answer per turn (math, reasoning, coding). */
  reference?: string;
  references?: string[];
  /** HumanEval and MBPP: the tests the answer's code must pass. */
  tests?: CodeTests;
  /** HumanEval: the function's signature and docstring, prepended when the answer's code lacks the function. */
  codePrefix?: string;
  /** HumanEval and MBPP: the function the tests call. */
  entryPoint?: string;
  /** Routing: the routes that count as right. */
  labels?: string[];
}
