/** A value that was too large for the trace. */
export interface CappedValue {
  truncated: true;
  /** The first characters of its JSON form. */
  preview: string;
  /** Length of the full JSON form, when it was measured (small enough to measure). */
  totalChars?: number;
}

/**
 * Returns a JSON-safe form of `value` whose serialized size is at most about `maxChars`.
 * Serialisation stops as soon as the budget is spent, so a huge state costs no more than a
 * small one. Cycles, bigints, functions, symbols, errors and throwing getters are handled;
 * nothing throws.
 */
export function capValue(value: unknown, maxChars: number): unknown {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") {
    return value.length <= maxChars ? value : { truncated: true, preview: value.slice(0, maxChars), totalChars: value.length };
  }
  const flat = flatCopyWithin(value, maxChars);
  if (flat !== undefined) return flat;
  const plain = plainCopyWithin(value, maxChars);
  if (plain !== undefined) return plain;
  const { text, complete } = boundedStringify(value, maxChars);
  if (complete) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  const capped: CappedValue = { truncated: true, preview: text.slice(0, maxChars) };
  return capped;
}

/** Most keys a plain object may have to take the fast path of {@link capValue}. */
const maxFlatKeys = 32;

/**
 * The JSON form of a small flat plain object (every value a string, a finite number, a boolean
 * or null; its JSON within `maxChars`), built without serialising it; undefined for anything
 * else, which then takes the bounded walk. A run's state between nodes is usually such an
 * object, so most spans take this path.
 */
function flatCopyWithin(value: unknown, maxChars: number): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(value);
  if (keys.length > maxFlatKeys) return undefined;
  // {"key":value,…}: 2 braces, and per key its quotes, colon and comma. Strings may need escapes,
  // so their length counts double: an over-estimate sends borderline values to the exact walk.
  let size = 2;
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || !("value" in descriptor)) return undefined;
    const item: unknown = descriptor.value;
    if (typeof item === "string") size += item.length * 2 + 2;
    else if (typeof item === "number") {
      if (!Number.isFinite(item)) return undefined;
      size += 24;
    } else if (typeof item === "boolean" || item === null) size += 5;
    else if (item === undefined) continue;
    else return undefined;
    size += key.length * 2 + 4;
    if (size > maxChars) return undefined;
    copy[key] = item;
  }
  return copy;
}

/** Most objects, arrays and values one fast copy may visit, and how deep. */
const maxPlainNodes = 512;
const maxPlainDepth = 16;

/**
 * The JSON form of small plain data (plain objects and arrays of strings, finite numbers,
 * booleans and nulls, nested; its JSON within `maxChars`), copied without serialising it;
 * undefined for anything else (a class instance, a getter, a non-finite number, something too
 * big or too deep), which then takes the bounded walk. A run's state between nodes is usually
 * such data (the input, the route, the conversation's turns), so most spans take this path.
 */
function plainCopyWithin(value: unknown, maxChars: number): unknown {
  // {"key":value,…}: per key its quotes, colon and comma. Strings may need escapes, so their
  // length counts double: an over-estimate sends borderline values to the exact walk.
  let size = 0;
  let nodes = 0;
  const copy = (item: unknown, depth: number): unknown => {
    if (++nodes > maxPlainNodes || depth > maxPlainDepth) throw giveUp;
    if (item === null || typeof item === "boolean") {
      size += 5;
    } else if (typeof item === "string") {
      size += item.length * 2 + 2;
    } else if (typeof item === "number") {
      if (!Number.isFinite(item)) throw giveUp;
      size += 24;
      if (item === 0) item = 0; // JSON has no -0
    } else if (Array.isArray(item)) {
      if (Object.getPrototypeOf(item) !== Array.prototype) throw giveUp;
      size += 2;
      const out: unknown[] = new Array(item.length);
      for (let index = 0; index < item.length; index++) {
        const descriptor = Object.getOwnPropertyDescriptor(item, index);
        if (descriptor && !("value" in descriptor)) throw giveUp;
        const element: unknown = descriptor?.value;
        out[index] = element === undefined ? (++size, null) : copy(element, depth + 1);
        size += 1;
      }
      item = out;
    } else if (typeof item === "object") {
      const proto = Object.getPrototypeOf(item) as unknown;
      if (proto !== Object.prototype && proto !== null) throw giveUp;
      size += 2;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(item)) {
        const descriptor = Object.getOwnPropertyDescriptor(item, key);
        if (!descriptor || !("value" in descriptor)) throw giveUp;
        if (descriptor.value === undefined) continue;
        size += key.length * 2 + 4;
        out[key] = copy(descriptor.value, depth + 1);
      }
      item = out;
    } else {
      throw giveUp;
    }
    if (size > maxChars) throw giveUp;
    return item;
  };
  try {
    return copy(value, 0);
  } catch (error) {
    if (error === giveUp) return undefined;
    throw error;
  }
}

/** Thrown inside {@link plainCopyWithin} to leave the fast path. */
const giveUp = Symbol("give up the fast copy");

/** JSON.stringify that never throws (cycles become "[circular]", bigints strings). */
export function safeStringify(value: unknown): string {
  return boundedStringify(value, Number.POSITIVE_INFINITY).text;
}

/**
 * JSON text of `value`, stopping once more than `budget` characters are written. `complete`
 * says whether the whole value fit.
 */
export function boundedStringify(value: unknown, budget: number): { text: string; complete: boolean } {
  const parts: string[] = [];
  let size = 0;
  let over = false;
  const seen = new Set<object>();
  const push = (text: string) => {
    if (over) return;
    parts.push(text);
    size += text.length;
    if (size > budget) over = true;
  };
  const write = (v: unknown, depth: number): void => {
    if (over) return;
    if (v === null || v === undefined || typeof v === "function" || typeof v === "symbol") return push("null");
    if (typeof v === "string") return push(JSON.stringify(v.length > budget ? v.slice(0, budget + 1) : v));
    if (typeof v === "number") return push(Number.isFinite(v) ? String(v) : "null");
    if (typeof v === "boolean") return push(String(v));
    if (typeof v === "bigint") return push(JSON.stringify(v.toString()));
    if (typeof v !== "object") return push("null");
    if (seen.has(v) || depth > 64) return push('"[circular]"');
    seen.add(v);
    try {
      if (v instanceof Error) return write({ name: v.name, message: v.message }, depth + 1);
      // As JSON.stringify does: a Date, a URL or anything with toJSON is written as what it returns.
      if (typeof (v as { toJSON?: unknown }).toJSON === "function") return write((v as { toJSON: () => unknown }).toJSON(), depth + 1);
      if (Array.isArray(v)) {
        push("[");
        for (let i = 0; i < v.length && !over; i++) {
          if (i > 0) push(",");
          write(v[i], depth + 1);
        }
        return push("]");
      }
      push("{");
      let first = true;
      for (const key of Object.keys(v)) {
        if (over) break;
        let item: unknown;
        try {
          item = (v as Record<string, unknown>)[key];
        } catch {
          item = "[unreadable]";
        }
        if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
        if (!first) push(",");
        first = false;
        push(`${JSON.stringify(key)}:`);
        write(item, depth + 1);
      }
      push("}");
    } catch {
      push('"[unserializable]"');
    } finally {
      seen.delete(v);
    }
  };
  write(value, 0);
  return { text: parts.join(""), complete: !over };
}
