import { capValue, safeStringify } from "@tinyllm/core";

/**
 * The JSON text a run store keeps for `value`. Never throws: cycles, bigints and other values
 * JSON cannot hold are replaced (see `safeStringify`), and a value whose JSON is longer than
 * `maxChars` is kept as `{ truncated: true, preview }` (see `capValue`).
 *
 * @internal
 */
export function storedJson(value: unknown, maxChars: number): string {
  return safeStringify(capValue(value, maxChars));
}

/** The value of a JSON column, or undefined for SQL `NULL`. Text that does not parse comes back as it is. @internal */
export function parseStoredJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
