/**
 * Node-like rendering of values for the sandbox's `console` and test messages, bounded in
 * characters. Runs inside the isolate only (bundled into the prelude script at build time).
 *
 * @internal
 */
import {
  ArrayIsArray,
  MathTrunc,
  NumberCtor,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototype,
  ReflectApply,
  StringCtor,
  arrayBufferIsView,
  clip,
  dateToISOString,
  functionToString,
  indexOf,
  jsonStringify,
  mapForEach,
  objectToString,
  regexpExec,
  regexpToString,
  setForEach,
  slice,
  symbolToString,
} from "./intrinsics";
import type { Rec, Seen } from "./prelude-types";

// ---- formatting ----------------------------------------------------------------------------
const identifier = /^[A-Za-z_$][\w$]*$/;
export const isIdentifier = (text: string): boolean => ReflectApply(regexpExec, identifier, [text]) !== null;
export const quote = (text: string): string => {
  let result = "'";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    result += ch === "'" ? "\\'" : ch === "\\" ? "\\\\" : ch === "\n" ? "\\n" : ch;
  }
  return result + "'";
};
const isSeen = (seen: Seen, value: object): boolean => {
  for (let node = seen; node !== null; node = node.next) if (node.o === value) return true;
  return false;
};
export const describeFunction = (fn: unknown): string => {
  let name = "";
  let isClass = false;
  try {
    const value = (fn as Rec).name;
    if (typeof value === "string") name = clip(value, 100);
  } catch {
    /* keep anonymous */
  }
  try {
    isClass = slice(ReflectApply(functionToString, fn, []) as string, 0, 6) === "class ";
  } catch {
    /* not a real function */
  }
  return isClass ? `[class ${name || "(anonymous)"}]` : `[Function: ${name || "(anonymous)"}]`;
};
/** A stack without the harness's own frames (everything from the eval that ran the user's code on). */
export const cleanStack = (stack: string): string => {
  let kept = "";
  let start = 0;
  while (start < stack.length) {
    let end = indexOf(stack, "\n", start);
    if (end === -1) end = stack.length;
    const line = slice(stack, start, end);
    start = end + 1;
    if (indexOf(line, "tinyllm-harness.js", 0) !== -1 || indexOf(line, "at eval (<anonymous>)", 0) !== -1) continue;
    kept += (kept ? "\n" : "") + line;
  }
  return kept;
};
export const errorText = (error: object, budget: number): string => {
  try {
    const stack = (error as Rec).stack;
    if (typeof stack === "string" && stack) return clip(cleanStack(clip(stack, 20_000)), budget);
  } catch {
    /* fall through */
  }
  let name = "Error";
  let message = "";
  try {
    name = StringCtor((error as Rec).name);
    message = StringCtor((error as Rec).message);
  } catch {
    /* keep defaults */
  }
  return clip(message ? `${name}: ${message}` : name, budget);
};

