/**
 * Text made literal in Markdown, and safe in a table cell: line breaks become spaces, `|` and
 * the characters that start emphasis, code, links or HTML are backslash-escaped (so an answer's
 * `<script>` shows as text, not markup).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(/[\\`*_[\]<>|&~]/g, (c) => `\\${c}`);
}

/** Whitespace runs collapsed to one space, and the text cut to `maxChars` characters with `…` when longer. */
export function clipText(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length <= maxChars ? flat : `${chars.slice(0, maxChars - 1).join("")}…`;
}
