/**
 * Reduces one line of markdown to its readable text: link and image targets, emphasis and code
 * markers, inline HTML, block-quote and list markers and table pipes are removed. Returns `""`
 * for lines that carry no text (table rules, link definitions, HTML comments).
 */
export function stripInlineMarkdown(line: string): string {
  if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/u.test(line)) return "";
  if (/^\s{0,3}\[[^\]]+\]:\s+\S+/u.test(line)) return "";
  return line
    .replace(/<!--.*?-->/gu, " ")
    .replace(/^\s{0,3}(?:>\s?)+/u, "")
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/u, "")
    .replace(/!\[([^\]]*)\]\([^)]*\)/gu, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/gu, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/gu, "$1")
    .replace(/<((?:https?|mailto):[^>\s]+)>/gu, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/gu, "")
    .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/gu, "$2")
    .replace(/(^|[^\p{L}\p{N}*_])[*_](?=\S)(.+?)(?<=\S)[*_](?![\p{L}\p{N}])/gu, "$1$2")
    .replace(/`+/gu, "")
    .replace(/^\s*\||\|\s*$/gu, "")
    .replace(/\s*\|\s*/gu, " · ")
    .trim();
}
