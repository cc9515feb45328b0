import { nodeInfoOf, type RunEvent } from "@tinyllm/core";

/** What a chat prints about an event besides its tokens: the route, a verdict, a tool call. */
export interface RunEventLine {
  kind: "route" | "verdict" | "tool";
  line: string;
  /** For `--json`: the route name or the verdict. */
  route?: string;
  verdict?: { pass: boolean | null; score: number | null; decidedBy: string | null; action: string };
}

/** The line `tinyllm run` prints for a route, verdict or tool call, or `undefined` for other events. */
export function describeRunEvent(event: RunEvent): RunEventLine | undefined {
  if (event.type === "tool-call") return { kind: "tool", line: `tool ${event.toolName}(${JSON.stringify(event.input)})` };
  const route = nodeInfoOf(event, "route");
  if (route) {
    const confidence = Math.max(...route.labels.map((label) => route.confidences[label] ?? 0));
    return {
      kind: "route",
      route: route.route,
      line: `route: ${route.route} (labels ${route.labels.join("+")}, decided by ${route.decidedBy}, confidence ${confidence.toFixed(2)})`,
    };
  }
  const verdict = nodeInfoOf(event, "verdict");
  if (verdict) {
    const then =
      verdict.action === "pass"
        ? ""
        : verdict.action === "exhausted"
          ? " → no retry left; the answer is delivered as failed"
          : ` → ${verdict.action} ${verdict.next}${verdict.tier ? ` on ${verdict.tier}` : ""}`;
    const score = verdict.score !== null ? `score ${verdict.score.toFixed(2)}, ` : "";
    return {
      kind: "verdict",
      verdict: { pass: verdict.pass, score: verdict.score, decidedBy: verdict.decidedBy ?? null, action: verdict.action },
      line: `verdict: ${verdict.pass ? "pass" : "fail"} (${score}decided by ${verdict.decidedBy ?? "no check: no judge was available"})${then}`,
    };
  }
  return undefined;
}
