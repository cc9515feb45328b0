import type { z } from "zod";

/** A zod issue turned into a path and message. */
export interface SchemaIssue {
  path: (string | number)[];
  message: string;
  hint?: string;
}

/** Flattens a zod error into issues, one per unknown key. */
export function schemaIssues(error: z.ZodError, basePath: (string | number)[], allowedKeys?: (path: PropertyKey[]) => string[] | undefined): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  for (const issue of error.issues) {
    const path = [...basePath, ...(issue.path.filter((p) => typeof p !== "symbol") as (string | number)[])];
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeys?.(issue.path);
      for (const key of issue.keys) {
        out.push({
          path: [...path, key],
          message: `unknown key '${key}'`,
          hint: allowed && allowed.length > 0 ? `remove it; allowed keys here: ${allowed.join(", ")}` : "remove it",
        });
      }
      continue;
    }
    const where = path.length > 0 ? `${formatPath(path)}: ` : "";
    out.push({ path, message: `${where}${issue.message}` });
  }
  return out;
}

/** `nodes[2].config.set` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** Keys of a zod object schema, when it is one. */
export function objectKeys(schema: unknown): string[] | undefined {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === "object" ? Object.keys(shape) : undefined;
}
