export { type CheckResult, type CheckStage } from "./check-result";
export { runRuleChecks, type RuleCheckInput } from "./rule-checks";
export { extractCode, guessLanguage, runnableCode, asksForCode, type CodeBlock, type CodeLanguage } from "./extract-code";
export { extractFinalNumber, parseNumber, numbersAgree, type FoundNumber } from "./final-number";
export { runMathCheck, type MathCheckInput } from "./math-check";
export { runJsonCheck, asksForJson } from "./json-check";
export { runCodeCheck, type CodeCheckInput, type CodeTests } from "./code-check";
