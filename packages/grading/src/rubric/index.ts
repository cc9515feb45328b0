export {
  RubricSchema,
  RubricDimensionSchema,
  RubricChecksSchema,
  type Rubric,
  type RubricInput,
  type RubricDimension,
  type RubricChecks,
} from "./rubric-schema";
export { parseRubric } from "./parse-rubric";
export { loadRubrics } from "./load-rubrics";
export { createRubricSet, type RubricSet } from "./rubric-set";
export { defaultRubric } from "./default-rubric";
