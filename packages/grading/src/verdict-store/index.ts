/**
 * The verdict store: every answer the quality gate grades, in one SQLite file.
 *
 * @module
 */
export { defaultVerdictStorePath } from "./default-verdict-store-path";
export { openVerdictStore } from "./open-verdict-store";
export type { OpenVerdictStoreOptions } from "./open-verdict-store";
export type { VerdictFilter } from "./verdict-filter";
export type { DurationStats, VerdictGroupBy, VerdictGroupStats, VerdictStatsOptions } from "./verdict-group-stats";
export type { VerdictRecord, VerdictRecordInput } from "./verdict-record";
export type { VerdictStore } from "./verdict-store";
export { verdictRecordOf } from "./verdict-record-of";
