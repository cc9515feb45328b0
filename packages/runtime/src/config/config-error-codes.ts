/** Stable error codes of this package: the `ConfigErrorCode` subset of `@tinyllm/core`'s `ErrorCode` list. */
export { ConfigErrorCode } from "@tinyllm/core";
