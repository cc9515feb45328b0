import { isBigNumber } from "mathjs";
import type {
  ArrayNode,
  BigNumber,
  Fraction,
  ConditionalNode,
  ConstantNode,
  FunctionNode,
  MathNode,
  OperatorNode,
  OperatorNodeFn,
  ParenthesisNode,
  RangeNode,
  RelationalNode,
  SymbolNode,
} from "mathjs";
import { CalculatorErrorCode, calculatorError } from "./calculator-error-code";
import { calculatorLimits } from "./calculator-policy";
import type { SafeMath } from "./create-safe-math";
import { suggestNames } from "./suggest-names";
import { log10Abs } from "./value-magnitude";

type AnyConstant = string | number | bigint | boolean | BigNumber | Fraction | null | undefined;

/** Node types refused outright, with what they look like. */
const REFUSED_NODES: Readonly<Record<string, string>> = {
  AssignmentNode: "assignment (x = 5) is not supported: the calculator has no variables",
  FunctionAssignmentNode: "defining functions (f(x) = ...) is not supported",
  AccessorNode: 'property access and indexing (a.b, a[1], a["b"]) are not supported',
  IndexNode: "indexing (a[1]) is not supported",
  ObjectNode: "object literals ({a: 1}) are not supported",
  BlockNode: "several expressions (separated by ';' or new lines) are not supported: send one expression per call",
};

/** Names refused whatever else they might mean: JavaScript internals and escape hatches. */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
  "prototype",
  "this",
  "eval",
  "Function",
  "globalThis",
  "global",
  "process",
  "require",
  "module",
  "exports",
  "window",
  "self",
  "import",
  "Object",
  "Reflect",
  "Proxy",
]);

const SYNTAX_HINT = "write one arithmetic expression, e.g. (2 + 3) * 4, sqrt(16) * 3, 15% of 80 or 5 km to miles";

function forbidden(message: string, hint?: string): never {
  throw calculatorError(CalculatorErrorCode.Forbidden, message, hint ?? "the calculator evaluates numbers, units, arithmetic and math functions only");
}

function undefinedName(safe: SafeMath, name: string, kind: "name" | "function"): never {
  const candidates =
    kind === "function" || name.length <= 2
      ? [...safe.functions.keys(), ...safe.constants.keys()]
      : [...safe.constants.keys(), ...safe.functions.keys(), ...Object.keys(safe.math.Unit.UNITS)];
  const suggestions = suggestNames(name, candidates);
  const hints: string[] = [];
  if (suggestions.length > 0) hints.push(`did you mean ${suggestions.join(", ")}?`);
  if (kind === "name" && /^[a-zA-Z]$/.test(name)) hints.push(`the calculator has no variables: put a number in place of '${name}'`);
  if (kind === "name" && name === "x") hints.push("use * for multiplication");
  if (hints.length === 0)
    hints.push(
      kind === "function"
        ? "see the calculator's description for the functions it knows"
        : "use numbers, units such as km or degF, and constants such as pi, e, tau, phi",
    );
  throw calculatorError(CalculatorErrorCode.Undefined, kind === "function" ? `unknown function '${name}'` : `unknown name '${name}'`, hints.join("; "));
}

function checkSymbol(safe: SafeMath, name: string): void {
  if (FORBIDDEN_NAMES.has(name)) forbidden(`'${name}' is not allowed in the calculator`);
  if (safe.constants.has(name) || safe.isUnitName(name)) return;
  if (safe.functions.has(name))
    throw calculatorError(CalculatorErrorCode.Syntax, `'${name}' is a function: call it with parentheses, e.g. ${name}(16)`, SYNTAX_HINT);
  if (safe.knownNames.has(name)) forbidden(`'${name}' is not available in the calculator`);
  undefinedName(safe, name, "name");
}

function checkFunctionName(safe: SafeMath, name: string): void {
  if (FORBIDDEN_NAMES.has(name)) forbidden(`the function '${name}' is not allowed in the calculator`);
  if (safe.functions.has(name)) return;
  if (safe.knownNames.has(name))
    forbidden(
      `the function '${name}' is not allowed in the calculator`,
      "allowed: arithmetic, powers and roots, logs, trigonometry, factorial and combinatorics, statistics, fractions, units, small matrices",
    );
  if (safe.isUnitName(name) || safe.constants.has(name))
    throw calculatorError(
      CalculatorErrorCode.Syntax,
      `'${name}' is not a function: write a multiplication instead, e.g. 5 ${name} or 5 * ${name}`,
      SYNTAX_HINT,
    );
  undefinedName(safe, name, "function");
}

