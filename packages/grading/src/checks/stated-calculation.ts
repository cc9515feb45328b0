/**
 * How the math check reads a stated calculation (`48/2 = 24`, `4.20 / 6 = $0.70`, `20% of 50 =
 * 10`): operands with currency signs and units, and which unit combinations are plain arithmetic.
 *
 * @module
 */

export const currencySign = "[$€£¥]";
const plainNumber = String.raw`(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?`;
/** What a number counts, after it: a currency sign (`7 €`) or a word of two letters or more (`5 km`, `3 apples`). */
export const unitAfter = String.raw`(?:\s?[€£¥]|\s*(?!(?:times|of|and|or|to|by|per|plus|minus|over|is|are|was|were|equals?|then|so)\b)[A-Za-z][A-Za-z']+)`;
export const operand = String.raw`${currencySign}?${plainNumber}${unitAfter}?`;
const resultEnd = String.raw`(?![\d%/]|\.\d|\s*[-+*/×÷]\s*[$€£¥]?\d|${unitAfter}\s*[-+*/×÷]\s*[$€£¥]?\d)`;
// Each stretch of spaces has one way to match (`(?:\(\s*)?`, not `\(?\s*`), so a long run of
// operators with no `=` ("1 + 1 + 1 + …") fails in linear time instead of backtracking.
const bracketed = String.raw`(?:\(\s*)?${operand}(?:\s*\))?`;
export const statedCalculation = new RegExp(
  String.raw`(?<![\w.,/$€£¥])(${bracketed}(?:\s*[-+*/×÷]\s*${bracketed})+)\s*=\s*(-?${currencySign}?${plainNumber})${resultEnd}`,
  "g",
);
/** "20% of $50 = $10": a percentage of an amount (the only percentage recomputed). */
export const percentOf = new RegExp(
  String.raw`(?<![\w.,/$€£¥%])((${plainNumber})\s*%\s+of\s+(${operand}))\s*=\s*(-?${currencySign}?${plainNumber})${resultEnd}`,
  "g",
);
export const operandParts = new RegExp(String.raw`(${currencySign})?(${plainNumber})(${unitAfter})?`, "g");
/** Words after a number that scale it, tell clock time, or make it a percentage or a power: their arithmetic is not the plain numbers'. */
export const notPlainUnit =
  /^(?:dozens?|hundreds?|thousands?|millions?|billions?|trillions?|k|bn|mn|score|gross|percent|percentage|pct|am|pm|halves|half|thirds?|quarters?|squared|cubed|factorial)$/i;
/** Units of measure by dimension, each with its spellings (singular). */
const measures: Record<string, Record<string, string[]>> = {
  time: {
    second: ["second", "sec"],
    minute: ["minute", "min"],
    hour: ["hour", "hr"],
    day: ["day"],
    week: ["week", "wk"],
    month: ["month"],
    year: ["year", "yr"],
  },
  length: {
    mm: ["mm", "millimeter", "millimetre"],
    cm: ["cm", "centimeter", "centimetre"],
    m: ["meter", "metre"],
    km: ["km", "kilometer", "kilometre"],
    inch: ["inch", "in"],
    foot: ["foot", "feet", "ft"],
    yard: ["yard", "yd"],
    mile: ["mile", "mi"],
  },
  weight: { mg: ["mg", "milligram"], g: ["gram"], kg: ["kg", "kilogram", "kilo"], lb: ["lb", "pound"], oz: ["oz", "ounce"], ton: ["ton", "tonne"] },
  volume: {
    ml: ["ml", "milliliter", "millilitre"],
    l: ["liter", "litre"],
    gallon: ["gallon", "gal"],
    quart: ["quart", "qt"],
    pint: ["pint"],
    cup: ["cup"],
    tablespoon: ["tablespoon", "tbsp"],
    teaspoon: ["teaspoon", "tsp"],
  },
  money: {
    $: ["$", "dollar", "usd", "buck"],
    "€": ["€", "euro", "eur"],
    "£": ["£", "gbp"],
    "¥": ["¥", "yen", "jpy"],
    cent: ["cent", "¢"],
    penny: ["penny", "pence"],
    nickel: ["nickel"],
    dime: ["dime"],
  },
};
const measureOf = new Map<string, { name: string; dimension: string }>();
for (const [dimension, units] of Object.entries(measures))
  for (const [name, spellings] of Object.entries(units)) for (const spelling of spellings) measureOf.set(spelling, { name, dimension });

/** The unit a number is given in, one name across spellings: `$` (also "dollars"), `hour` ("hrs"), `apple` ("apples"). */
export function unitKey(sign: string | undefined, word: string | undefined): string | undefined {
  const trimmed = (sign ?? word)?.trim().toLowerCase();
  if (!trimmed) return undefined;
  const singular = trimmed
    .replace(/ies$/, "y")
    .replace(/(ch|sh|x|ss)es$/, "$1")
    .replace(/([^s])s$/, "$1");
  return measureOf.get(singular)?.name ?? singular;
}

/**
 * Whether the units of a stated calculation let its numbers be recomputed as they are: a sum
 * keeps one unit throughout ("5 km + 3 km = 8 km", not "1 hour + 30 minutes = 90 minutes" or
 * "2 packs + 6 cans = 18 cans"); a product or quotient may change unit ("$25 / $5 = 5 hours")
 * but not convert within a dimension ("2 hours × 3 = 360 minutes", "$5 × 100 = 500 cents").
 */
export function unitsArePlain(sum: boolean, operandUnits: Set<string>, resultUnit: string | undefined): boolean {
  if (sum) return new Set([...operandUnits, ...(resultUnit ? [resultUnit] : [])]).size <= 1;
  if (resultUnit === undefined || operandUnits.has(resultUnit)) return true;
  const dimension = [...measureOf.values()].find((measure) => measure.name === resultUnit)?.dimension;
  return (
    dimension === undefined ||
    ![...operandUnits].some((unit) => [...measureOf.values()].some((measure) => measure.name === unit && measure.dimension === dimension))
  );
}

/** The unit word or currency sign right after a stated result (`8 km`, `12 €`), if any. */
export function resultUnit(result: string, after: string): string | undefined {
  const sign = new RegExp(`^-?(${currencySign})`).exec(result)?.[1];
  if (sign) return sign;
  const word = new RegExp(`^${unitAfter}`).exec(after)?.[0];
  return word === undefined ? undefined : unitKey(undefined, word);
}