/** A Node-like, single-line rendering of any value, bounded by `budget` characters. */
export const inspect = (value: unknown, depth: number, seen: Seen, budget: number, nested: boolean): string => {
  switch (typeof value) {
    case "string":
      return nested ? quote(clip(value, budget)) : clip(value, budget);
    case "number":
      return value === 0 && 1 / value < 0 ? "-0" : StringCtor(value);
    case "bigint":
      return StringCtor(value) + "n";
    case "boolean":
    case "undefined":
      return StringCtor(value);
    case "symbol":
      return ReflectApply(symbolToString, value, []) as string;
    case "function":
      return describeFunction(value);
    default:
      break;
  }
  if (value === null) return "null";
  const object = value as object;
  if (isSeen(seen, object)) return "[Circular]";
  const tag = ReflectApply(objectToString, object, []) as string;
  if (tag === "[object Error]") return nested ? `[${errorText(object, budget)}]` : errorText(object, budget);
  if (tag === "[object Date]") {
    try {
      return ReflectApply(dateToISOString, object, []) as string;
    } catch {
      return "Invalid Date";
    }
  }
  if (tag === "[object RegExp]") {
    try {
      return ReflectApply(regexpToString, object, []) as string;
    } catch {
      /* fall through to the generic form */
    }
  }
  if (tag === "[object Promise]") return "Promise { … }";
  const isArray = ArrayIsArray(object);
  if (depth > 2) return isArray ? "[Array]" : "[Object]";
  const inner: Seen = { o: object, next: seen };
  let body = "";
  let count = 0;
  const add = (part: string): boolean => {
    body += (count++ === 0 ? " " : ", ") + part;
    return body.length < budget;
  };
  if (isArray || (arrayBufferIsView(object) && tag !== "[object DataView]")) {
    const list = object as unknown as ArrayLike<unknown>;
    const length = list.length;
    const shown = length > 100 ? 100 : length;
    let i = 0;
    for (; i < shown; i++) if (!add(inspect(list[i], depth + 1, inner, budget - body.length, true))) break;
    if (length > i && body.length < budget) add(`... ${length - i} more item${length - i === 1 ? "" : "s"}`);
    const prefix = isArray ? "" : `${slice(tag, 8, tag.length - 1)}(${length}) `;
    return `${prefix}[${body}${count ? " " : ""}]`;
  }
  if (tag === "[object Map]" || tag === "[object Set]") {
    try {
      let size = 0;
      const isMap = tag === "[object Map]";
      const visit = (entryValue: unknown, key: unknown): void => {
        size++;
        if (body.length < budget) {
          add(
            isMap
              ? `${inspect(key, depth + 1, inner, budget - body.length, true)} => ${inspect(entryValue, depth + 1, inner, budget - body.length, true)}`
              : inspect(entryValue, depth + 1, inner, budget - body.length, true),
          );
        }
      };
      ReflectApply(isMap ? mapForEach : setForEach, object, [visit]);
      return `${isMap ? "Map" : "Set"}(${size}) {${body}${count ? " " : ""}}`;
    } catch {
      body = "";
      count = 0;
    }
  }
  let prefix = "";
  const proto = ObjectGetPrototypeOf(object) as object | null;
  if (proto === null) prefix = "[Object: null prototype] ";
  else if (proto !== ObjectPrototype) {
    try {
      const name = ((proto as Rec).constructor as unknown as Rec).name;
      if (typeof name === "string" && name && name !== "Object") prefix = clip(name, 100) + " ";
    } catch {
      /* no constructor name */
    }
  }
  const keys = ObjectKeys(object);
  const shown = keys.length > 50 ? 50 : keys.length;
  let i = 0;
  for (; i < shown; i++) {
    const key = keys[i] as string;
    const part = `${isIdentifier(key) ? key : quote(key)}: ${inspect((object as Rec)[key], depth + 1, inner, budget - body.length, true)}`;
    if (!add(part)) break;
  }
  if (keys.length > i && body.length < budget) add(`... ${keys.length - i} more propert${keys.length - i === 1 ? "y" : "ies"}`);
  return `${prefix}{${body}${count ? " " : ""}}`;
};

export const inspectSafely = (value: unknown, budget: number, nested: boolean): string => {
  try {
    return inspect(value, 0, null, budget, nested);
  } catch {
    return "[value that cannot be shown]";
  }
};

/** `console.log` argument formatting with printf-style `%s %d %i %f %j %o %O %c %%`. */
export const formatArgs = (args: unknown[], budget: number): string => {
  let text = "";
  let next = 0;
  const first = args[0];
  if (typeof first === "string" && indexOf(first, "%", 0) !== -1) {
    next = 1;
    let last = 0;
    for (let p = indexOf(first, "%", 0); p !== -1 && p < first.length - 1; p = indexOf(first, "%", p + 1)) {
      const spec = first[p + 1] as string;
      let replacement: string | undefined;
      if (spec === "%") replacement = "%";
      else if (next < args.length && indexOf("sdifjoOc", spec, 0) !== -1) {
        const arg = args[next++];
        try {
          if (spec === "s") replacement = typeof arg === "string" ? arg : inspect(arg, 1, null, budget, false);
          else if (spec === "d" || spec === "i")
            replacement = typeof arg === "bigint" ? StringCtor(arg) + "n" : StringCtor(spec === "i" ? MathTrunc(NumberCtor(arg)) : NumberCtor(arg));
          else if (spec === "f") replacement = StringCtor(NumberCtor(arg));
          else if (spec === "j") replacement = StringCtor(jsonStringify(arg));
          else if (spec === "c") replacement = "";
          else replacement = inspect(arg, 0, null, budget, true);
        } catch {
          replacement = "NaN";
        }
      }
      if (replacement !== undefined) {
        text += slice(first, last, p) + replacement;
        last = p + 2;
        p++;
      }
      if (text.length > budget) break;
    }
    text += slice(first, last);
  }
  for (let i = next; i < args.length && text.length <= budget; i++) {
    text += (i === 0 ? "" : " ") + inspectSafely(args[i], budget - text.length + 1, false);
  }
  return text;
};
