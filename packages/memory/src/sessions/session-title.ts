/**
 * A session's default title: the start of `text` on one line, at most 60 characters (cut at a
 * word with `…` when longer).
 */
export function sessionTitle(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= 60) return line;
  const cut = line.slice(0, 59);
  const space = cut.lastIndexOf(" ");
  return `${(space > 30 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
