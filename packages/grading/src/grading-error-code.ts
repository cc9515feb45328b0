/** Stable error codes of this package: the `GradingErrorCode` subset of `@tinyllm/core`'s `ErrorCode` list. */
export { GradingErrorCode } from "@tinyllm/core";
