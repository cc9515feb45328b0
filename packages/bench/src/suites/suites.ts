import { benchError } from "../bench-error";
import { gsm8kSuite } from "./gsm8k";
import { humanevalSuite } from "./humaneval";
import { mbppSuite } from "./mbpp";
import { mtBenchSuite } from "./mt-bench";
import { routingSuite } from "./routing";
import type { Suite } from "./suite";
import { SUITE_NAMES, type SuiteName } from "./suite-name";

/** Every suite by name. */
export const SUITES: Readonly<Record<SuiteName, Suite>> = {
  gsm8k: gsm8kSuite,
  humaneval: humanevalSuite,
  mbpp: mbppSuite,
  mt_bench: mtBenchSuite,
  routing: routingSuite,
};

/** The suite of that name; `BENCH_INPUT_INVALID` listing the suites otherwise. */
export function getSuite(name: string): Suite {
  const suite = (SUITES as Record<string, Suite | undefined>)[name.toLowerCase().replace(/-/g, "_")];
  if (!suite) throw benchError("BENCH_INPUT_INVALID", `no suite named '${name}'`, `use one of: ${SUITE_NAMES.join(", ")}`);
  return suite;
}
