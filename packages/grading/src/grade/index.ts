export { grade, type GradeInput, type GradeOptions } from "./grade";
export type { Verdict } from "./verdict";
