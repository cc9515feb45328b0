import type { Session } from "@tinyllm/core";

/**
 * A session as pretty-printed JSON text (ending in a newline), for `tinyllm sessions export ID
 * --json`: `{ version: 1, session }` so later formats can be told apart.
 */
export function sessionToJSON(session: Session): string {
  return `${JSON.stringify({ version: 1, session }, null, 2)}\n`;
}
