/**
 * The hardened calculator: {@link evaluateExpression}, the {@link calculator} tool and
 * {@link findCalculableExpression} for the tool-first fast path.
 *
 * @module
 */
export { evaluateExpression, type EvaluateExpressionOptions } from "./evaluate-expression";
export type { CalculationKind, CalculationResult } from "./format-result";
export { calculator, calculatorInputSchema, calculatorOutputSchema, isBareCalculation, type CalculatorInput } from "./calculator-tool";
export { findCalculableExpression } from "./find-expression";
export { createCalculator } from "./create-calculator";
export { CalculatorErrorCode } from "./calculator-error-code";
export { calculatorLimits, calculatorPolicy } from "./calculator-policy";
export { normalizeExpression, type NormalizedExpression } from "./normalize-expression";
export type { CalculationMode } from "./create-safe-math";
