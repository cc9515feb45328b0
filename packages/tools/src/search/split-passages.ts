import { stripInlineMarkdown } from "./strip-inline-markdown";

/** One searchable piece of a file. */
export interface Passage {
  /** The nearest heading above the passage, or the document title when there is none. */
  title: string;
  /** The headings above the passage, outermost first (empty before the first heading). */
  headings: string[];
  /** The passage text, lines joined by `\n`, markdown syntax stripped. */
  text: string;
  /** 1-based line of the passage's first line in the file. */
  line: number;
}

/** Options of {@link splitPassages}. */
export interface SplitPassagesOptions {
  /** Treat the text as markdown: headings, code fences, front matter, inline syntax. */
  markdown: boolean;
  /** Title of passages above the first heading, usually the file name. */
  title: string;
  /** A passage is closed at the next paragraph once it has this many characters. */
  minChars?: number;
  /** Hard ceiling of a passage; longer paragraphs are cut at lines, then words. */
  maxChars?: number;
}

interface Block {
  line: number;
  text: string;
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/u;
const SETEXT_RULE = /^ {0,3}(=+|-+)[ \t]*$/u;
const FENCE = /^ {0,3}(`{3,}|~{3,})/u;

/**
 * Splits a text or markdown file into passages of roughly `minChars`–`maxChars` characters that
 * never cross a heading, so a search hit points at one section and one place in the file.
 * Paragraphs (blank-line separated blocks) are kept whole where they fit. In plain text, a
 * short single-line paragraph before a longer one (`Sourdough bread`) counts as a heading.
 *
 * @example
 * ```ts
 * splitPassages("# Setup\n\nRun it.", { markdown: true, title: "guide.md" });
 * // → [{ title: "Setup", headings: ["Setup"], text: "Run it.", line: 3 }]
 * ```
 */
export function splitPassages(content: string, { markdown, title, minChars = 300, maxChars = 800 }: SplitPassagesOptions): Passage[] {
  const lines = content.replace(/^\uFEFF/u, "").split(/\r\n|\r|\n/u);
  const passages: Passage[] = [];
  let documentTitle = title;
  let first = 0;
  if (markdown && lines[0]?.trim() === "---") {
    const end = lines.findIndex((line, i) => i > 0 && i < 200 && /^(---|\.\.\.)\s*$/u.test(line));
    if (end > 0) {
      const titleLine = lines.slice(1, end).find((line) => /^title:\s*\S/u.test(line));
      const value = titleLine
        ?.replace(/^title:\s*/u, "")
        .replace(/^(["'])(.*)\1$/u, "$2")
        .trim();
      if (value) documentTitle = value;
      first = end + 1;
    }
  }

  const stack: { level: number; text: string }[] = [];
  let section: Block[] = [];
  let paragraph: { line: number; lines: string[] } | undefined;
  let fence: string | undefined;

  const flushParagraph = () => {
    if (paragraph) {
      const text = paragraph.lines.join("\n").trim();
      if (text) section.push({ line: paragraph.line, text });
    }
    paragraph = undefined;
  };
  const flushSection = () => {
    flushParagraph();
    const headings = stack.map((h) => h.text);
    const heading = headings.at(-1) ?? documentTitle;
    for (const chunk of packBlocks(section, minChars, maxChars)) passages.push({ title: heading, headings, text: chunk.text, line: chunk.line });
    section = [];
  };
  const addLine = (lineNumber: number, text: string) => {
    paragraph ??= { line: lineNumber, lines: [] };
    paragraph.lines.push(text);
  };
  const openHeading = (level: number, text: string) => {
    flushSection();
    while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= level) stack.pop();
    if (text) stack.push({ level, text });
  };

  /** Paragraphs of a plain-text file, gathered first so title lines can be recognized. */
  const plain: { line: number; lines: string[] }[] = [];
  let inComment = false;
  for (let i = first; i < lines.length; i++) {
    let raw = lines[i] ?? "";
    const lineNumber = i + 1;
    if (!markdown) {
      if (raw.trim()) {
        const last = plain.at(-1);
        if (last && last.line + last.lines.length === lineNumber) last.lines.push(raw.trimEnd());
        else plain.push({ line: lineNumber, lines: [raw.trimEnd()] });
      }
      continue;
    }
    if (fence === undefined) {
      // HTML comments may span lines (`<!-- YAML … -->` in Node's docs); drop them whole.
      if (inComment) {
        const end = raw.indexOf("-->");
        if (end === -1) continue;
        inComment = false;
        raw = raw.slice(end + 3);
        if (!raw.trim()) continue;
      }
      raw = raw.replace(/<!--.*?-->/gu, "");
      const open = raw.indexOf("<!--");
      if (open !== -1) {
        inComment = true;
        raw = raw.slice(0, open);
        if (!raw.trim()) continue;
      }
    }
    const fenceMatch = FENCE.exec(raw);
    if (fence !== undefined) {
      const marker = fenceMatch?.[1];
      // A fence closes with the same character, at least as many times, and nothing after it.
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && raw.trim() === marker) {
        fence = undefined;
        flushParagraph();
      } else if (raw.trim()) addLine(lineNumber, raw.trimEnd());
      continue;
    }
    if (fenceMatch?.[1]) {
      flushParagraph();
      fence = fenceMatch[1];
      continue;
    }
    const atx = ATX_HEADING.exec(raw);
    if (atx?.[1]) {
      openHeading(atx[1].length, stripInlineMarkdown(atx[2] ?? ""));
      continue;
    }
    const setext = SETEXT_RULE.exec(raw);
    if (setext?.[1] && paragraph?.lines.length === 1) {
      const text = paragraph.lines[0] ?? "";
      paragraph = undefined;
      openHeading(setext[1].startsWith("=") ? 1 : 2, text);
      continue;
    }
    if (!raw.trim() || /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/u.test(raw)) {
      flushParagraph();
      continue;
    }
    const text = stripInlineMarkdown(raw);
    if (text) addLine(lineNumber, text);
  }
  plain.forEach((block, i) => {
    const next = plain[i + 1];
    if (isTitleLine(block.lines) && next && !isTitleLine(next.lines)) openHeading(1, block.lines[0]?.trim() ?? "");
    else {
      paragraph = block;
      flushParagraph();
    }
  });
  flushSection();
  return passages;
}

/**
 * Whether a plain-text paragraph reads as a title: one short line, starting with a capital or
 * digit, not ending like a sentence (`Sourdough bread`, `2. Setup`, `Ingredients:`).
 */
function isTitleLine(lines: string[]): boolean {
  const text = lines.length === 1 ? (lines[0]?.trim() ?? "") : "";
  return text.length > 0 && text.length <= 80 && /^[\p{Lu}\p{N}]/u.test(text) && !/[.,;!?]$/u.test(text);
}

/** Groups a section's blocks into passages: close at `minChars`, never exceed `maxChars`. */
function packBlocks(blocks: Block[], minChars: number, maxChars: number): Block[] {
  const pieces = blocks.flatMap((block) => (block.text.length > maxChars ? cutBlock(block, maxChars) : [block]));
  const packed: Block[] = [];
  let current: Block | undefined;
  for (const piece of pieces) {
    if (current && (current.text.length >= minChars || current.text.length + 1 + piece.text.length > maxChars)) {
      packed.push(current);
      current = undefined;
    }
    current = current ? { line: current.line, text: `${current.text}\n${piece.text}` } : { ...piece };
  }
  if (current) {
    const previous = packed.at(-1);
    // Fold a short tail into the passage before it when both fit.
    if (previous && current.text.length < minChars / 2 && previous.text.length + 1 + current.text.length <= maxChars)
      previous.text = `${previous.text}\n${current.text}`;
    else packed.push(current);
  }
  return packed;
}

/** Cuts an overlong block at line ends, and overlong lines at spaces, into pieces ≤ `maxChars`. */
function cutBlock(block: Block, maxChars: number): Block[] {
  const pieces: Block[] = [];
  let current: Block | undefined;
  const lines = block.text.split("\n");
  lines.forEach((lineText, offset) => {
    const line = block.line + offset;
    for (const part of cutLine(lineText, maxChars)) {
      if (current && current.text.length + 1 + part.length > maxChars) {
        pieces.push(current);
        current = undefined;
      }
      current = current ? { line: current.line, text: `${current.text}\n${part}` } : { line, text: part };
    }
  });
  if (current) pieces.push(current);
  return pieces;
}

/** Cuts one line at spaces (or hard, when a word is longer) into parts ≤ `maxChars`. */
function cutLine(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    const sentence = Math.max(window.lastIndexOf(". "), window.lastIndexOf("! "), window.lastIndexOf("? "));
    const space = window.lastIndexOf(" ");
    const at = sentence > maxChars / 2 ? sentence + 1 : space > maxChars / 2 ? space : maxChars;
    parts.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}
