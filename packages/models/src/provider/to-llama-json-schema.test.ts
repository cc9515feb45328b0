import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toLlamaJsonSchema } from "./to-llama-json-schema";

describe("toLlamaJsonSchema", () => {
  it("turns anyOf into oneOf and keeps string limits", () => {
    const schema = z.toJSONSchema(z.object({ note: z.string().max(10).nullable(), tags: z.array(z.string()).min(1) }), { io: "input" });
    expect(toLlamaJsonSchema(schema as Record<string, unknown>)).toEqual({
      type: "object",
      properties: {
        note: { oneOf: [{ type: "string", maxLength: 10 }, { type: "null" }] },
        tags: { type: "array", items: { type: "string" }, minItems: 1 },
      },
    });
  });

  it("drops keywords the grammar ignores and unsupported formats", () => {
    expect(
      toLlamaJsonSchema({
        type: "object",
        title: "T",
        properties: {
          email: { type: "string", format: "email", minLength: 3, pattern: "@" },
          when: { type: "string", format: "date" },
          n: { type: "integer", minimum: 0, maximum: 4 },
        },
        required: ["email"],
        additionalProperties: false,
      }),
    ).toEqual({
      type: "object",
      properties: {
        email: { type: "string", minLength: 3 },
        when: { type: "string", format: "date" },
        n: { type: "integer" },
      },
    });
  });

  it("maps untyped schemas to any JSON, and keeps enums, consts, refs and type lists", () => {
    const any = toLlamaJsonSchema({});
    expect(any.oneOf).toBeInstanceOf(Array);
    expect(toLlamaJsonSchema({ type: "object" })).toEqual({ type: "object", additionalProperties: true });
    expect(toLlamaJsonSchema({ enum: ["a", 1] })).toEqual({ enum: ["a", 1] });
    expect(toLlamaJsonSchema({ const: "x", description: "d" })).toEqual({ const: "x", description: "d" });
    expect(toLlamaJsonSchema({ type: ["string", "null"] })).toEqual({ type: ["string", "null"] });
    expect(toLlamaJsonSchema({ allOf: [{ type: "boolean" }] })).toEqual({ type: "boolean" });
    expect(toLlamaJsonSchema({ $ref: "#/definitions/A", definitions: { A: { type: "number", minimum: 1 } } })).toEqual({
      $ref: "#/$defs/A",
      $defs: { A: { type: "number" } },
    });
  });
});
