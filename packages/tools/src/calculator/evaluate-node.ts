import { isBigNumber, isComplex, isFraction, isUnit } from "mathjs";
import type {
  ArrayNode,
  BigNumber,
  ConditionalNode,
  ConstantNode,
  FunctionNode,
  Fraction,
  MathNode,
  OperatorNode,
  OperatorNodeFn,
  ParenthesisNode,
  RangeNode,
  RelationalNode,
  SymbolNode,
} from "mathjs";
import { TinyLLMError } from "@tinyllm/core";
import { CalculatorErrorCode, calculatorError } from "./calculator-error-code";
import { calculatorPolicy } from "./calculator-policy";
import { checkResult, describeCall, guardCall } from "./call-guards";
import type { GuardContext } from "./call-guards";
import type { MathFunction } from "./create-safe-math";
import { isZeroScalar, shapeOf } from "./value-magnitude";

type AnyConstant = string | number | bigint | boolean | BigNumber | Fraction | null | undefined;

/** @internal State of one evaluation. There is no scope: expressions cannot read or write variables. */
export interface EvaluationContext extends GuardContext {
  /** `performance.now()` after which evaluation stops with `CALC_LIMIT`. */
  readonly deadline: number;
  readonly timeoutMs: number;
}

const aliases: Readonly<Record<string, string>> = calculatorPolicy.functionAliases;

/** @internal Turns anything mathjs throws into a calculator error. */
export function toCalculatorError(thrown: unknown, where: string): TinyLLMError {
  if (TinyLLMError.isInstance(thrown)) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (thrown instanceof RangeError && /call stack|array length|allocation|memory/i.test(message)) {
    return calculatorError(CalculatorErrorCode.Limit, `${where}: ${message}`, "the expression is too large; split it into simpler steps", thrown);
  }
  let hint = "check the arguments and their types";
  if (/units do not match|unit .* can ?not be converted|cannot convert .* unit/i.test(message))
    hint = "only compatible units can be added or converted, e.g. 5 km + 300 m or 5 km to miles";
  else if (/dimension mismatch|size mismatch/i.test(message)) hint = "the array sizes do not fit together";
  else if (/determinant is zero|singular/i.test(message)) hint = "the matrix is singular";
  else if (/unexpected type|too (many|few) arguments/i.test(message)) hint = "check how many arguments the function takes and their types";
  return calculatorError(CalculatorErrorCode.Math, `${where}: ${message}`, hint, thrown);
}

function call(label: string, name: string, fn: MathFunction, args: unknown[], ctx: EvaluationContext): unknown {
  guardCall(name, args, ctx);
  let result: unknown;
  try {
    result = fn(...args);
  } catch (error) {
    throw toCalculatorError(error, describeCall(ctx.safe, label, args));
  } finally {
    ctx.safe.restoreBigNumberSettings();
  }
  checkResult(name, result, args, ctx);
  return result;
}

/** mathjs's truthiness of a condition. */
function isTruthy(value: unknown, ctx: EvaluationContext): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  if (isBigNumber(value)) return !(value as BigNumber).isZero() && !(value as BigNumber).isNaN();
  if (isFraction(value)) return (value as Fraction).n !== 0n;
  if (isComplex(value) || isUnit(value)) return !isZeroScalar(value);
  throw calculatorError(CalculatorErrorCode.Math, `a condition must be a number or true/false, not ${ctx.safe.math.typeOf(value)}`);
}

function evaluateOperator(node: OperatorNode<never, OperatorNodeFn>, ctx: EvaluationContext): unknown {
  const fn = ctx.safe.operators.get(node.fn);
  if (!fn) throw calculatorError(CalculatorErrorCode.Forbidden, `the operator '${node.op}' is not supported`);
  const [first, second] = node.args;
  if ((node.fn === "and" || node.fn === "or") && first && second) {
    const left = evaluateNode(first, ctx);
    if (shapeOf(left) === undefined && isTruthy(left, ctx) === (node.fn === "or")) return node.fn === "or";
    return call(node.fn, node.fn, fn, [left, evaluateNode(second, ctx)], ctx);
  }
  return call(
    node.fn,
    node.fn,
    fn,
    node.args.map((arg) => evaluateNode(arg, ctx)),
    ctx,
  );
}

/**
 * @internal Evaluates a checked expression tree (see `checkExpressionTree`) with the
 * allow-listed functions of `ctx.safe`. Every call is guarded before it runs and its result
 * checked after; the time budget is checked at every node.
 */
export function evaluateNode(node: MathNode, ctx: EvaluationContext): unknown {
  if (performance.now() > ctx.deadline)
    throw calculatorError(CalculatorErrorCode.Limit, `the calculation took longer than ${ctx.timeoutMs} ms`, "simplify the expression");
  const { safe } = ctx;
  switch (node.type) {
    case "ConstantNode":
      return (node as ConstantNode<AnyConstant>).value;
    case "SymbolNode": {
      const { name } = node as SymbolNode;
      if (safe.constants.has(name)) return safe.constants.get(name);
      if (safe.isUnitName(name)) return safe.makeUnit(name);
      throw calculatorError(CalculatorErrorCode.Undefined, `unknown name '${name}'`);
    }
    case "ParenthesisNode":
      return evaluateNode((node as ParenthesisNode).content, ctx);
    case "OperatorNode":
      return evaluateOperator(node as OperatorNode<never, OperatorNodeFn>, ctx);
    case "FunctionNode": {
      const callNode = node as FunctionNode<MathNode>;
      const label = callNode.fn.type === "SymbolNode" ? (callNode.fn as SymbolNode).name : "";
      const fn = safe.functions.get(label);
      if (!fn) throw calculatorError(CalculatorErrorCode.Forbidden, `the function '${label}' is not allowed in the calculator`);
      return call(
        label,
        aliases[label] ?? label,
        fn,
        callNode.args.map((arg) => evaluateNode(arg, ctx)),
        ctx,
      );
    }
    case "ArrayNode": {
      const items = (node as ArrayNode).items.map((item) => evaluateNode(item, ctx));
      return call("array", "matrix", safe.matrix, [items], ctx);
    }
    case "ConditionalNode": {
      const conditional = node as ConditionalNode;
      return evaluateNode(isTruthy(evaluateNode(conditional.condition, ctx), ctx) ? conditional.trueExpr : conditional.falseExpr, ctx);
    }
    case "RangeNode": {
      const range = node as RangeNode;
      const args = [evaluateNode(range.start, ctx), evaluateNode(range.end, ctx)];
      if (range.step) args.push(evaluateNode(range.step, ctx));
      return call("range", "range", safe.range, args, ctx);
    }
    case "RelationalNode": {
      const relational = node as RelationalNode;
      let left = relational.params[0] ? evaluateNode(relational.params[0], ctx) : undefined;
      for (const [index, name] of relational.conditionals.entries()) {
        const param = relational.params[index + 1];
        const fn = safe.operators.get(name);
        if (!param || !fn) throw calculatorError(CalculatorErrorCode.Forbidden, `the comparison '${name}' is not supported`);
        const right = evaluateNode(param, ctx);
        if (!isTruthy(call(name, name, fn, [left, right], ctx), ctx)) return false;
        left = right;
      }
      return true;
    }
    default:
      throw calculatorError(CalculatorErrorCode.Forbidden, `${node.type} is not supported`);
  }
}
