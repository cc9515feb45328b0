/**
 * What the calculator accepts, in one place. Everything not listed here is refused: the
 * expression tree is checked against these lists before anything is evaluated.
 */
export const calculatorPolicy = {
  /**
   * Functions callable by name, e.g. `sqrt(16)`. Statistics functions take a list or an array
   * (`mean(1, 2, 3)`, `max([1, 5])`); matrix functions work on arrays written as `[[1, 2], [3, 4]]`.
   */
  functions: [
    // arithmetic
    "abs",
    "add",
    "subtract",
    "multiply",
    "divide",
    "mod",
    "pow",
    "sqrt",
    "cbrt",
    "nthRoot",
    "square",
    "cube",
    "exp",
    "expm1",
    "log",
    "log10",
    "log2",
    "log1p",
    "sign",
    "round",
    "floor",
    "ceil",
    "fix",
    "gcd",
    "lcm",
    "hypot",
    "norm",
    "unaryMinus",
    "unaryPlus",
    "dotMultiply",
    "dotDivide",
    "dotPow",
    // trigonometry (radians, or degrees with the `deg` unit)
    "sin",
    "cos",
    "tan",
    "sec",
    "csc",
    "cot",
    "asin",
    "acos",
    "atan",
    "atan2",
    "asec",
    "acsc",
    "acot",
    "sinh",
    "cosh",
    "tanh",
    "sech",
    "csch",
    "coth",
    "asinh",
    "acosh",
    "atanh",
    "asech",
    "acsch",
    "acoth",
    // combinatorics and number theory
    "factorial",
    "gamma",
    "lgamma",
    "combinations",
    "permutations",
    "isPrime",
    // statistics
    "min",
    "max",
    "sum",
    "prod",
    "mean",
    "median",
    "mode",
    "std",
    "variance",
    "mad",
    // number types
    "fraction",
    "bignumber",
    "number",
    "complex",
    "re",
    "im",
    "arg",
    "conj",
    // units
    "to",
    // comparison and logic
    "equal",
    "unequal",
    "larger",
    "smaller",
    "largerEq",
    "smallerEq",
    "compare",
    "and",
    "or",
    "xor",
    "not",
    // small matrices
    "matrix",
    "det",
    "inv",
    "transpose",
    "trace",
    "dot",
    "cross",
    "size",
    "zeros",
    "ones",
    "identity",
    "range",
  ],
  /** Other names models use for allowed functions. */
  functionAliases: {
    ln: "log",
    arcsin: "asin",
    arccos: "acos",
    arctan: "atan",
    avg: "mean",
    average: "mean",
    nCr: "combinations",
    nPr: "permutations",
  } as Readonly<Record<string, string>>,
  /** Named constants. Unit names (`km`, `miles`, `degF`, `deg`, `h`, …) are allowed besides these. */
  constants: [
    "pi",
    "PI",
    "e",
    "E",
    "tau",
    "phi",
    "i",
    "LN2",
    "LN10",
    "LOG2E",
    "LOG10E",
    "SQRT2",
    "SQRT1_2",
    // physical constants (mathjs gives them with their units)
    "speedOfLight",
    "gravitationConstant",
    "planckConstant",
    "reducedPlanckConstant",
    "magneticConstant",
    "electricConstant",
    "vacuumImpedance",
    "coulombConstant",
    "elementaryCharge",
    "bohrMagneton",
    "conductanceQuantum",
    "inverseConductanceQuantum",
    "magneticFluxQuantum",
    "nuclearMagneton",
    "klitzing",
    "bohrRadius",
    "classicalElectronRadius",
    "electronMass",
    "fermiCoupling",
    "fineStructure",
    "hartreeEnergy",
    "protonMass",
    "deuteronMass",
    "neutronMass",
    "quantumOfCirculation",
    "rydberg",
    "thomsonCrossSection",
    "weakMixingAngle",
    "efimovFactor",
    "atomicMass",
    "avogadro",
    "boltzmann",
    "faraday",
    "firstRadiation",
    "loschmidt",
    "gasConstant",
    "molarPlanckConstant",
    "molarVolume",
    "sackurTetrode",
    "secondRadiation",
    "stefanBoltzmann",
    "wienDisplacement",
    "molarMass",
    "molarMassC12",
    "gravity",
    "planckLength",
    "planckMass",
    "planckTime",
    "planckCharge",
    "planckTemperature",
  ],
  /**
   * Operators by their mathjs function name: `+ - * / ^ mod % !`, unary `- +`, `to`/`in` for unit
   * conversion, comparisons, `and or xor not`, element-wise `.* ./ .^` and the transpose `'`.
   * Bitwise operators (`& | ^| ~ << >> >>>`) and `??` are refused.
   */
  operators: [
    "add",
    "subtract",
    "multiply",
    "divide",
    "unaryMinus",
    "unaryPlus",
    "pow",
    "mod",
    "factorial",
    "to",
    "smaller",
    "larger",
    "smallerEq",
    "largerEq",
    "equal",
    "unequal",
    "and",
    "or",
    "xor",
    "not",
    "dotMultiply",
    "dotDivide",
    "dotPow",
    "transpose",
  ],
  /**
   * mathjs functions that are replaced by throwing stubs inside the calculator's private mathjs
   * instances (after `parse` has been taken), as defence in depth: the allow-lists already keep
   * expressions from reaching them. `config` and `typed` are not replaced: mathjs itself calls them.
   */
  disabledFunctions: [
    "import",
    "createUnit",
    "reviver",
    "replacer",
    "evaluate",
    "parse",
    "compile",
    "parser",
    "simplify",
    "simplifyConstant",
    "simplifyCore",
    "derivative",
    "resolve",
    "rationalize",
    "symbolicEqual",
    "leafCount",
    "help",
    "chain",
  ],
} as const;

