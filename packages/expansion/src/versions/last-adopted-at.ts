import { readStoreIndex } from "./version-store";

/**
 * When a change to each node was last adopted: node id → the adoption's `createdAtMs`, read from
 * the `node` (or `nodes`) of each adopted version's evidence. The analysis uses it for the
 * cooldown. Rollbacks do not count. A graph with no store gives an empty map.
 *
 * @throws `VERSION_STORE_FAILED` when the store cannot be read.
 */
export async function lastAdoptedAtMs(file: string): Promise<Map<string, number>> {
  const index = await readStoreIndex(file);
  const latest = new Map<string, number>();
  for (const entry of index?.versions ?? []) {
    if (entry.origin !== "adopted" || !entry.evidence) continue;
    const { node, nodes } = entry.evidence as { node?: unknown; nodes?: unknown };
    const ids = [...(typeof node === "string" ? [node] : []), ...(Array.isArray(nodes) ? nodes.filter((id): id is string => typeof id === "string") : [])];
    for (const id of ids) latest.set(id, Math.max(latest.get(id) ?? -Infinity, entry.createdAtMs));
  }
  return latest;
}
