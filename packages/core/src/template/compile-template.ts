/** A compiled `{{ path | filter }}` template. */
export interface Template {
  readonly source: string;
  /** State field paths the template reads, dotted. */
  readonly fields: readonly string[];
  /**
   * Renders against a state. A template that is exactly one `{{ path }}` returns the raw value
   * (keeping its type); anything else renders to a string (objects as JSON).
   */
  render(state: Readonly<Record<string, unknown>>): unknown;
}

/** Result of {@link compileTemplate}. */
export type CompileTemplateResult = { ok: true; template: Template } | { ok: false; error: { message: string; offset: number } };

const FILTERS: Record<string, (value: unknown) => unknown> = {
  upper: (v) => toText(v).toUpperCase(),
  lower: (v) => toText(v).toLowerCase(),
  trim: (v) => toText(v).trim(),
  json: (v) => safeJson(v),
  number: (v) => toNumber(v),
  inc: (v) => toNumber(v) + 1,
  dec: (v) => toNumber(v) - 1,
  length: (v) => (Array.isArray(v) || typeof v === "string" ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0),
};

/** Names of the filters templates accept. */
export const templateFilters: readonly string[] = Object.keys(FILTERS);

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/;
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

type Part = string | { segments: (string | number)[]; filters: ((v: unknown) => unknown)[] };

/**
 * Compiles a template such as `"Answer: {{ output | trim }}"`. Never throws.
 *
 * @example
 * ```ts
 * const r = compileTemplate("Hello {{ user.name | upper }}");
 * if (r.ok) r.template.render({ user: { name: "ada" } }); // "Hello ADA"
 * ```
 */
export function compileTemplate(source: string): CompileTemplateResult {
  const parts: Part[] = [];
  const fields: string[] = [];
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf("{{", index);
    if (open === -1) {
      parts.push(source.slice(index));
      break;
    }
    if (open > index) parts.push(source.slice(index, open));
    const close = source.indexOf("}}", open + 2);
    if (close === -1) return { ok: false, error: { message: "unclosed '{{': add '}}'", offset: open } };
    const inner = source.slice(open + 2, close);
    const [rawPath = "", ...rawFilters] = inner.split("|").map((s) => s.trim());
    if (!PATH.test(rawPath)) {
      return { ok: false, error: { message: `'${rawPath}' is not a field path (use letters, digits, _, dots and [n])`, offset: open + 2 } };
    }
    const segments = splitPath(rawPath);
    if (segments.some((s) => typeof s === "string" && FORBIDDEN.has(s))) {
      return { ok: false, error: { message: `'${rawPath}' reads a forbidden property`, offset: open + 2 } };
    }
    const filters: ((v: unknown) => unknown)[] = [];
    for (const name of rawFilters) {
      const filter = FILTERS[name];
      if (!filter) {
        return { ok: false, error: { message: `unknown filter '${name}'; known filters: ${templateFilters.join(", ")}`, offset: open + 2 } };
      }
      filters.push(filter);
    }
    if (!fields.includes(rawPath)) fields.push(rawPath);
    parts.push({ segments, filters });
    index = close + 2;
  }
  const single = parts.length === 1 && typeof parts[0] !== "string" ? parts[0] : undefined;
  const render = single
    ? (state: Readonly<Record<string, unknown>>) => applyPart(single, state)
    : (state: Readonly<Record<string, unknown>>) => {
        let out = "";
        for (const part of parts) out += typeof part === "string" ? part : toText(applyPart(part, state));
        return out;
      };
  return { ok: true, template: { source, fields, render } };
}

function applyPart(part: Exclude<Part, string>, state: Readonly<Record<string, unknown>>): unknown {
  let value = readPath(state, part.segments);
  for (const filter of part.filters) value = filter(value);
  return value;
}

/** Splits `a.b[0].c` into `["a", "b", 0, "c"]`. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const piece of path.split(".")) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(piece);
    if (!match) {
      out.push(piece);
      continue;
    }
    if (match[1]) out.push(match[1]);
    for (const idx of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Reads a path of own properties; missing → undefined. */
export function readPath(root: unknown, segments: readonly (string | number)[]): unknown {
  let value: unknown = root;
  for (const segment of segments) {
    if (typeof value === "string") {
      // Strings answer `length` and character indexes, as in conditions.
      if (segment === "length") value = value.length;
      else if (typeof segment === "number") value = segment < value.length ? value[segment] : undefined;
      else return undefined;
      continue;
    }
    if (value === null || typeof value !== "object") return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function toNumber(value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : 0;
  return Number.isFinite(n) ? n : 0;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return safeJson(value);
  return String(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "[unserializable]";
  }
}
