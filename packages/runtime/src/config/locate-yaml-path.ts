/**
 * Maps a path inside a YAML document to a line and column.
 *
 * @module
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter } from "yaml";

/** A 1-based line and column. */
export interface YamlPosition {
  line: number;
  column: number;
}

/**
 * Finds where `path` is written in `doc`. Walks as deep as the path exists and points at the
 * value there; with `atKey`, at the key of the last segment instead (for unknown keys). When
 * the path stops existing, points at the deepest part that exists.
 */
export function locateYamlPath({
  doc,
  lineCounter,
  path,
  atKey = false,
}: {
  doc: Document;
  lineCounter: LineCounter;
  path: readonly PropertyKey[];
  atKey?: boolean;
}): YamlPosition | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      if (last && atKey) break;
      const valueStart = rangeStart(pair.value);
      // `key:` with nothing after it: point at the key.
      if (valueStart === undefined || (isScalar(pair.value) && pair.value.value === null)) break;
      node = pair.value;
      offset = valueStart;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      const start = rangeStart(item);
      if (start === undefined) break;
      node = item;
      offset = start;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}
