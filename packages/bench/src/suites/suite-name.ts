/** The benchmark suites `tinyllm bench --suite` runs. */
export const SUITE_NAMES = ["gsm8k", "humaneval", "mbpp", "mt_bench", "routing"] as const;

/** One of {@link SUITE_NAMES}. */
export type SuiteName = (typeof SUITE_NAMES)[number];
