/**
 * Turns zod issues about a config file into messages for people.
 *
 * @module
 */
import { z } from "zod";
import { suggest } from "@tinyllm/core";

/** A schema problem, with the path to point at in the source. */
export interface DescribedIssue {
  /** Path in the document. */
  path: PropertyKey[];
  /** Point at the key of the last segment rather than its value. */
  atKey: boolean;
  /** What is wrong, starting with the dotted key. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

/**
 * Describes every issue of `error`, raised when `schema` parsed `data`: one entry per unknown
 * key (with a "did you mean" when a known key is close), and for wrong values what was
 * expected and what was found, with the option's description as the hint.
 */
export function describeSchemaIssues({ error, data, schema }: { error: z.ZodError; data: unknown; schema: z.ZodType }): DescribedIssue[] {
  const out: DescribedIssue[] = [];
  for (const issue of error.issues) {
    const path = [...issue.path];
    const name = dotted(path);
    if (issue.code === "unrecognized_keys") {
      const allowed = objectKeys(schemaAt(schema, path));
      const where = path.length > 0 ? ` in ${name}` : "";
      for (const key of issue.keys) {
        const close = suggest(key, allowed);
        out.push({
          path: [...path, key],
          atKey: true,
          message: `unknown key "${key}"${where}${close ? `; did you mean "${close}"?` : ""}`,
          hint: allowed.length > 0 ? `remove it; the keys allowed${where} are: ${allowed.join(", ")}` : "remove it",
        });
      }
      continue;
    }
    const target = unwrap(schemaAt(schema, path));
    const description = target?.description;
    const hint = description && name ? `set ${name} to ${description}` : undefined;
    const value = valueAt(data, path);
    // Never echo a secret, even a malformed one.
    const found = describeValue(value, { secret: path.at(-1) === "apiKey" });
    let message: string;
    if (issue.code === "invalid_type") {
      message = `expected ${expectedWord(issue.expected, target)}, got ${found}`;
    } else if (issue.code === "invalid_value" && typeof value === "string") {
      const options = issue.values.map(String);
      const close = suggest(value, options);
      message = `"${value}" is not one of ${options.join(", ")}${close ? `; did you mean "${close}"?` : ""}`;
    } else {
      message = `${issue.message}, got ${found}`;
    }
    out.push({ path, atKey: false, message: name ? `${name}: ${message}` : message, ...(hint ? { hint } : {}) });
  }
  return out;
}

/** `tiers.T0.memoryMB` */
export function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => (typeof segment === "number" ? `[${segment}]` : String(segment)))
    .join(".")
    .replace(/\.\[/g, "[");
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
  return current;
}

function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    const object = unwrap(current);
    if (!(object instanceof z.ZodObject) || typeof segment !== "string") return undefined;
    current = (object.shape as Record<string, z.ZodType | undefined>)[segment];
  }
  return current;
}

function objectKeys(schema: z.ZodType | undefined): string[] {
  const object = unwrap(schema);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function expectedWord(expected: string, schema: z.ZodType | undefined): string {
  if (expected === "int" || (schema instanceof z.ZodNumber && schema.format === "safeint")) return "a whole number";
  switch (expected) {
    case "number":
      return "a number";
    case "string":
      return "text";
    case "boolean":
      return "true or false";
    case "object":
      return "a mapping (indented key: value lines)";
    default:
      return expected;
  }
}

/** A short description of a YAML value, for messages. */
export function describeValue(value: unknown, { secret = false }: { secret?: boolean } = {}): string {
  if (value === null || value === undefined) return "nothing";
  if (secret && (typeof value === "string" || typeof value === "number" || typeof value === "boolean")) {
    return typeof value === "string" ? "text (not shown)" : `a ${typeof value} (not shown)`;
  }
  if (typeof value === "string") return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value;
}
