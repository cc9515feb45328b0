import { TinyLLMError } from "@tinyllm/core";
import { GradingErrorCode } from "../grading-error-code";
import { defaultRubric } from "./default-rubric";
import type { Rubric } from "./rubric-schema";

/** Rubrics by id and by route. */
export interface RubricSet {
  /** Every rubric, in load order. */
  readonly rubrics: readonly Rubric[];
  get(id: string): Rubric | undefined;
  /** The rubric for `route`: the one listing it, else the one whose id is `general`, else {@link defaultRubric}. */
  forRoute(route: string | undefined): Rubric;
}

/**
 * Indexes rubrics by id and route.
 *
 * @throws TinyLLMError `GRADING_RUBRIC_INVALID` when two rubrics share an id or a route.
 */
export function createRubricSet(rubrics: Iterable<Rubric>): RubricSet {
  const list = [...rubrics];
  const byId = new Map<string, Rubric>();
  const byRoute = new Map<string, Rubric>();
  for (const rubric of list) {
    if (byId.has(rubric.id))
      throw new TinyLLMError({ code: GradingErrorCode.RubricInvalid, message: `two rubrics have the id '${rubric.id}'`, hint: "rename one of them" });
    byId.set(rubric.id, rubric);
    for (const route of rubric.routes ?? [rubric.id]) {
      const other = byRoute.get(route);
      if (other)
        throw new TinyLLMError({
          code: GradingErrorCode.RubricInvalid,
          message: `rubrics '${other.id}' and '${rubric.id}' both grade route '${route}'`,
          hint: "list each route in one rubric only",
        });
      byRoute.set(route, rubric);
    }
  }
  return {
    rubrics: list,
    get: (id) => byId.get(id),
    forRoute: (route) => (route !== undefined ? byRoute.get(route) : undefined) ?? byId.get("general") ?? defaultRubric,
  };
}
