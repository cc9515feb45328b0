/**
 * How the grading benchmark builds answers: one that must pass (the reference solution, phrased
 * as a model would) and perturbed ones that must fail. Perturbations are built so that the
 * labels are right by construction, not by running the checks under test.
 */

/** GSM8K: the worked answer without calculator annotations, the `#### N` line as a sentence. */
export function phraseGsm8k(worked: string, final: string, style: number): string {
  const body = worked
    .replace(/<<[^<>]*>>/g, "")
    .replace(/\n?####.*$/s, "")
    .trim();
  const endings = [`So the answer is ${final}.`, `Final answer: ${final}`, `Therefore, the result is ${final}.`, `\\boxed{${final}}`];
  return `${body}\n${endings[style % endings.length]}`;
}

/** A wrong final number: off by one, or another number from the worked text when there is one. */
export function wrongFinals(final: string, worked: string): string[] {
  const value = Number(final.replace(/,/g, ""));
  const offByOne = Number.isInteger(value) ? String(value + 1) : String(value + 1);
  const numbers = [...worked.replace(/<<[^<>]*>>/g, "").matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0])).filter((n) => n !== value && Number.isFinite(n));
  const distractor = numbers.length > 0 ? String(numbers[numbers.length - 1]) : String(value * 2 + 3);
  return [offByOne, distractor === offByOne ? String(value * 2 + 3) : distractor];
}

/**
 * Python that wraps `name` so its result is off by one: integers +1, floats +1 and +1 % (so that
 * tests comparing with a relative tolerance still see the difference), sequences one element
 * short, booleans flipped.
 */
export function offByOnePython(code: string, name: string): string {
  return `${code}

_reference_${name} = ${name}

def ${name}(*args, **kwargs):
    result = _reference_${name}(*args, **kwargs)
    if isinstance(result, bool):
        return not result
    if isinstance(result, int):
        return result + 1
    if isinstance(result, float):
        return result + 1 + abs(result) * 0.01
    if isinstance(result, (str, list, tuple)):
        return result[:-1] if len(result) > 0 else type(result)("a" if isinstance(result, str) else [0])
    if isinstance(result, dict):
        return {**result, "__extra__": 1}
    if isinstance(result, (set, frozenset)):
        return type(result)(list(result)[:-1]) if len(result) > 0 else type(result)([0])
    if result is None:
        return 0
    return [result]
`;
}

/**
 * Python where `name` computes its result and forgets to return it (returns None; 0 where the
 * right result is None), so every call returns something other than the reference's result.
 */
export function wrongReturnPython(code: string, name: string): string {
  return `${code}

_computed_${name} = ${name}

def ${name}(*args, **kwargs):
    result = _computed_${name}(*args, **kwargs)
    return 0 if result is None else None
`;
}

/** An answer a model might write around code. */
export function phraseCode(code: string, style: number): string {
  const intros = ["Here is the implementation:", "This function solves it:", "Sure! Here's a solution in Python:"];
  const outros = ["It handles the edge cases in the docstring.", "The function runs in linear time for typical inputs.", ""];
  return `${intros[style % intros.length]}\n\n\`\`\`python\n${code.trimEnd()}\n\`\`\`\n\n${outros[style % outros.length]}`.trimEnd();
}
