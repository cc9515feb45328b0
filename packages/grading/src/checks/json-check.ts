import { checkResult, type CheckResult } from "./check-result";

/** True when the query asks for JSON output. */
export function asksForJson(query: string): boolean {
  // Questions about JSON ("What is the JSON format?", "How do I output JSON in Python?") do not ask for it.
  if (/^\s*(?:what|why|how|when|which|who|explain|describe|is|are|can|does|do)\b/i.test(query)) return false;
  return /\b(?:as|in|into)\s+(?:a |an |valid |only |strict |the |pure )*json\b|\b(?:return|output|give|reply|respond|answer|produce|generate|provide|format)\w*\b[^.?!\n]{0,40}\bjson\b/i.test(
    query,
  );
}

/**
 * JSON validity: the answer (or the first fenced block in it) must parse as JSON. A failure is
 * decisive; a pass is not (valid JSON may still be wrong).
 */
export function runJsonCheck(answer: string): CheckResult[] {
  const text = answer.trim();
  const fenced = /```(?:json)?[^\n]*\n([\s\S]*?)\n```/i.exec(text)?.[1];
  const candidates = [text, fenced, sliceOuter(text)].filter((c): c is string => c !== undefined && c.trim() !== "");
  let firstError = "";
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate) as unknown;
      return [
        checkResult(
          "json.valid",
          "deterministic",
          "pass",
          false,
          `the answer is valid JSON (${Array.isArray(value) ? "array" : value === null ? "null" : typeof value})`,
        ),
      ];
    } catch (error) {
      firstError ||= (error as Error).message;
    }
  }
  return [checkResult("json.valid", "deterministic", "fail", true, `JSON was asked for and the answer does not parse: ${firstError}`)];
}

function sliceOuter(text: string): string | undefined {
  const start = text.search(/[[{]/);
  const end = Math.max(text.lastIndexOf("}"), text.lastIndexOf("]"));
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}
