/** A language the code check can run. */
export type CodeLanguage = "python" | "javascript";

/** A piece of code found in an answer. */
export interface CodeBlock {
  /** The fence's language tag, lower-cased (`python`, `js`, …), or guessed when the fence has none. */
  language: string | undefined;
  code: string;
}

const fence = /(^|\n)[ \t]*(`{3,}|~{3,})[ \t]*([A-Za-z0-9_+#.-]*)[^\n]*\n([\s\S]*?)\n[ \t]*\2[ \t]*(?=\n|$)/g;
const aliases: Record<string, string> = {
  py: "python",
  python3: "python",
  py3: "python",
  js: "javascript",
  node: "javascript",
  mjs: "javascript",
  ts: "typescript",
  sh: "bash",
  shell: "bash",
};

/**
 * The code in an answer: every fenced block (```` ```python ````, `~~~`), in order. An answer with
 * no fences that reads as code as a whole (it starts with `def`, `import`, `function`, …) counts
 * as one block. Blocks without a language tag get a guessed one.
 */
export function extractCode(answer: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const match of answer.matchAll(fence)) {
    const tag = match[3]?.toLowerCase() ?? "";
    const code = match[4] ?? "";
    if (code.trim() === "") continue;
    blocks.push({ language: tag ? (aliases[tag] ?? tag) : guessLanguage(code), code });
  }
  if (blocks.length === 0) {
    const text = answer.trim();
    if (/^(?:def |class |import |from \S+ import |async def |@\w+|function |const |let |export )/.test(text) && looksLikeCode(text))
      blocks.push({ language: guessLanguage(text), code: text });
  }
  return blocks;
}

/** Guesses Python or JavaScript from a piece of code; undefined when it looks like neither. */
export function guessLanguage(code: string): string | undefined {
  const python = (code.match(/^\s*(?:def |class \w+.*:\s*$|from \S+ import |import \w+\s*$|elif |print\(|return\b[^;{]*$|if __name__)/gm) ?? []).length;
  const javascript = (code.match(/(?:\bfunction\b|=>|\bconst |\blet |;\s*$|console\.log|\bmodule\.exports|\}\s*$)/gm) ?? []).length;
  if (python === 0 && javascript === 0) return undefined;
  return python >= javascript ? "python" : "javascript";
}

/** The blocks in a language the sandbox runs, joined in order (later blocks may use earlier ones). */
export function runnableCode(blocks: CodeBlock[], language: CodeLanguage): string | undefined {
  const matching = blocks.filter((block) => block.language === language);
  if (matching.length === 0) return undefined;
  return matching.map((block) => block.code).join("\n\n");
}

/** True when the query asks for code to be written or fixed (not only explained). */
export function asksForCode(query: string): boolean {
  const verb = /\b(?:write|implement|create|generate|code|program|complete|fix|refactor|rewrite|convert|give me|show me|make)\b/i;
  const noun = /\b(?:function|program|script|code|snippet|class|method|algorithm|implementation|regex|regular expression|query|one-liner|module|endpoint)\b/i;
  const language = /\b(?:python|javascript|typescript|java|c\+\+|c#|golang|go|rust|ruby|php|swift|kotlin|sql|bash|haskell|scala|numpy|pandas)\b/i;
  return (verb.test(query) && (noun.test(query) || language.test(query))) || /^\s*implement\b/i.test(query);
}

function looksLikeCode(text: string): boolean {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  if (lines.length === 0) return false;
  const codeish = lines.filter((line) => /^\s{2,}\S|[(){}[\]:;=]\s*$|^\s*(?:def|class|return|import|from|if|for|while|const|let|function)\b/.test(line)).length;
  return codeish / lines.length >= 0.6;
}
