/** Stable error codes of this package: the `SearchErrorCode` subset of `@tinyllm/core`'s `ErrorCode` list. */
export { SearchErrorCode } from "@tinyllm/core";
