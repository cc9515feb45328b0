import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { capValue, type CappedValue, type Span } from "@tinyllm/core";
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_OPERATION_CHAT,
  GEN_AI_OPERATION_EXECUTE_TOOL,
} from "./gen-ai-attributes";

/** Longest JSON text kept for an object-valued attribute. */
export const maxObjectAttributeChars = 1024;
/** Longest string attribute value. */
export const maxStringAttributeChars = 4096;

/** The model a model span called: its `model` attribute (judge spans), else its name. */
export function modelOf(span: Span): string {
  const model = span.attributes?.model;
  return typeof model === "string" && model !== "" ? model : span.name;
}

/** The GenAI span name: `chat {model}`, `execute_tool {tool}`, else `{kind} {name}` (`node router`, `run multi_domain`). */
export function otelSpanNameOf(span: Span): string {
  if (span.kind === "model") return `${GEN_AI_OPERATION_CHAT} ${modelOf(span)}`;
  if (span.kind === "tool") return `${GEN_AI_OPERATION_EXECUTE_TOOL} ${span.name}`;
  return `${span.kind} ${span.name}`;
}

/**
 * The attributes of one exported span: GenAI names on model and tool spans, `tinyllm.span.*`,
 * `error.type` on failures, and the span's own attributes flattened under `tinyllm.`.
 */
export function otelAttributesOf(span: Span): Attributes {
  const own = { ...span.attributes };
  const attributes: Attributes = { "tinyllm.span.id": span.id, "tinyllm.span.kind": span.kind };
  if (span.kind === "model") {
    attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_CHAT;
    attributes[ATTR_GEN_AI_REQUEST_MODEL] = modelOf(span);
    if (typeof own.provider === "string") attributes[ATTR_GEN_AI_PROVIDER_NAME] = own.provider;
    if (typeof own.finishReason === "string") attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [own.finishReason];
    delete own.provider;
    delete own.model;
    if (span.tokens) {
      attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = span.tokens.input;
      attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = span.tokens.output;
    }
  } else if (span.kind === "tool") {
    attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_EXECUTE_TOOL;
    attributes[ATTR_GEN_AI_TOOL_NAME] = span.name;
  } else {
    if (span.kind === "node") {
      attributes["tinyllm.node.id"] = span.name;
      // A node span's `kind` is the node kind (`router`, `gate`…), not the span kind.
      if (typeof own.kind === "string") attributes["tinyllm.node.kind"] = own.kind;
      delete own.kind;
    }
    if (span.tokens) {
      attributes["tinyllm.tokens.input"] = span.tokens.input;
      attributes["tinyllm.tokens.output"] = span.tokens.output;
    }
  }
  if (span.retries !== undefined) attributes["tinyllm.retries"] = span.retries;
  if (span.error) {
    attributes[ATTR_ERROR_TYPE] = span.error.code;
  }
  for (const [key, value] of Object.entries(own)) {
    const name = `tinyllm.${key}`;
    if (name in attributes) continue;
    const flat = toAttributeValue(value);
    if (flat !== undefined) attributes[name] = flat;
  }
  return attributes;
}

/**
 * An OpenTelemetry attribute value for `value`: primitives as they are (strings capped), arrays of
 * one primitive type as arrays, anything else as JSON capped at about 1 KB. `null` and
 * `undefined` give `undefined` (the attribute is left out).
 */
export function toAttributeValue(value: unknown): AttributeValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return capString(value, maxStringAttributeChars);
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value) && value.length > 0) {
    const type = typeof value[0];
    if ((type === "string" || type === "number" || type === "boolean") && value.every((item) => typeof item === type)) {
      if (type === "string") return (value as string[]).map((item) => capString(item, maxObjectAttributeChars));
      return value as number[] | boolean[];
    }
  }
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  return jsonAttribute(value);
}

/** JSON text of `value`, serialised only up to the cap (a huge state costs no more than a small one). */
function jsonAttribute(value: unknown): string {
  const capped = capValue(value, maxObjectAttributeChars);
  if (isCapped(capped)) return `${capped.preview.slice(0, maxObjectAttributeChars - 1)}…`;
  return capString(JSON.stringify(capped) ?? "null", maxObjectAttributeChars);
}

function isCapped(value: unknown): value is CappedValue {
  return (
    typeof value === "object" && value !== null && (value as Partial<CappedValue>).truncated === true && typeof (value as CappedValue).preview === "string"
  );
}

function capString(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
