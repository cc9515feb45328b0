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

/** Most objects, arrays and values one fast copy may visit, and how deep. */
const maxPlainNodes = 512;
const maxPlainDepth = 16;

/**
 * Objects already copied by {@link capValueShared}, with what their copy counted: a value met
 * again (the same state passed on by a node that changed nothing, a conversation every span's
 * state holds) is not copied again but shares the copy.
 */
export type CopyMemo = Map<object, { copy: unknown; size: number; nodes: number; height: number }>;

/** The running totals of one {@link plainCopyWithin}. */
interface CopyBudget {
  size: number;
  nodes: number;
  /** Deepest level reached so far. */
  deepest: number;
  readonly maxChars: number;
  readonly memo: CopyMemo | undefined;
}

/**
 * {@link capValue}, sharing copies through `memo` with the other values capped with it: one
 * trace's spans. Their JSON is what {@link capValue} would give; only objects met again are the
 * same object in more than one place.
 */
export function capValueShared(value: unknown, maxChars: number, memo: CopyMemo): unknown {
  if (typeof value !== "object" || value === null) return capValue(value, maxChars);
  const plain = plainCopyWithin(value, maxChars, memo);
  return plain !== undefined ? plain : capValue(value, maxChars);
}

/**
 * The JSON form of small plain data (plain objects and arrays of strings, finite numbers,
 * booleans and nulls, nested; its JSON within `maxChars`), copied without serialising it;
 * undefined for anything else (a class instance, a function, a non-finite number, a getter that
 * throws, something too big or too deep), which then takes the bounded walk. A run's state
 * between nodes is usually such data (the input, the route, the conversation's turns), so most
 * spans take this path. Values are read as JSON.stringify reads them (a getter is called).
 */
function plainCopyWithin(value: unknown, maxChars: number, memo?: CopyMemo): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  const budget: CopyBudget = { size: 0, nodes: 0, deepest: 0, maxChars, memo };
  try {
    return copyPlain(value, 0, budget);
  } catch {
    // giveUp, or a getter or proxy trap that threw: the bounded walk handles it.
    return undefined;
  }
}

/** One value of {@link plainCopyWithin}; throws {@link giveUp} to leave the fast path. */
function copyPlain(item: unknown, depth: number, budget: CopyBudget): unknown {
  if (depth > maxPlainDepth) throw giveUp;
  if (depth > budget.deepest) budget.deepest = depth;
  // {"key":value,…}: per key its quotes, colon and comma. Strings may need escapes, so their
  // length counts double: an over-estimate sends borderline values to the exact walk.
  if (typeof item === "string") {
    budget.size += item.length * 2 + 2;
  } else if (typeof item === "number") {
    if (!Number.isFinite(item)) throw giveUp;
    budget.size += 24;
    if (item === 0) item = 0; // JSON has no -0
  } else if (item === null || typeof item === "boolean") {
    budget.size += 5;
  } else if (typeof item !== "object") {
    throw giveUp;
  } else {
    const known = budget.memo?.get(item);
    if (known !== undefined) {
      if (depth + known.height > maxPlainDepth) throw giveUp;
      budget.nodes += known.nodes;
      budget.size += known.size;
      if (budget.nodes > maxPlainNodes || budget.size > budget.maxChars) throw giveUp;
      budget.deepest = Math.max(budget.deepest, depth + known.height);
      return known.copy;
    }
    const sizeBefore = budget.size;
    const nodesBefore = budget.nodes;
    const deepestBefore = budget.deepest;
    budget.deepest = depth;
    const copy = Array.isArray(item) ? copyArray(item, depth, budget) : copyObject(item, depth, budget);
    budget.memo?.set(item, { copy, size: budget.size - sizeBefore, nodes: budget.nodes - nodesBefore, height: budget.deepest - depth });
    budget.deepest = Math.max(budget.deepest, deepestBefore);
    return copy;
  }
  if (++budget.nodes > maxPlainNodes || budget.size > budget.maxChars) throw giveUp;
  return item;
}

function copyArray(item: unknown[], depth: number, budget: CopyBudget): unknown[] {
  if (++budget.nodes > maxPlainNodes || Object.getPrototypeOf(item) !== Array.prototype) throw giveUp;
  budget.size += 2;
  const length = item.length;
  const out: unknown[] = new Array(length);
  for (let index = 0; index < length; index++) {
    const element: unknown = item[index];
    if (element === undefined) {
      budget.size += 5;
      out[index] = null;
    } else out[index] = copyPlain(element, depth + 1, budget);
    budget.size += 1;
  }
  if (budget.size > budget.maxChars) throw giveUp;
  return out;
}

function copyObject(item: object, depth: number, budget: CopyBudget): Record<string, unknown> {
  if (++budget.nodes > maxPlainNodes) throw giveUp;
  const proto = Object.getPrototypeOf(item) as unknown;
  if (proto !== Object.prototype && proto !== null) throw giveUp;
  budget.size += 2;
  const source = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    const element = source[key];
    if (element === undefined) continue;
    budget.size += key.length * 2 + 4;
    out[key] = copyPlain(element, depth + 1, budget);
  }
  if (budget.size > budget.maxChars) throw giveUp;
  return out;
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
