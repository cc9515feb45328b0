import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { TinyLLMError } from "@tinyllm/core";
import { LineCounter, parseDocument } from "yaml";
import { PromptSchema, type Prompt } from "./prompt-schema";

/** Prompts by id. */
export type PromptLibrary = ReadonlyMap<string, Prompt>;

/**
 * Loads every `*.yaml` / `*.yml` file of a folder as a prompt. Throws `PROMPT_INVALID` naming
 * the file, line and column of every problem, or `PROMPT_DUPLICATE` when two files share an id.
 *
 * @example
 * ```ts
 * const prompts = await loadPrompts({ dir: "prompts" });
 * prompts.get("code")?.system;
 * ```
 */
export async function loadPrompts({ dir }: { dir: string }): Promise<PromptLibrary> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    throw new TinyLLMError({
      code: "PROMPT_INVALID",
      message: `cannot read the prompts folder '${dir}': ${(error as Error).message}`,
      hint: "set promptsDir in tinyllm.yaml, or pass a folder that exists",
      cause: error,
    });
  }
  const library = new Map<string, Prompt>();
  const problems: string[] = [];
  const origin = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const result = parsePrompt(await readFile(file, "utf8"), file);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const previous = origin.get(result.prompt.id);
    if (previous) {
      throw new TinyLLMError({
        code: "PROMPT_DUPLICATE",
        message: `prompt id '${result.prompt.id}' is used by both ${previous} and ${file}`,
        hint: "give every prompt a unique id",
      });
    }
    origin.set(result.prompt.id, file);
    library.set(result.prompt.id, result.prompt);
  }
  if (problems.length > 0) {
    throw new TinyLLMError({ code: "PROMPT_INVALID", message: `invalid prompt files:\n${problems.join("\n")}`, hint: "fix the prompt files listed" });
  }
  return library;
}

/** Parses one prompt document; problems are `file:line:col: message`. */
export function parsePrompt(source: string, file = "<prompt>"): { ok: true; prompt: Prompt } | { ok: false; problems: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => `${file}:${pos(lineCounter, e.pos[0])}: ${e.message.split("\n")[0]}`) };
  }
  const parsed = PromptSchema.safeParse(doc.toJS({ maxAliasCount: 50 }));
  if (parsed.success) return { ok: true, prompt: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
      const at = node?.range ? pos(lineCounter, node.range[0]) : "1:1";
      return `${file}:${at}: ${issue.path.join(".") || "(top)"}: ${issue.message}`;
    }),
  };
}

function pos(lineCounter: LineCounter, offset: number): string {
  const p = lineCounter.linePos(offset);
  return `${p.line}:${p.col}`;
}