/**
 * The bounds the calculator enforces. Each one turns an input that could burn CPU or memory
 * into a `CALC_LIMIT` error before the expensive work starts.
 */
export const calculatorLimits = {
  /** Default longest expression in characters (`evaluateExpression`'s `maxLength`). */
  maxLength: 1000,
  /** Default time budget in milliseconds (`evaluateExpression`'s `timeoutMs`). */
  timeoutMs: 1000,
  /** Deepest bracket nesting `( [ {`. */
  maxNesting: 40,
  /** Deepest expression tree (e.g. a chain of unary minus or `^`). */
  maxTreeDepth: 80,
  /** Most nodes in the expression tree. */
  maxNodes: 2000,
  /** Largest number of elements in any array or matrix, including intermediate results. */
  maxElements: 1000,
  /** Largest |decimal exponent| of any value: results beyond 10^±1000 are refused. */
  maxDecimalExponent: 1000,
  /** Largest n in `n!`, `factorial(n)`, `gamma(n)`, `permutations(n)` (450! ≈ 1.7e1000). */
  maxFactorial: 450,
  /** Most loop steps of `combinations(n, k)` and `permutations(n, k)`: min(k, n-k) and k. */
  maxCombinatoricSteps: 1000,
  /** Largest |n| in `M^n` for a matrix M (64 when M holds fractions). */
  maxMatrixPower: 1000,
  /** Most multiplications a matrix power `M^n` may take (about size³ · 2 log2 n) with JS numbers. */
  maxMatrixOps: 10_000_000,
  /** The same with BigNumbers, which are about 100 times slower. */
  maxBigMatrixOps: 100_000,
  /** Largest |n| in `u^n` for a unit u. */
  maxUnitPower: 32,
  /** Most decimal digits in a fraction's numerator plus denominator. */
  maxFractionDigits: 2000,
  /** Largest n accepted by `isPrime` for JS numbers (larger ones are not exact). */
  maxPrimeTest: 2 ** 53,
  /** Largest BigNumber n accepted by `isPrime` (deterministic Miller-Rabin bound). */
  maxBigPrimeTest: 3.3e24,
  /** Most digits in `round(x, n)` and friends. */
  maxRoundDigits: 64,
  /** Significant digits of the BigNumber evaluation used for large and exact integer results. */
  bigNumberPrecision: 64,
  /** Number-mode results with |x| at or above this are re-evaluated with BigNumbers (exact integers). */
  exactThreshold: 1e15,
} as const;
