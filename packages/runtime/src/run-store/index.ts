/**
 * The run store: every run the runtime makes, with its numbered events and its trace, in one
 * SQLite file.
 *
 * @module
 */
export { defaultRunStorePath } from "./default-run-store-path";
export { openRunStore, type OpenRunStoreOptions, type SqliteRunStore } from "./open-run-store";
