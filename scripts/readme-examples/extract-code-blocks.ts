/** A fenced code block of a markdown file. */
export interface CodeBlock {
  /** The fence's language, lower-cased (`ts`, `sh`, …); empty when the fence names none. */
  lang: string;
  /** The rest of the fence's info string after the language, trimmed. */
  info: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The nearest heading above the block, without its `#`s; empty before the first heading. */
  heading: string;
  /** The block's text, one `\n` after each line. */
  code: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

/**
 * The fenced code blocks of a markdown text, in order. A block closes at a fence of the same
 * character at least as long as the one that opened it (CommonMark); an unclosed block runs
 * to the end of the text.
 */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split(/\r?\n/);
  let heading = "";
  let open: { fence: string; block: CodeBlock; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
      if (close && close[1]![0] === open.fence[0] && close[1]!.length >= open.fence.length) {
        blocks.push({ ...open.block, code: open.body.map((line) => `${line}\n`).join("") });
        open = undefined;
      } else {
        open.body.push(text);
      }
      return;
    }
    const fence = FENCE.exec(text);
    if (fence) {
      const block = { lang: fence[2]!.toLowerCase(), info: fence[3]!.trim(), line: index + 1, heading, code: "" };
      open = { fence: fence[1]!, block, body: [] };
      return;
    }
    const title = HEADING.exec(text);
    if (title) heading = title[1]!;
  });
  if (open) blocks.push({ ...open.block, code: open.body.map((line) => `${line}\n`).join("") });
  return blocks;
}
