/** Stable error codes of this package: the `CodeErrorCode` subset of `@tinyllm/core`'s `ErrorCode` list. */
export { CodeErrorCode } from "@tinyllm/core";
