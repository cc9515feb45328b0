import type { Session } from "@tinyllm/core";
import { describe, expect, it } from "vitest";
import { sessionToJSON } from "./session-to-json";
import { sessionToMarkdown } from "./session-to-markdown";
import { sessionTitle } from "./session-title";

const session: Session = {
  id: "s_1",
  title: "Trip",
  createdAtMs: 0,
  updatedAtMs: 60_000,
  messageCount: 2,
  settings: { graph: "chat.yaml" },
  summary: { text: "Ada plans a trip.", throughSeq: 2, by: "extractive", atMs: 1 },
  messages: [
    { seq: 3, role: "user", content: "Where to?", atMs: 0 },
    { seq: 4, role: "assistant", content: "Lisbon.", atMs: 1000, runId: "r1" },
  ],
};

describe("session export", () => {
  it("writes Markdown with the title, summary and every message under its role", () => {
    const markdown = sessionToMarkdown(session);
    expect(markdown).toContain("# Trip");
    expect(markdown).toContain("## Summary (through message 2, by extractive)\n\nAda plans a trip.");
    expect(markdown).toContain("## 3. user (1970-01-01T00:00:00.000Z)\n\nWhere to?");
    expect(markdown).toContain("## 4. assistant (1970-01-01T00:00:01.000Z, run `r1`)\n\nLisbon.");
    expect(markdown.endsWith("\n")).toBe(true);
  });

  it("writes JSON that parses back to the session", () => {
    expect(JSON.parse(sessionToJSON(session))).toEqual({ version: 1, session });
  });

  it("titles on one line, at most 60 characters", () => {
    expect(sessionTitle("  Hi\nthere  ")).toBe("Hi there");
    const long = sessionTitle("word ".repeat(40));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long.endsWith("…")).toBe(true);
  });
});
