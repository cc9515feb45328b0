import type { VerdictFilter } from "./verdict-filter";

/**
 * A SQL `WHERE` clause (empty, or starting with " WHERE") and its parameters for the given
 * conditions; undefined conditions are left out. Time bounds: `sinceMs` inclusive, `untilMs`
 * exclusive.
 *
 * @internal
 */
export function verdictWhere(filter: Omit<VerdictFilter, "limit">): { sql: string; params: (string | number)[] } {
  const terms: string[] = [];
  const params: (string | number)[] = [];
  const add = (term: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    terms.push(term);
    params.push(value);
  };
  add("created_at_ms >= ?", filter.sinceMs);
  add("created_at_ms < ?", filter.untilMs);
  add("node_id = ?", filter.nodeId);
  add("answered_by = ?", filter.answeredBy);
  add("route = ?", filter.route);
  add("model = ?", filter.model);
  add("graph_id = ?", filter.graphId);
  add("pass = ?", filter.pass === undefined ? undefined : filter.pass ? 1 : 0);
  return { sql: terms.length === 0 ? "" : ` WHERE ${terms.join(" AND ")}`, params };
}
