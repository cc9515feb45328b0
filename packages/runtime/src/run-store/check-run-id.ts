import { CoreErrorCode, TinyLLMError } from "@tinyllm/core";

/** `/^[A-Za-z0-9_.:-]{1,128}$/`, without a regular expression: every run started with an id is checked. */
function isRunId(text: string): boolean {
  const length = text.length;
  if (length === 0 || length > 128) return false;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    const ok =
      (code >= 97 && code <= 122) || // a-z
      (code >= 65 && code <= 90) || // A-Z
      (code >= 48 && code <= 58) || // 0-9 and ':'
      code === 95 || // _
      code === 46 || // .
      code === 45; // -
    if (!ok) return false;
  }
  return true;
}

/**
 * `runId` when it is a valid run id: 1 to 128 characters of `A-Z a-z 0-9 _ . : -`.
 *
 * @throws TinyLLMError `INVALID_ARGUMENT` with a hint otherwise.
 * @internal
 */
export function checkRunId(runId: unknown): string {
  if (typeof runId === "string" && isRunId(runId)) return runId;
  const shown = typeof runId === "string" ? JSON.stringify(runId.length > 40 ? `${runId.slice(0, 40)}…` : runId) : typeof runId;
  throw new TinyLLMError({
    code: CoreErrorCode.InvalidArgument,
    message: `Invalid runId ${shown}: a run id is 1 to 128 characters of letters, digits, '_', '.', ':' and '-'`,
    hint: "pass an id such as run_2f9c41 or leave runId out and the runtime makes one",
  });
}
