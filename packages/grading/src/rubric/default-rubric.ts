import { RubricSchema, type Rubric } from "./rubric-schema";

/** The rubric used when no rubric matches: correctness, completeness, relevance and clarity. */
export const defaultRubric: Rubric = RubricSchema.parse({
  id: "default",
  description: "A general-purpose rubric.",
  threshold: 0.6,
  dimensions: [
    { name: "correctness", weight: 3, description: "The facts, reasoning and results are right." },
    { name: "completeness", weight: 2, description: "Every part of the question is answered." },
    { name: "relevance", weight: 1, description: "The answer stays on the question." },
    { name: "clarity", weight: 1, description: "The answer is easy to follow." },
  ],
});