function checkConstant(node: ConstantNode<AnyConstant>, mode: SafeMath["mode"]): void {
  const value: unknown = node.value;
  if (typeof value === "boolean") return;
  // A too-large literal such as 1e400 is Infinity as a JS number and is redone with BigNumbers,
  // where only the words Infinity and NaN stay non-finite.
  const nonFinite =
    typeof value === "number" ? (mode === "bignumber" ? !Number.isFinite(value) : Number.isNaN(value)) : isBigNumber(value) && !(value as BigNumber).isFinite();
  if (nonFinite) {
    forbidden(`'${String(value)}' is not a number the calculator accepts`);
  }
  if (typeof value === "number") return;
  if (isBigNumber(value)) {
    const log = log10Abs(value);
    if (Number.isFinite(log) && Math.abs(log) > calculatorLimits.maxDecimalExponent) {
      throw calculatorError(
        CalculatorErrorCode.Limit,
        `the number ${node.toString().slice(0, 30)} is beyond the calculator's range of 10^±${calculatorLimits.maxDecimalExponent}`,
      );
    }
    return;
  }
  if (typeof value === "string")
    forbidden(`text strings ("${value.slice(0, 20)}") are not supported`, 'write numbers and units directly, e.g. 5 km rather than "5 km"');
  forbidden(`the value '${String(value)}' is not supported`);
}

/**
 * @internal Checks a parsed expression before anything is evaluated: only known node types,
 * allow-listed operators, functions and names, strings refused, depth and size bounded.
 * Throws `CALC_FORBIDDEN`, `CALC_UNDEFINED`, `CALC_SYNTAX` or `CALC_LIMIT`.
 */
export function checkExpressionTree(root: MathNode, safe: SafeMath): void {
  let count = 0;
  const visit = (node: MathNode, depth: number): void => {
    if (depth > calculatorLimits.maxTreeDepth)
      throw calculatorError(
        CalculatorErrorCode.Limit,
        `the expression is nested more than ${calculatorLimits.maxTreeDepth} levels deep`,
        "split the calculation into simpler steps",
      );
    if (++count > calculatorLimits.maxNodes)
      throw calculatorError(
        CalculatorErrorCode.Limit,
        `the expression has more than ${calculatorLimits.maxNodes} parts`,
        "split the calculation into simpler steps",
      );
    switch (node.type) {
      case "ConstantNode":
        checkConstant(node as ConstantNode<AnyConstant>, safe.mode);
        return;
      case "SymbolNode":
        checkSymbol(safe, (node as SymbolNode).name);
        return;
      case "ParenthesisNode":
        visit((node as ParenthesisNode).content, depth + 1);
        return;
      case "OperatorNode": {
        const operator = node as OperatorNode<never, OperatorNodeFn>;
        if (!safe.operators.has(operator.fn))
          forbidden(
            `the operator '${operator.op}' (${operator.fn}) is not supported`,
            "use + - * / ^ mod % ! and comparisons; bitwise operators are not available",
          );
        for (const arg of operator.args) visit(arg, depth + 1);
        return;
      }
      case "FunctionNode": {
        const call = node as FunctionNode<MathNode>;
        if (call.fn.type !== "SymbolNode") forbidden("calling the result of an expression is not supported", "call functions by name, e.g. sqrt(16)");
        checkFunctionName(safe, (call.fn as SymbolNode).name);
        for (const arg of call.args) visit(arg, depth + 1);
        return;
      }
      case "ArrayNode": {
        const array = node as ArrayNode;
        if (array.items.length > calculatorLimits.maxElements)
          throw calculatorError(CalculatorErrorCode.Limit, `the array has more than ${calculatorLimits.maxElements} elements`);
        for (const item of array.items) visit(item, depth + 1);
        return;
      }
      case "ConditionalNode": {
        const conditional = node as ConditionalNode;
        visit(conditional.condition, depth + 1);
        visit(conditional.trueExpr, depth + 1);
        visit(conditional.falseExpr, depth + 1);
        return;
      }
      case "RangeNode": {
        const range = node as RangeNode;
        visit(range.start, depth + 1);
        visit(range.end, depth + 1);
        if (range.step) visit(range.step, depth + 1);
        return;
      }
      case "RelationalNode": {
        const relational = node as RelationalNode;
        for (const name of relational.conditionals) if (!safe.operators.has(name)) forbidden(`the comparison '${name}' is not supported`);
        for (const param of relational.params) visit(param, depth + 1);
        return;
      }
      default:
        forbidden(REFUSED_NODES[node.type] ?? `${node.type} is not supported`);
    }
  };
  visit(root, 0);
}
