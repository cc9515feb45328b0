import { CliError } from "../cli-error";

/** A whole-number flag between `min` and `max`, or `undefined` when it was not given. */
export function parseWholeNumber(flag: string, value: string | undefined, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isSafeInteger(n) || n < min || n > max)
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}`, 2, `e.g. ${flag} ${Math.max(min, Math.min(5, max))}`);
  return n;
}

const sessionIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** A session id as the session store takes it: letters, digits, `-`, `_`, `.` and `:`, at most 128 characters. */
export function parseSessionId(value: string): string {
  if (!sessionIdPattern.test(value))
    throw new CliError(
      `'${value}' is not a session id`,
      2,
      "a session id has 1 to 128 letters, digits, '-', '_', '.' or ':'; tinyllm sessions list shows them",
    );
  return value;
}

/** Text that must not be blank. */
export function requireText(what: string, value: string | undefined, example: string): string {
  if (value === undefined || value.trim() === "") throw new CliError(`the ${what} is empty`, 2, example);
  return value;
}
