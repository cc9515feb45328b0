import { capValue, safeStringify, type CappedValue } from "@tinyllm/core";

/** The most characters of an {@link inputPreview}. */
export const inputPreviewChars = 200;

/**
 * The start of a run's input as one line of at most {@link inputPreviewChars} characters: the
 * text of a string input, the JSON of anything else, with runs of white space made one space and
 * an ellipsis when it was cut. Never throws, and reads only the start of a huge input.
 *
 * @internal
 */
export function inputPreview(input: unknown): string {
  const budget = inputPreviewChars * 5;
  let text: string;
  if (typeof input === "string") text = input.slice(0, budget);
  else {
    const capped = capValue(input, budget);
    text = isCapped(capped) ? capped.preview : safeStringify(capped);
  }
  const line = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(line);
  if (chars.length <= inputPreviewChars && (typeof input !== "string" || input.length <= budget)) return line;
  return `${chars.slice(0, inputPreviewChars - 1).join("")}…`;
}

function isCapped(value: unknown): value is CappedValue {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { truncated?: unknown }).truncated === true &&
    typeof (value as { preview?: unknown }).preview === "string"
  );
}
