import { toTinyLLMError, type Calculator } from "@tinyllm/core";
import { isBareCalculation } from "./calculator-tool";
import { evaluateExpression } from "./evaluate-expression";
import { findCalculableExpression } from "./find-expression";

/**
 * The hardened calculator behind the {@link Calculator} contract, for packages that take one
 * (grading recomputes stated arithmetic with it). Only real numbers count as values: units,
 * booleans, complex numbers and matrices give `ok: false`.
 *
 * @example
 * ```ts
 * import { createCalculator } from "@tinyllm/tools";
 * const calculator = createCalculator();
 * console.log(calculator.evaluate("17 * 24")); // { ok: true, value: 408, text: "408" }
 * console.log(calculator.bareCalculation("What is 17*24?")); // "17*24"
 * ```
 */
export function createCalculator(): Calculator {
  return {
    evaluate(expression, { timeoutMs = 1000 } = {}) {
      try {
        const result = evaluateExpression(expression, { timeoutMs });
        if (result.kind === "number" && typeof result.value === "number") return { ok: true, value: result.value, text: result.text };
        if ((result.kind === "bignumber" || result.kind === "fraction") && typeof result.value === "string")
          return { ok: true, value: result.value, text: result.text };
        return { ok: false, code: "CALC_MATH", message: `the result is a ${result.kind}, not a real number` };
      } catch (error) {
        const failure = toTinyLLMError(error);
        return { ok: false, code: failure.code, message: failure.message };
      }
    },
    bareCalculation(query) {
      return isBareCalculation(query) ? findCalculableExpression(query) : undefined;
    },
  };
}
