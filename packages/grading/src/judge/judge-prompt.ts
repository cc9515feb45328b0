import type { ChatMessage } from "@tinyllm/core";
import type { JudgeInput } from "./judge";

const maxQuoted = 6_000;

/** The judge's messages: rubric, question, optional reference, evidence and the answer. @internal */
export function judgeMessages({ query, answer, rubric, reference, evidence }: JudgeInput): ChatMessage[] {
  const dimensions = rubric.dimensions.map((d) => `- ${d.name}: ${d.description}`).join("\n");
  const facts = (evidence ?? []).filter((check) => check.outcome !== "skip").map((check) => `- ${check.name}: ${check.outcome} (${check.message})`);
  const sections = [
    `## Question\n${clip(query)}`,
    ...(reference ? [`## Reference answer (correct)\n${clip(reference)}`] : []),
    `## Answer to grade\n${clip(answer)}`,
    ...(facts.length > 0 ? [`## Automatic checks\n${facts.join("\n")}`] : []),
    `## Score each dimension from 1 (very poor) to 5 (excellent)\n${dimensions}`,
    reference ? "Grade against the reference: a different final result is incorrect." : "Check every claim and step yourself.",
    'Reply with JSON only: {"scores": {<dimension>: 1-5, ...}, "rationale": "<why, briefly>", "feedback": "<what the author must fix; empty if nothing>"}',
  ];
  return [
    {
      role: "system",
      content: "You are a strict, fair grader. You judge the answer, not the question. Answers that are wrong, off-topic, incomplete or unsafe get low scores.",
    },
    { role: "user", content: sections.join("\n\n") },
  ];
}

function clip(text: string): string {
  return text.length > maxQuoted ? `${text.slice(0, maxQuoted)}\n[… ${text.length - maxQuoted} more characters]` : text;
}
