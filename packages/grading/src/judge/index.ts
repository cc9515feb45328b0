export { createJudge, type Judge, type JudgeInput, type JudgeOptions, type JudgeVerdict } from "./judge";
