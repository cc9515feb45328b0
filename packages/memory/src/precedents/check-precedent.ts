import type { Precedent } from "@tinyllm/core";
import { memoryInputInvalid } from "../memory-error";

const maxLabelChars = 256;

/** A precedent as stored: checked, its query trimmed and cut to `maxQueryChars`. @internal */
export function checkPrecedent(precedent: Precedent, maxQueryChars: number): Precedent {
  const { query, route, pass, score, scope } = (precedent ?? {}) as Partial<Precedent>;
  if (typeof query !== "string" || query.trim() === "")
    throw memoryInputInvalid("A precedent's query must be a non-empty string", "record the text the router classified");
  if (typeof route !== "string" || route === "" || route.length > maxLabelChars)
    throw memoryInputInvalid("A precedent's route must be a non-empty string of at most 256 characters", "record the route the router chose");
  if (typeof pass !== "boolean")
    throw memoryInputInvalid("A precedent's pass must be true or false", "record undecided verdicts nowhere: they say nothing of the route");
  if (score !== undefined && score !== null && (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1))
    throw memoryInputInvalid(`A precedent's score must be a number from 0 to 1, not ${String(score)}`, "pass the gate's score, or null");
  if (scope !== undefined && (typeof scope !== "string" || scope.length > maxLabelChars))
    throw memoryInputInvalid("A precedent's scope must be a string of at most 256 characters", "use routerScope(config) from @tinyllm/models");
  return {
    query: query.trim().slice(0, maxQueryChars),
    route,
    pass,
    score: typeof score === "number" ? score : null,
    ...(scope ? { scope } : {}),
  };
}
