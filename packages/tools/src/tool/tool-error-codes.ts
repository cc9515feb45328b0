/** Stable error codes of this package: the `ToolErrorCode` subset of `@tinyllm/core`'s `ErrorCode` list. */
export { ToolErrorCode } from "@tinyllm/core";
