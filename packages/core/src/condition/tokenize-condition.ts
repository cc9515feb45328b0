import { ConditionSyntaxFailure } from "./condition-syntax-failure";
import type { ConditionPunctuationKind, ConditionToken } from "./condition-token";
import { describePosition } from "./describe-position";
import type { PathSegment } from "./path-segment";
import { CONDITION_KEYWORDS, FORBIDDEN_FIELD_NAMES } from "./reserved-words";

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const DOT = 46;
const LEFT_BRACKET = 91;
const RIGHT_BRACKET = 93;
const BACKSLASH = 92;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isIdentPart(code: number): boolean {
  return isIdentStart(code) || isDigit(code);
}

function identEnd(source: string, start: number): number {
  let i = start;
  while (i < source.length && isIdentPart(source.charCodeAt(i))) i++;
  return i;
}

function quoteChar(source: string, offset: number): string {
  const code = source.codePointAt(offset);
  return code === undefined ? "" : JSON.stringify(String.fromCodePoint(code));
}

/**
 * Splits condition source text into tokens, ending with an `end` token.
 * Throws {@link ConditionSyntaxFailure} on the first lexical error (unknown character,
 * unterminated string, malformed number or field path, forbidden field name).
 * @internal
 */
export function tokenizeCondition(source: string): ConditionToken[] {
  const tokens: ConditionToken[] = [];
  const at = (offset: number): string => describePosition(source, offset);
  function fail(offset: number, message: string): never {
    throw new ConditionSyntaxFailure(offset, message);
  }

  const readNumber = (start: number): ConditionToken => {
    let i = start;
    while (isDigit(source.charCodeAt(i))) i++;
    if (source.charCodeAt(i) === DOT) {
      if (!isDigit(source.charCodeAt(i + 1))) {
        fail(i + 1, `expected a digit after the decimal point at ${at(i + 1)}: write e.g. 1.0 or 1`);
      }
      i++;
      while (isDigit(source.charCodeAt(i))) i++;
    }
    const e = source.charCodeAt(i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      const sign = source.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      if (!isDigit(source.charCodeAt(j))) {
        fail(j, `expected digits in the exponent at ${at(j)}: write e.g. 1e3 or 2.5e-4`);
      }
      while (isDigit(source.charCodeAt(j))) j++;
      i = j;
    }
    const text = source.slice(start, i);
    const next = source.charCodeAt(i);
    if (isIdentPart(next) || next === DOT) {
      fail(i, `unexpected ${quoteChar(source, i)} right after the number ${text} at ${at(i)}: separate them with a space or an operator`);
    }
    const value = Number(text);
    if (!Number.isFinite(value)) fail(start, `the number ${text} at ${at(start)} is too large`);
    return { kind: "number", offset: start, text, value };
  };

  const readString = (start: number): ConditionToken => {
    const quote = source.charCodeAt(start);
    let value = "";
    let chunk = start + 1;
    let i = chunk;
    while (i < source.length) {
      const c = source.charCodeAt(i);
      if (c === quote) {
        value += source.slice(chunk, i);
        return { kind: "string", offset: start, text: source.slice(start, i + 1), value };
      }
      if (c === BACKSLASH) {
        value += source.slice(chunk, i);
        const escaped = source[i + 1];
        if (escaped === undefined) break;
        if (escaped === '"' || escaped === "'" || escaped === "\\") value += escaped;
        else if (escaped === "n") value += "\n";
        else if (escaped === "t") value += "\t";
        else {
          fail(i, `unknown escape "\\${escaped}" at ${at(i)}: the supported escapes are \\" \\' \\\\ \\n \\t (write \\\\ for a backslash)`);
        }
        i += 2;
        chunk = i;
        continue;
      }
      i++;
    }
    const q = String.fromCharCode(quote);
    return fail(start, `unterminated string starting at ${at(start)}: add a closing ${q}`);
  };

  const checkName = (name: string, offset: number): void => {
    if (CONDITION_KEYWORDS.has(name)) {
      fail(offset, `"${name}" at ${at(offset)} is a keyword and cannot be used as a field name`);
    }
    if (FORBIDDEN_FIELD_NAMES.has(name)) {
      fail(offset, `"${name}" at ${at(offset)} cannot be used in a field path: it is reserved to prevent prototype access`);
    }
  };

  const readWord = (start: number): ConditionToken => {
    const firstEnd = identEnd(source, start);
    const first = source.slice(start, firstEnd);
    if (CONDITION_KEYWORDS.has(first)) {
      const next = source.charCodeAt(firstEnd);
      if (next === DOT) checkName(first, start);
      return { kind: first as ConditionPunctuationKind, offset: start, text: first };
    }
    checkName(first, start);
    const segments: PathSegment[] = [first];
    let field = first;
    let i = firstEnd;
    for (;;) {
      const c = source.charCodeAt(i);
      if (c === DOT) {
        const nameStart = i + 1;
        if (!isIdentStart(source.charCodeAt(nameStart))) {
          fail(nameStart, `expected a field name after "." at ${at(nameStart)}`);
        }
        const nameEnd = identEnd(source, nameStart);
        const name = source.slice(nameStart, nameEnd);
        checkName(name, nameStart);
        segments.push(name);
        field += `.${name}`;
        i = nameEnd;
      } else if (c === LEFT_BRACKET) {
        const digitsStart = i + 1;
        let j = digitsStart;
        while (isDigit(source.charCodeAt(j))) j++;
        if (j === digitsStart) {
          fail(digitsStart, `expected an index number after "[" at ${at(digitsStart)}: field paths only take numeric indexes such as labels[0]`);
        }
        if (source.charCodeAt(j) !== RIGHT_BRACKET) {
          fail(j, `expected "]" to close the index at ${at(j)}`);
        }
        const index = Number(source.slice(digitsStart, j));
        if (!Number.isSafeInteger(index)) fail(digitsStart, `the index at ${at(digitsStart)} is too large`);
        segments.push(index);
        field += `[${index}]`;
        i = j + 1;
      } else {
        break;
      }
    }
    return { kind: "path", offset: start, text: source.slice(start, i), segments, field };
  };

  const punct = (kind: ConditionPunctuationKind, start: number, length: number): number => {
    tokens.push({ kind, offset: start, text: source.slice(start, start + length) });
    return start + length;
  };

  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR) {
      i++;
      continue;
    }
    const ch = source[i];
    const next = source[i + 1];
    switch (ch) {
      case "(":
      case ")":
      case "[":
      case "]":
      case ",":
      case "-":
        i = punct(ch, i, 1);
        continue;
      case "=":
        if (next === "=") {
          if (source[i + 2] === "=") fail(i, `"===" at ${at(i)} is not supported: use == (it already compares strictly)`);
          i = punct("==", i, 2);
        } else if (next === "<" || next === ">") {
          fail(i, `unexpected "=${next}" at ${at(i)}: write ${next}= instead`);
        } else {
          fail(i, `single "=" at ${at(i)}: use == to compare`);
        }
        continue;
      case "!":
        if (next === "=") {
          if (source[i + 2] === "=") fail(i, `"!==" at ${at(i)} is not supported: use != (it already compares strictly)`);
          i = punct("!=", i, 2);
        } else {
          i = punct("not", i, 1);
        }
        continue;
      case "<":
      case ">":
        i = next === "=" ? punct(ch === "<" ? "<=" : ">=", i, 2) : punct(ch, i, 1);
        continue;
      case "&":
        if (next !== "&") fail(i, `single "&" at ${at(i)}: use && or and`);
        i = punct("and", i, 2);
        continue;
      case "|":
        if (next !== "|") fail(i, `single "|" at ${at(i)}: use || or or`);
        i = punct("or", i, 2);
        continue;
      case '"':
      case "'": {
        const token = readString(i);
        tokens.push(token);
        i += token.text.length;
        continue;
      }
    }
    if (isDigit(c)) {
      const token = readNumber(i);
      tokens.push(token);
      i += token.text.length;
    } else if (isIdentStart(c)) {
      const token = readWord(i);
      tokens.push(token);
      i += token.text.length;
    } else if (c === DOT && isDigit(source.charCodeAt(i + 1))) {
      fail(i, `unexpected "." at ${at(i)}: numbers need a leading digit, e.g. 0.5`);
    } else {
      fail(i, `unexpected character ${quoteChar(source, i)} at ${at(i)}: remove it or put it inside a quoted string`);
    }
  }
  tokens.push({ kind: "end", offset: source.length, text: "" });
  return tokens;
}
