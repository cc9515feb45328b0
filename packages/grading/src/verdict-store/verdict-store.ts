import type { VerdictFilter } from "./verdict-filter";
import type { VerdictGroupStats, VerdictStatsOptions } from "./verdict-group-stats";
import type { VerdictRecord, VerdictRecordInput } from "./verdict-record";

/**
 * A persistent, append-only log of grading verdicts in one SQLite file. Open one with
 * {@link openVerdictStore}. All methods are synchronous; errors are `TinyLLMError`s with the
 * codes `GRADING_INPUT_INVALID`, `VERDICT_STORE_FAILED` and `VERDICT_STORE_CORRUPT`.
 */
export interface VerdictStore {
  /** Absolute path of the SQLite file. */
  readonly path: string;
  /**
   * Validates and appends one verdict in its own transaction, and returns it as stored. When it
   * returns, the verdict is durable (`synchronous=FULL`).
   *
   * @throws TinyLLMError `GRADING_INPUT_INVALID` naming the bad field; `VERDICT_STORE_FAILED`
   * when the store is read-only, closed, or stays locked longer than the busy timeout.
   */
  append(record: VerdictRecordInput): VerdictRecord;
  /** Verdicts matching `filter`, newest first (by `createdAtMs`, then `id`). */
  list(filter?: VerdictFilter): VerdictRecord[];
  /**
   * Calls `visit` with every verdict matching `filter` (its `limit` is ignored), newest first,
   * reading them one at a time: for analyses over the whole store, where {@link list}'s limit is
   * in the way. With `answers: false` the records come without their `answer` (read it with
   * {@link get} where needed), which halves the time of a full scan. Returns how many were visited.
   */
  each(filter: VerdictFilter | undefined, visit: (record: VerdictRecord) => void, options?: { answers?: boolean }): number;
  /** The verdict with this id, or undefined. */
  get(id: number): VerdictRecord | undefined;
  /** How many verdicts match `filter` (its `limit` is ignored). */
  count(filter?: VerdictFilter): number;
  /** Totals per group, the largest group first (ties by key). */
  stats(options: VerdictStatsOptions): VerdictGroupStats[];
  /** Closes the file. Calling it again does nothing; any other call afterwards throws. */
  close(): void;
}
