import type { Session } from "@tinyllm/core";

/**
 * A session as Markdown, for `tinyllm sessions export ID`: a title, its id, times and settings,
 * the rolling summary when there is one, then every message under a heading naming its role.
 */
export function sessionToMarkdown(session: Session): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines = [
    `# ${session.title || session.id}`,
    "",
    `- id: \`${session.id}\``,
    `- created: ${iso(session.createdAtMs)}`,
    `- updated: ${iso(session.updatedAtMs)}`,
  ];
  lines.push(`- messages: ${session.messages.length}`);
  const settings = Object.entries(session.settings);
  if (settings.length > 0) lines.push(`- settings: \`${JSON.stringify(session.settings)}\``);
  if (session.summary) {
    lines.push("", `## Summary (through message ${session.summary.throughSeq}, by ${session.summary.by})`, "", session.summary.text);
  }
  for (const message of session.messages) {
    const run = message.runId ? `, run \`${message.runId}\`` : "";
    lines.push("", `## ${message.seq}. ${message.role} (${iso(message.atMs)}${run})`, "", message.content);
  }
  return `${lines.join("\n")}\n`;
}
