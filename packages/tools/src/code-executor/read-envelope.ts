/** Error details as the in-isolate harness reports them. @internal */
export interface EnvelopeError {
  /** Error name (`TypeError`), empty for thrown non-errors and harness messages. */
  n: string;
  m: string;
  l?: number;
  c?: number;
  /** `limit` (result too large) or `serialize` (result not JSON-able). */
  x?: string;
}

/** A validated harness envelope. @internal */
export interface Envelope {
  s: "ok" | "error" | "pending";
  /** JSON text of the result. */
  v?: string;
  e?: EnvelopeError;
  /** Test case verdict. */
  p?: boolean;
  /** Console output and whether it was cut. */
  o?: string;
  t?: boolean;
}

/** Limits applied while reading untrusted envelopes. @internal */
export interface EnvelopeLimits {
  maxOutputChars: number;
  maxReturnChars: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown, max: number): string => (typeof value === "string" ? value.slice(0, max) : "");
const position = (value: unknown): number | undefined => (typeof value === "number" && Number.isInteger(value) && value > 0 && value < 1e9 ? value : undefined);

/**
 * Parses and validates an envelope from the sandbox. Its content is attacker-controlled: only the
 * known fields are kept, with the expected types and bounded sizes. Returns `undefined` for garbage.
 *
 * @internal
 */
export function readEnvelope(source: string | undefined, limits: EnvelopeLimits): Envelope | undefined {
  if (typeof source !== "string" || source.length > 2 * (limits.maxOutputChars + limits.maxReturnChars) + 100_000) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || (raw.s !== "ok" && raw.s !== "error" && raw.s !== "pending")) return undefined;
  const envelope: Envelope = { s: raw.s };
  if (typeof raw.v === "string") envelope.v = raw.v;
  if (typeof raw.p === "boolean") envelope.p = raw.p;
  if (typeof raw.o === "string") envelope.o = raw.o.slice(0, limits.maxOutputChars);
  if (raw.t === true) envelope.t = true;
  if (isRecord(raw.e)) {
    const error: EnvelopeError = { n: text(raw.e.n, 200), m: text(raw.e.m, 4000) };
    const line = position(raw.e.l);
    const column = position(raw.e.c);
    if (line !== undefined) error.l = line;
    if (column !== undefined) error.c = column;
    if (typeof raw.e.x === "string") error.x = raw.e.x.slice(0, 20);
    envelope.e = error;
  } else if (envelope.s === "error") {
    envelope.e = { n: "", m: "the code failed" };
  }
  return envelope;
}

/** Deepest array/object nesting of a JSON text (strings skipped). @internal */
export function jsonDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return deepest;
}
