import { all, create, isBigNumber, isMatrix } from "mathjs";
import type { MathJsInstance, MathNode, Matrix, Unit } from "mathjs";
import { CalculatorErrorCode, calculatorError } from "./calculator-error-code";
import { calculatorLimits, calculatorPolicy } from "./calculator-policy";
import { isPrimeExact } from "./is-prime-exact";

/** How numbers are represented while evaluating: JS numbers, or 64-digit BigNumbers. */
export type CalculationMode = "number" | "bignumber";

/** @internal Any mathjs function as the interpreter calls it. */
export type MathFunction = (...args: unknown[]) => unknown;

/**
 * @internal A private, hardened mathjs instance. Expressions never see `math` itself: the
 * interpreter only reaches the allow-listed functions, operators and constants captured here.
 */
export interface SafeMath {
  readonly mode: CalculationMode;
  /** The private instance, for type checks and formatting. Never handed to expressions. */
  readonly math: MathJsInstance;
  /** The instance's parser, taken before `parse` was disabled. */
  readonly parse: (expression: string) => MathNode;
  /** Allow-listed functions by name (aliases included), with their expression transforms. */
  readonly functions: ReadonlyMap<string, MathFunction>;
  /** Allow-listed operators by their mathjs function name. */
  readonly operators: ReadonlyMap<string, MathFunction>;
  /** Allow-listed constants by name. */
  readonly constants: ReadonlyMap<string, unknown>;
  /** Every name the instance defines, allowed or not (to tell "refused" from "unknown"). */
  readonly knownNames: ReadonlySet<string>;
  /** `range` as expressions see it (end included), for `a:b:c`. */
  readonly range: MathFunction;
  /** `matrix`, for array literals. */
  readonly matrix: MathFunction;
  /** True when `name` is a built-in unit name such as `km`, `miles`, `degF`. */
  isUnitName(name: string): boolean;
  /** A valueless unit, e.g. `km`, as `5 km` multiplies it. */
  makeUnit(name: string): Unit;
  /**
   * Puts the instance's BigNumber (decimal.js) settings back. decimal.js raises `precision`
   * and changes `rounding` while computing and leaves them changed when it throws, e.g. on
   * `sin(10^999)`, which would make every later BigNumber slow and differently rounded.
   */
  restoreBigNumberSettings(): void;
}

/** The decimal.js settings mathjs's BigNumber class carries. */
interface DecimalSettings {
  precision: number;
  rounding: number;
  toExpNeg: number;
  toExpPos: number;
  minE: number;
  maxE: number;
  modulo: number;
  crypto: boolean;
}

const DECIMAL_SETTINGS = ["precision", "rounding", "toExpNeg", "toExpPos", "minE", "maxE", "modulo", "crypto"] as const;

const instances = new Map<CalculationMode, SafeMath>();

/** @internal The hardened instance for `mode`, created on first use and reused after. */
export function getSafeMath(mode: CalculationMode): SafeMath {
  let safe = instances.get(mode);
  if (!safe) {
    safe = createSafeMath(mode);
    instances.set(mode, safe);
  }
  return safe;
}

/**
 * @internal Creates a private mathjs instance (never the shared default one), captures
 * `parse` and the allow-listed functions, then replaces the dangerous functions (`import`,
 * `createUnit`, `evaluate`, `parse`, `simplify`, …) with stubs that throw `CALC_FORBIDDEN`.
 */
