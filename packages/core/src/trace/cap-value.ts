/** A value that was too large for the trace. */
export interface CappedValue {
  truncated: true;
  /** The first characters of its JSON form. */
  preview: string;
  /** Length of the full JSON form. */
  totalChars: number;
}

/**
 * Returns a JSON-safe form of `value` whose serialized size is at most about `maxChars`.
 * Cycles, bigints, functions and errors are handled; nothing throws.
 */
export function capValue(value: unknown, maxChars: number): unknown {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") {
    return value.length <= maxChars ? value : { truncated: true, preview: value.slice(0, maxChars), totalChars: value.length };
  }
  const json = safeStringify(value);
  if (json.length <= maxChars) {
    try {
      return JSON.parse(json) as unknown;
    } catch {
      return json;
    }
  }
  const capped: CappedValue = { truncated: true, preview: json.slice(0, maxChars), totalChars: json.length };
  return capped;
}

/** JSON.stringify that never throws. */
export function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === "bigint") return v.toString();
        if (typeof v === "function" || typeof v === "symbol") return undefined;
        if (v instanceof Error) return { name: v.name, message: v.message };
        if (v && typeof v === "object") {
          if (seen.has(v)) return "[circular]";
          seen.add(v);
        }
        return v;
      }) ?? "null"
    );
  } catch {
    return '"[unserializable]"';
  }
}
