import { clauseResult, subordinate } from "./clause-result";
import { numbersIn, parseNumber, type FoundNumber } from "./read-numbers";

export { parseNumber, type FoundNumber };

const answerMarker = /\b(?:final answer|the answer|answer)[ \t]*(?:is\b|:|=)[ \t]*(?:[:=][ \t]*)?(?:about|approximately|exactly|that)?/gi;
/** Words that introduce a result ("so she makes 18", "in total 72", "= 18"). */
const conclusionCue =
  /(?:\b(?:so|therefore|thus|hence|in total|total|totals|altogether|in all|combined|overall|result|results|make|makes|made|earn|earns|earning|earned|cost|costs|pay|pays|paid|spend|spends|spent|save|saves|saved|need|needs|will have|would have|ends up with|which is|that's|that is|left over)\b|=)/gi;
/** Cues that may follow their number ("18 miles in total"). */
const trailingCue = /^(?:in total|total|altogether|in all|combined|overall)$/i;
/** Sentences that talk to the reader, not about the problem. */
const chitChat = /\b(?:let me know|hope (?:this|that|it) helps|feel free|if you have|any (?:other|more) questions|happy to help|have fun|good luck)\b/i;

/**
 * The final number of an answer, tried in this order:
 *
 * 1. after an answer marker: `#### 72`, `\boxed{72}`, "the answer is 72", "Final answer: 72"
 *    (the last one; "Answer: 3 + 4 = 7" gives 7, "the answer is not 9, it is 18" gives 18);
 * 2. in the last sentence with a conclusion word ("so", "therefore", "in total", "=", "makes",
 *    "costs", …) followed by a number, the first number after the last such word; so trailing
 *    context ("… $18 a day, 7 days a week", "let me know if step 2 is unclear") is skipped;
 * 3. the first number of the last sentence that has one (chit-chat such as "let me know if you
 *    have 2 more questions" skipped), else the last number; labels ("step 2") and list markers
 *    are skipped.
 *
 * LaTeX (`\frac{3}{4}`, `{,}`, `\$`, `\text{}`), bold markers and calculator annotations
 * such as `<<48/2=24>>` are read through.
 */
export function extractFinalNumber(answer: string): FoundNumber | undefined {
  const text = normalise(answer);
  const markers: { pattern: RegExp; line: boolean }[] = [
    { pattern: /####[ \t]*(?=[-−$]?\s?[\d.])/g, line: true },
    { pattern: /\\boxed\{/g, line: true },
    { pattern: /^[ \t]*#{1,6}[ \t]*(?:final[ \t]+)?answer\b[^\n]*/gim, line: true },
    { pattern: answerMarker, line: true },
  ];
  for (const { pattern } of markers) {
    let found: FoundNumber | undefined;
    for (const match of text.matchAll(pattern)) {
      const value = numberAfterMarker(text.slice(match.index + match[0].length, match.index + match[0].length + 160));
      if (value) found = value;
    }
    if (found) return found;
  }
  const conclusion = conclusionNumber(text);
  if (conclusion) return conclusion;
  // No conclusion word: a closing sentence that lists results ends with its result ("12 were
  // sold, 12 are left, and half of 12 is 6."); otherwise it usually leads with it ("Claire will
  // eat 7 dozen eggs in 4 weeks.", "She has 18 apples, 6 more than before.").
  const closing = lastNumberSentence(text);
  if (closing) {
    const stated = clauseResult(text, closing.start, closing.end);
    if (stated) return { value: stated.value, text: stated.text, how: "last" };
    const first = numbersIn(text.slice(closing.start, closing.end), closing.start, text).next();
    if (!first.done) return { value: first.value.value, text: first.value.text, how: "last" };
  }
  let last: FoundNumber | undefined;
  for (const found of numbersIn(text)) last = { ...found, how: "last" };
  return last;
}

/** The first standalone number of an answer, if any. */
export function firstNumber(answer: string): number | undefined {
  const text = normalise(answer);
  const first = numbersIn(text, 0, text, false).next();
  return first.done ? undefined : first.value.value;
}

/** The sentences of `text`, as offsets. */
function sentencesOf(text: string): { start: number; end: number }[] {
  const sentences: { start: number; end: number }[] = [];
  let start = 0;
  for (const boundary of text.matchAll(/(?<=[.!?])\s+|\n+/g)) {
    sentences.push({ start, end: boundary.index });
    start = boundary.index + boundary[0].length;
  }
  sentences.push({ start, end: text.length });
  return sentences;
}

/** The last sentence that has a number and does not talk to the reader. */
function lastNumberSentence(text: string): { start: number; end: number } | undefined {
  const sentences = sentencesOf(text);
  for (let i = sentences.length - 1; i >= 0; i--) {
    const { start, end } = sentences[i]!;
    const sentence = text.slice(start, end);
    if (chitChat.test(sentence)) continue;
    if (!numbersIn(sentence, start, text).next().done) return sentences[i];
  }
  return undefined;
}

/**
 * In the last sentence with a number (chit-chat skipped): the first number after its last
 * conclusion word that has one after it, or the last number before a trailing "in total".
 */
function conclusionNumber(text: string): FoundNumber | undefined {
  const found = lastNumberSentence(text);
  if (!found) return undefined;
  const { start: from, end: to } = found;
  const sentence = text.slice(from, to);
  for (const cue of [...sentence.matchAll(conclusionCue)].reverse()) {
    const after = cue.index + cue[0].length;
    const first = numbersIn(sentence.slice(after), from + after, text).next();
    if (!first.done) {
      // "so 12 are left, and half of 12 is 6": the last clause that states a result.
      const stated = clauseResult(text, from + after, to);
      const chosen = stated && stated.index >= first.value.index ? stated : first.value;
      return { value: chosen.value, text: chosen.text, how: "conclusion" };
    }
    if (trailingCue.test(cue[0])) {
      const before = [...numbersIn(sentence.slice(0, cue.index), from, text)].at(-1);
      if (before) return { value: before.value, text: before.text, how: "conclusion" };
    }
  }
  return undefined;
}

/**
 * Numbers an answer may plausibly give as its result: the final number, the first number of the
 * first sentence (answer-first style), bold and boxed numbers, numbers after answer markers,
 * and the first and last numbers of the last sentence with a number. Used to tell a clearly wrong answer from
 * one whose result is only hard to locate.
 */
export function candidateNumbers(answer: string): number[] {
  const text = normalise(answer);
  const values: number[] = [];
  const final = extractFinalNumber(answer);
  if (final) values.push(final.value);
  const [firstSentence] = sentencesOf(text);
  // An answer-first sentence states a result; one that calculates ("15 x 3/5 = 9") does not.
  if (firstSentence && !/=|\d\s*[-+*/×÷x]\s*\$?\d/.test(text.slice(firstSentence.start, firstSentence.end))) {
    const first = numbersIn(text.slice(firstSentence.start, firstSentence.end), firstSentence.start, text, false).next();
    if (!first.done) values.push(first.value.value);
  }
  for (const match of answer.matchAll(/\*\*([^*\n]{1,40})\*\*|\\boxed\{([^{}\n]{1,40})\}/g)) {
    for (const found of numbersIn(normalise(match[1] ?? match[2] ?? ""))) values.push(found.value);
  }
  for (const match of text.matchAll(answerMarker)) {
    const after = numberAfterMarker(text.slice(match.index + match[0].length, match.index + match[0].length + 400));
    if (after) values.push(after.value);
  }
  const last = lastNumberSentence(text);
  if (last) {
    const numbers = [...numbersIn(text.slice(last.start, last.end), last.start, text)];
    for (const found of [numbers[0], numbers.at(-1)]) if (found) values.push(found.value);
  }
  return values;
}

function normalise(answer: string): string {
  return answer
    .replace(/<<[^<>]*>>/g, "")
    .replace(/\*\*/g, "")
    .replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, "$1/$2")
    .replace(/\{,\}/g, ",")
    .replace(/\\text\{([^{}]*)\}/g, "$1")
    .replace(/\\\$/g, "$")
    .replace(/\\[,;!]/g, "")
    .replace(/½/g, " 1/2")
    .replace(/¼/g, " 1/4")
    .replace(/¾/g, " 3/4");
}

/**
 * The number an answer marker introduces: the first number on the rest of its line, or, when
 * that line states a calculation ("3 + 4 = 7"), the first number after its last `=`; after "not"
 * ("the answer is not 9, it is 18"), the last number of the line. A reason that follows a number
 * ("5, because 2 + 3 = 5") is not read.
 */
function numberAfterMarker(rest: string): FoundNumber | undefined {
  const line = rest.split("\n")[0] ?? "";
  if (line.trim() === "" || /^\s*[*_:]*\s*$/.test(line)) {
    // A heading ("**Answer:**", "### Answer") introduces a section: read its conclusion.
    const section = rest.replace(/^[^\n]*\n/, "");
    const found = section.trim() === "" ? undefined : extractFinalNumber(section);
    return found ? { ...found, how: "marker" } : undefined;
  }
  // A reason after the result ("the answer is 5, because 2 + 3 = 5") does not restate it.
  const reason = subordinate.exec(line);
  const stated = reason && reason.index > 0 && !numbersIn(line.slice(0, reason.index)).next().done ? line.slice(0, reason.index) : line;
  const equals = stated.lastIndexOf("=");
  const segment = equals >= 0 ? stated.slice(equals + 1) : stated;
  const numbers = [...numbersIn(segment)];
  const chosen = /^\s*not\b/i.test(segment) ? numbers.at(-1) : numbers[0];
  return chosen ? { value: chosen.value, text: chosen.text, how: "marker" } : undefined;
}

/**
 * True when two numbers agree: integers must be equal; a whole number and a fraction agree only
 * to 1e-9 (so 1000000.4 is not 1000000); otherwise to a relative tolerance (default 1e-6).
 */
export function numbersAgree(a: number, b: number, relativeTolerance = 1e-6): boolean {
  if (a === b) return true;
  if (Number.isInteger(a) && Number.isInteger(b)) return false;
  const tolerance = Number.isInteger(a) || Number.isInteger(b) ? 1e-9 : relativeTolerance;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}
