/**
 * Builds the `CONFIG_INVALID` errors of the configuration layer.
 *
 * @module
 */
import { TinyLLMError } from "@tinyllm/core";
import { ConfigErrorCode } from "./config-error-codes";

/** One problem found in the configuration. */
export interface ConfigIssue {
  /** The config file, as shown to people (relative to `cwd` when inside it). */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** What is wrong, naming the key, variable or flag. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

const MAX_LISTED = 20;

/** `file:line:column: message`, or just the message when there is no file. */
export function formatConfigIssue(issue: ConfigIssue): string {
  if (issue.file === undefined) return issue.message;
  const where = issue.line !== undefined ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  return `${where}: ${issue.message}`;
}

/**
 * A `CONFIG_INVALID` {@link TinyLLMError} listing `issues` (at least one). One issue becomes
 * the message and its hint the hint; several are listed one a line, each with its hint.
 */
export function createConfigInvalidError({ issues, cause }: { issues: readonly ConfigIssue[]; cause?: unknown }): TinyLLMError {
  const first = issues[0] ?? { message: "the configuration is invalid" };
  if (issues.length <= 1) {
    return new TinyLLMError({ code: ConfigErrorCode.ConfigInvalid, message: formatConfigIssue(first), hint: first.hint, cause });
  }
  const files = [...new Set(issues.map((issue) => issue.file).filter((file) => file !== undefined))];
  const subject = files.length === 1 ? files[0] : "The configuration";
  const lines = issues.slice(0, MAX_LISTED).map((issue) => `  ${formatConfigIssue(issue)}${issue.hint ? `\n    → ${issue.hint}` : ""}`);
  if (issues.length > MAX_LISTED) lines.push(`  … and ${issues.length - MAX_LISTED} more`);
  return new TinyLLMError({
    code: ConfigErrorCode.ConfigInvalid,
    message: `${subject} has ${issues.length} problems:\n${lines.join("\n")}`,
    hint: "fix each problem listed above",
    cause,
  });
}
