import { CoreErrorCode, TinyLLMError } from "@tinyllm/core";

const runIdPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * `runId` when it is a valid run id: 1 to 128 characters of `A-Z a-z 0-9 _ . : -`.
 *
 * @throws TinyLLMError `INVALID_ARGUMENT` with a hint otherwise.
 * @internal
 */
export function checkRunId(runId: unknown): string {
  if (typeof runId === "string" && runIdPattern.test(runId)) return runId;
  const shown = typeof runId === "string" ? JSON.stringify(runId.length > 40 ? `${runId.slice(0, 40)}…` : runId) : typeof runId;
  throw new TinyLLMError({
    code: CoreErrorCode.InvalidArgument,
    message: `Invalid runId ${shown}: a run id is 1 to 128 characters of letters, digits, '_', '.', ':' and '-'`,
    hint: "pass an id such as run_2f9c41 or leave runId out and the runtime makes one",
  });
}
