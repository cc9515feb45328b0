/**
 * TinyLLM grading: rubrics, checks in order of cost (rules, deterministic checks, an LLM judge),
 * the `gate` node kind and the SQLite verdict store. Every part works on its own:
 * `import { grade } from "@tinyllm/grading"`.
 *
 * @module
 */
export { GradingErrorCode } from "./grading-error-code";
export * from "./rubric/index";
export * from "./checks/index";
export * from "./judge/index";
export * from "./grade/index";
export * from "./gate/index";
export * from "./verdict-store/index";
