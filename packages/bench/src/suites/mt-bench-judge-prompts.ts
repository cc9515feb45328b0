/**
 * MT-Bench's single-answer grading prompts, as the MT-Bench paper's judge uses them (FastChat's
 * `fastchat/llm_judge/data/judge_prompts.jsonl`: `single-v1`, `single-math-v1` and their
 * `-multi-turn` forms; Apache-2.0, Zheng et al. 2023, arXiv:2306.05685). Kept word for word,
 * typos included, so that scores compare with published ones.
 */
export const MT_BENCH_JUDGE_PROMPTS = {
  single: {
    system: "You are a helpful assistant.",
    template:
      '[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".\n\n[Question]\n{question}\n\n[The Start of Assistant\'s Answer]\n{answer}\n[The End of Assistant\'s Answer]',
  },
  singleMath: {
    system: "You are a helpful assistant.",
    template:
      "[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n[Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer_1}\n[The End of Reference Answer]\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]",
  },
  multiTurn: {
    system:
      'Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. You evaluation should focus on the assistant\'s answer to the second user question. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".\n\n',
    template:
      "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n<|The End of Assistant A's Conversation with User|>",
  },
  multiTurnMath: {
    system:
      'Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant\'s answer. You evaluation should focus on the assistant\'s answer to the second question. Begin your evaluation by comparing the assistant\'s answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".\n\n',
    template:
      "<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n{ref_answer_1}\n\n### User:\n{question_2}\n\n### Reference answer:\n{ref_answer_2}\n\n<|The End of Reference Answer|>\n\n\n<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n<|The End of Assistant A's Conversation with User|>",
  },
} as const;

/** MT-Bench's categories graded against a reference answer. */
export const MT_BENCH_REFERENCE_CATEGORIES: ReadonlySet<string> = new Set(["math", "reasoning", "coding"]);

/** Fills `{name}` slots; a slot with no value is left as it is. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The rating in a judgment: `[[8]]`, else `[8]` (as MT-Bench reads it); undefined when there is none or it is outside 1–10. */
export function readRating(judgment: string): number | undefined {
  const match = /\[\[(\d+\.?\d*)\]\]/.exec(judgment) ?? /\[(\d+\.?\d*)\]/.exec(judgment);
  if (!match) return undefined;
  const rating = Number(match[1]);
  return Number.isFinite(rating) && rating >= 1 && rating <= 10 ? rating : undefined;
}
