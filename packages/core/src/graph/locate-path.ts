import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from "yaml";

/** A 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Finds where `path` is in a parsed YAML document. Walks as deep as the path exists; when the
 * last segment names a key that is present, points at the key. `extraOffset` moves into a
 * scalar (for errors inside a condition string).
 */
export function locatePath(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[], extraOffset = 0): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      const last = i === path.length - 1;
      if (pair.value === null || pair.value === undefined || (last && extraOffset === 0 && !isMap(pair.value) && !isSeq(pair.value))) break;
      node = pair.value;
      offset = rangeStart(node) ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  if (extraOffset > 0 && isScalar(node) && node.range && typeof node.value === "string") {
    const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
    if (node.type === "PLAIN" || quoted) offset = node.range[0] + (quoted ? 1 : 0) + extraOffset;
  }
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | undefined)?.range;
  return range ? range[0] : undefined;
}
