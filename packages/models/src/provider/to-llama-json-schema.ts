/**
 * Adapts standard JSON Schema (as `z.toJSONSchema()` writes it) to the subset node-llama-cpp's
 * grammar generator understands.
 *
 * @module
 */

type Schema = Record<string, unknown>;

const supportedStringFormats = new Set(["date-time", "time", "date"]);
const primitiveTypes = ["string", "number", "integer", "boolean", "null"];

/**
 * Rewrites a JSON schema for `llama.createGrammarForJsonSchema`:
 *
 * - `anyOf` becomes `oneOf` (node-llama-cpp knows only `oneOf`); a one-element `allOf` is
 *   merged into its parent;
 * - a schema with no type, such as `{}`, becomes "any JSON value" (node-llama-cpp would
 *   otherwise allow only `null`);
 * - string formats other than `date-time`, `time` and `date` are dropped (the length limits
 *   stay);
 * - keywords the grammar ignores (`minimum`, `pattern`, `title`, …) are removed.
 *
 * The grammar always writes every property of an object, so optional properties appear too;
 * numeric bounds and patterns are not enforced: validate the parsed value afterwards.
 */
export function toLlamaJsonSchema(schema: Record<string, unknown>): Record<string, unknown> {
  return convert(schema, 0);
}

function convert(input: unknown, depth: number): Schema {
  if (depth > 64) return anyJson();
  if (input === true || input === undefined) return anyJson();
  if (input === false || typeof input !== "object" || input === null) return { type: "null" };
  const schema = input as Schema;

  const defs = convertDefs(schema.$defs ?? schema.definitions, depth);
  const withDefs = (out: Schema): Schema => (defs ? { ...out, $defs: defs } : out);
  const description = typeof schema.description === "string" ? { description: schema.description } : {};

  if (typeof schema.$ref === "string") {
    const ref = schema.$ref.replace(/^#\/definitions\//, "#/$defs/");
    return withDefs({ $ref: ref });
  }

  const allOf = Array.isArray(schema.allOf) ? schema.allOf : undefined;
  if (allOf && allOf.length === 1) {
    const rest: Schema = { ...schema };
    delete rest.allOf;
    return convert({ ...rest, ...(allOf[0] as Schema) }, depth + 1);
  }

  const alternatives = (Array.isArray(schema.anyOf) ? schema.anyOf : undefined) ?? (Array.isArray(schema.oneOf) ? schema.oneOf : undefined);
  if (alternatives) {
    return withDefs({ ...description, oneOf: alternatives.map((alternative) => convert(alternative, depth + 1)) });
  }

  if ("const" in schema) return withDefs({ ...description, const: schema.const });
  if (Array.isArray(schema.enum)) return withDefs({ ...description, enum: schema.enum });

  const type = schema.type;
  if (Array.isArray(type)) {
    const types = type.filter((entry): entry is string => typeof entry === "string");
    if (types.every((entry) => primitiveTypes.includes(entry))) {
      if (types.length === 1) return convert({ ...schema, type: types[0] }, depth + 1);
      return withDefs({ ...description, type: types });
    }
    return withDefs({ ...description, oneOf: types.map((entry) => convert({ ...schema, type: entry }, depth + 1)) });
  }

  switch (type) {
    case "object": {
      const properties =
        typeof schema.properties === "object" && schema.properties !== null
          ? Object.fromEntries(Object.entries(schema.properties as Schema).map(([key, value]) => [key, convert(value, depth + 1)]))
          : undefined;
      const additional = schema.additionalProperties;
      const out: Schema = { ...description, type: "object" };
      if (properties) out.properties = properties;
      if (additional === true || (additional === undefined && !properties)) out.additionalProperties = true;
      else if (typeof additional === "object" && additional !== null) out.additionalProperties = convert(additional, depth + 1);
      copyNumbers(schema, out, ["minProperties", "maxProperties"]);
      return withDefs(out);
    }
    case "array": {
      const out: Schema = { ...description, type: "array" };
      if (schema.items !== undefined && typeof schema.items === "object" && !Array.isArray(schema.items)) {
        out.items = convert(schema.items, depth + 1);
      } else {
        out.items = anyJson();
      }
      if (Array.isArray(schema.prefixItems)) out.prefixItems = schema.prefixItems.map((item) => convert(item, depth + 1));
      copyNumbers(schema, out, ["minItems", "maxItems"]);
      return withDefs(out);
    }
    case "string": {
      if (typeof schema.format === "string" && supportedStringFormats.has(schema.format)) {
        return withDefs({ ...description, type: "string", format: schema.format });
      }
      const out: Schema = { ...description, type: "string" };
      copyNumbers(schema, out, ["minLength", "maxLength"]);
      return withDefs(out);
    }
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return withDefs({ ...description, type });
    default:
      return withDefs({ ...description, ...anyJson() });
  }
}

function convertDefs(defs: unknown, depth: number): Schema | undefined {
  if (typeof defs !== "object" || defs === null) return undefined;
  return Object.fromEntries(Object.entries(defs as Schema).map(([key, value]) => [key, convert(value, depth + 1)]));
}

function copyNumbers(from: Schema, to: Schema, keys: string[]): void {
  for (const key of keys) {
    if (typeof from[key] === "number") to[key] = from[key];
  }
}

/** Any JSON value: primitives, objects with any properties, arrays of primitives. */
function anyJson(): Schema {
  return {
    oneOf: [
      { type: ["string", "number", "boolean", "null"] },
      { type: "object", additionalProperties: true },
      { type: "array", items: { type: ["string", "number", "boolean", "null"] } },
    ],
  };
}
