export { grade, type GradeInput, type GradeOptions } from "./grade";
export type { Verdict } from "./verdict";
export { loadCodeTests, type LoadCodeTestsOptions } from "./load-code-tests";
