/** Stable error codes of this package: the `ModelErrorCode` subset of `@tinyllm/core`'s `ErrorCode` list. */
export { ModelErrorCode } from "@tinyllm/core";
