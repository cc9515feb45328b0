/**
 * Parses and validates the text of a `tinyllm.yaml` file.
 *
 * @module
 */
import { TinyLLMError } from "@tinyllm/core";
import { LineCounter, parseDocument, type Document } from "yaml";
import { createConfigInvalidError, type ConfigIssue } from "./config-invalid-error";
import { describeSchemaIssues } from "./describe-schema-issues";
import { locateYamlPath } from "./locate-yaml-path";
import { TinyLLMConfigSchema, type TinyLLMConfigFile } from "./tinyllm-config-schema";

/** Options of {@link parseConfigText}. */
export interface ParseConfigTextOptions {
  /** The YAML (or JSON) text. */
  text: string;
  /** The file name shown in messages. Default `tinyllm.yaml`. */
  file?: string;
}

/**
 * Parses `tinyllm.yaml` text and validates it against {@link TinyLLMConfigSchema}. An empty
 * document is an empty configuration. Paths are returned as written (`loadConfig` resolves
 * them). Throws a `CONFIG_INVALID` `TinyLLMError` listing every problem (YAML syntax,
 * duplicate or unknown keys, wrong types), each as `file:line:column: message` with a hint.
 *
 * @example
 * ```ts
 * const config = parseConfigText({ text: "provider: ollama\n", file: "tinyllm.yaml" });
 * ```
 */
export function parseConfigText({ text, file = "tinyllm.yaml" }: ParseConfigTextOptions): TinyLLMConfigFile {
  try {
    return parseUnsafe(text, file);
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw error;
    const message =
      error instanceof RangeError ? "the document is nested too deeply to read" : `cannot read the file: ${String((error as Error)?.message ?? error)}`;
    throw createConfigInvalidError({ issues: [{ file, line: 1, column: 1, message, hint: "simplify the file" }], cause: error });
  }
}

function parseUnsafe(text: string, file: string): TinyLLMConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const syntaxIssues: ConfigIssue[] = doc.errors.map((error) => {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    return {
      file,
      line: pos.line,
      column: pos.col,
      message: `YAML: ${error.message.split("\n")[0] ?? error.message}`,
      hint: "fix the YAML syntax at this position (indent with spaces, write `key: value`)",
    };
  });
  if (syntaxIssues.length > 0) throw createConfigInvalidError({ issues: syntaxIssues });

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw createConfigInvalidError({
      issues: [{ file, line: 1, column: 1, message: `YAML: ${(error as Error).message}`, hint: "use fewer aliases" }],
      cause: error,
    });
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    const pos = locateYamlPath({ doc: doc as Document, lineCounter, path: [] });
    throw createConfigInvalidError({
      issues: [
        {
          file,
          line: pos?.line ?? 1,
          column: pos?.column ?? 1,
          message: `the file must be a mapping of settings (key: value lines), not ${Array.isArray(data) ? "a list" : "a single value"}`,
          hint: "write one setting a line, e.g. `provider: ollama`",
        },
      ],
    });
  }

  const parsed = TinyLLMConfigSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = describeSchemaIssues({ error: parsed.error, data, schema: TinyLLMConfigSchema }).map((issue): ConfigIssue => {
    const pos = locateYamlPath({ doc: doc as Document, lineCounter, path: issue.path, atKey: issue.atKey });
    return { file, line: pos?.line ?? 1, column: pos?.column ?? 1, message: issue.message, ...(issue.hint ? { hint: issue.hint } : {}) };
  });
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw createConfigInvalidError({ issues, cause: parsed.error });
}
