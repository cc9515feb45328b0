import type { BenchResult } from "../bench-result";

/** What {@link runBench} reports as it goes. */
export type BenchEvent =
  /** Before the first item: how many answers are to be made, and how many a results file already held. */
  | { type: "start"; total: number; resumed: number; configs: string[] }
  /** An item answered by one configuration and scored, and appended to the results file. */
  | { type: "result"; result: BenchResult; done: number; total: number; passed: number; scored: number }
  /** The end: every answer made, or stopped by the abort signal (what was done is kept). */
  | { type: "end"; done: number; total: number; interrupted: boolean };