export function createSafeMath(mode: CalculationMode): SafeMath {
  if (!all) throw new Error("mathjs 'all' factories are missing");
  const math = create(all, mode === "bignumber" ? { number: "BigNumber", precision: calculatorLimits.bigNumberPrecision } : { number: "number" });
  const raw = math as unknown as Record<string, unknown>;
  const parse = math.parse.bind(math) as (expression: string) => MathNode;
  const transforms = (math as unknown as { expression: { transform: Record<string, unknown> } }).expression.transform;
  const knownNames = new Set(Object.keys(math));

  const resolve = (name: string): MathFunction => {
    const transform = Object.hasOwn(transforms, name) ? transforms[name] : undefined;
    const fn = typeof transform === "function" && (transform as { rawArgs?: boolean }).rawArgs !== true ? transform : raw[name];
    if (typeof fn !== "function") throw new Error(`mathjs has no function '${name}'`);
    return fn as MathFunction;
  };
  const functions = new Map<string, MathFunction>();
  for (const name of calculatorPolicy.functions) functions.set(name, resolve(name));
  for (const [alias, target] of Object.entries(calculatorPolicy.functionAliases)) functions.set(alias, resolve(target));
  const operators = new Map<string, MathFunction>();
  for (const name of calculatorPolicy.operators) operators.set(name, resolve(name));
  // `and` / `or` as operators short-circuit in the interpreter; the plain functions do the work.
  operators.set("and", raw.and as MathFunction);
  operators.set("or", raw.or as MathFunction);
  functions.set("and", raw.and as MathFunction);
  functions.set("or", raw.or as MathFunction);
  // mathjs's BigNumber combinations loops max(k, n - k) times (1e15 times for
  // combinations(bignumber(1e15), 3)); this one loops min(k, n - k) times, as the guard assumes.
  const combinationsOriginal = resolve("combinations");
  const one = math.bignumber(1);
  const combinations: MathFunction = (n, k) => {
    if (!isBigNumber(n) || !isBigNumber(k) || !n.isInteger() || !k.isInteger() || k.isNegative() || k.gt(n)) return combinationsOriginal(n, k);
    const small = k.lt(n.minus(k)) ? k : n.minus(k);
    const base = n.minus(small);
    let result = one;
    for (let i = one; i.lte(small); i = i.plus(one)) result = result.times(base.plus(i)).dividedBy(i);
    return result;
  };
  functions.set("combinations", combinations);
  functions.set("nCr", combinations);
  // mathjs tests numbers by trial division (0.4 s near 2^53) and BigNumbers by a slow decimal
  // Miller-Rabin (0.25 s at 16 digits): test integers above 2^32 with BigInt Miller-Rabin instead.
  const isPrimeOriginal = resolve("isPrime");
  const isPrime = (x: unknown): unknown => {
    if (isMatrix(x)) return (x as Matrix).map((element: unknown) => isPrime(element));
    if (typeof x === "number" && Number.isInteger(x) && Math.abs(x) > 2 ** 32) return isPrimeExact(BigInt(x));
    if (isBigNumber(x) && x.isInteger() && x.abs().gt(2 ** 32)) return isPrimeExact(BigInt(x.toFixed()));
    return isPrimeOriginal(x);
  };
  functions.set("isPrime", isPrime);
  const constants = new Map<string, unknown>();
  for (const name of calculatorPolicy.constants) constants.set(name, raw[name]);
  const range = resolve("range");
  const matrix = raw.matrix as MathFunction;

  const decimal = (math as unknown as { BigNumber: DecimalSettings & { set(settings: DecimalSettings): unknown } }).BigNumber;
  const savedDecimal = Object.fromEntries(DECIMAL_SETTINGS.map((key) => [key, decimal[key]])) as unknown as DecimalSettings;
  const restoreBigNumberSettings = (): void => {
    if (DECIMAL_SETTINGS.some((key) => decimal[key] !== savedDecimal[key])) decimal.set(savedDecimal);
  };

  const UnitClass = math.Unit;
  const unitStatics = UnitClass as unknown as Record<string, unknown>;
  const prototypeNames = new Set(Object.getOwnPropertyNames(Object.prototype));
  const isUnitName = (name: string): boolean => /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !prototypeNames.has(name) && UnitClass.isValuelessUnit(name);
  const makeUnit = (name: string): Unit => new (UnitClass as unknown as new (value: null, name: string) => Unit)(null, name);

  // Defence in depth: disable what could change the instance or evaluate text. `config` and
  // `typed` stay: mathjs's own functions depend on them.
  const stubs: Record<string, MathFunction> = {};
  for (const name of calculatorPolicy.disabledFunctions) {
    stubs[name] = () => {
      throw calculatorError(CalculatorErrorCode.Forbidden, `the function '${name}' is disabled in the calculator`);
    };
  }
  math.import(stubs, { override: true });
  for (const name of ["createUnit", "createUnitSingle", "setUnitSystem", "deleteUnit"]) {
    if (typeof unitStatics[name] === "function") {
      unitStatics[name] = () => {
        throw calculatorError(CalculatorErrorCode.Forbidden, `Unit.${name} is disabled in the calculator`);
      };
    }
  }

  return {
    mode,
    math,
    parse,
    functions,
    operators,
    constants,
    knownNames,
    range,
    matrix,
    isUnitName,
    makeUnit,
    restoreBigNumberSettings,
  };
}
