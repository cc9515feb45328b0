import { nodeInfoOf, runSpans, type RunResult } from "@tinyllm/core";
import type { LiveRun } from "./run-hub";

/** A piece of the answer as it is written. */
export type AnswerPart = { type: "text"; text: string } | { type: "end"; result: RunResult };

/**
 * The answer of a run as text deltas, then its result. When the gate sends an answer back, the
 * revision follows after a blank line: what was streamed cannot be taken back, so the client sees
 * both, in order. When nothing was streamed, the final output is the one delta.
 */
export async function* answerParts(run: LiveRun): AsyncGenerator<AnswerPart> {
  const queue: AnswerPart[] = [];
  let wake: (() => void) | undefined;
  let streamed = false;
  let revising = false;
  const unsubscribe = run.subscribe(
    0,
    ({ event }) => {
      if (event.type === "token-delta" && event.text.length > 0) {
        if (revising && streamed) queue.push({ type: "text", text: "\n\n" });
        revising = false;
        streamed = true;
        queue.push({ type: "text", text: event.text });
      } else {
        const verdict = nodeInfoOf(event, "verdict");
        if (verdict && verdict.action !== "pass" && verdict.action !== "exhausted") revising = true;
      }
      wake?.();
    },
    () => {
      void run.result.then((result) => {
        if (!streamed && result.status === "ok") {
          const text = answerText(result);
          if (text.length > 0) queue.push({ type: "text", text });
        }
        queue.push({ type: "end", result });
        wake?.();
      });
    },
  );
  try {
    for (;;) {
      while (queue.length > 0) {
        const part = queue.shift()!;
        yield part;
        if (part.type === "end") return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    unsubscribe();
  }
}

/** The run's answer as text. */
export function answerText(result: RunResult): string {
  const output = result.output;
  if (output === undefined || output === null) return "";
  return typeof output === "string" ? output : JSON.stringify(output);
}

/** Tokens read and written by the run's model calls, and when the first answer token came. */
export function usageOf(result: RunResult): { inputTokens: number; outputTokens: number } {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const span of runSpans(result)) {
    if (span.kind !== "model" || !span.tokens) continue;
    inputTokens += span.tokens.input ?? 0;
    outputTokens += span.tokens.output ?? 0;
  }
  return { inputTokens, outputTokens };
}

/**
 * Why the answer ended: `length` when the model call that wrote it stopped at its token limit,
 * else `stop`. The answer's call is the last model call that is not the judge's.
 */
export function finishReasonOf(result: RunResult): "stop" | "length" {
  const spans = runSpans(result);
  for (let index = spans.length - 1; index >= 0; index--) {
    const span = spans[index]!;
    if (span.kind !== "model" || span.name === "judge") continue;
    const reason = span.attributes?.finishReason;
    if (reason !== undefined) return reason === "length" ? "length" : "stop";
  }
  return "stop";
}
