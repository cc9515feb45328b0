import { Document, isMap, isScalar, isSeq, parse, parseDocument, Scalar, type Node } from "yaml";

/** A new graph as adoption takes it: YAML text, a `yaml` Document, or the plain document object. */
export type GraphSourceInput = string | Document | Record<string, unknown>;

/**
 * The text of `source` with its top-level `version` set to `version`, keeping what it can of
 * `originalText`'s comments and layout:
 * - text: only the version's characters change;
 * - a Document: it is printed (a copy; the caller's is not changed), comments included;
 * - a plain object: it is merged into the original document, so the parts it leaves as they
 *   were keep their comments, flow style and order, and only changed values are rewritten.
 * @internal
 */
export function graphTextWithVersion(source: GraphSourceInput, version: string, originalText?: string): string {
  if (typeof source === "string") return textWithVersion(source, version);
  if (source instanceof Document) {
    const copy = source.clone();
    copy.set("version", versionScalar(version, copy));
    return copy.toString();
  }
  const doc = originalText !== undefined ? parseDocument(originalText) : undefined;
  if (doc && doc.errors.length === 0 && isMap(doc.contents)) {
    // Merge with the original version value (keeping its scalar and quoting), then set it in place.
    const originalVersion: unknown = doc.contents.get("version");
    doc.contents = mergeNode(doc, doc.contents, { ...source, version: originalVersion ?? version }) as typeof doc.contents;
    return textWithVersion(doc.toString(), version);
  }
  const fresh = new Document({ ...source, version });
  return fresh.toString();
}

/** Replaces the characters of the top-level `version` value in YAML (or JSON) text. */
function textWithVersion(text: string, version: string): string {
  const doc = parseDocument(text);
  const node = isMap(doc.contents) ? doc.contents.get("version", true) : undefined;
  if (doc.errors.length === 0 && isScalar(node) && node.range) {
    const [start, valueEnd] = node.range;
    return `${text.slice(0, start)}${formatScalar(version, node.type)}${text.slice(valueEnd)}`;
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return text;
  doc.set("version", versionScalar(version, doc));
  return doc.toString();
}

/** The version written as the original was (quoted or plain), quoted when plain would not read back as this string. */
function formatScalar(version: string, type: Scalar.Type | undefined): string {
  if (type === Scalar.QUOTE_SINGLE) return `'${version.replace(/'/g, "''")}'`;
  if (type === Scalar.PLAIN && plainReadsBack(version)) return version;
  return JSON.stringify(version);
}

function plainReadsBack(value: string): boolean {
  try {
    return parse(value) === value && !/[\n#:]/.test(value);
  } catch {
    return false;
  }
}

function versionScalar(version: string, doc: Document): Node {
  const node = doc.createNode(version);
  if (isScalar(node) && !plainReadsBack(version)) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` as a node of `doc`, reusing `node` (and its comments) wherever the value did not change. */
function mergeNode(doc: Document, node: unknown, value: unknown): unknown {
  if (isMap(node) && isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const keys = new Set(entries.map(([key]) => key));
    node.items = node.items.filter((pair) => keys.has(String(isScalar(pair.key) ? pair.key.value : pair.key)));
    for (const [key, child] of entries) {
      const existing = node.get(key, true);
      node.set(key, existing === undefined ? doc.createNode(child) : mergeNode(doc, existing, child));
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    const byId = new Map<unknown, unknown>();
    for (const item of node.items) {
      const id = isMap(item) ? item.get("id") : undefined;
      if (id !== undefined) byId.set(id, item);
    }
    const flow = node.items.length > 0 && node.items.every((item) => (isMap(item) || isSeq(item)) && item.flow);
    node.items = value.map((child, index) => {
      const id = isPlainObject(child) ? child.id : undefined;
      const previous = id !== undefined ? byId.get(id) : byId.size === 0 ? node.items[index] : undefined;
      if (previous !== undefined) return mergeNode(doc, previous, child);
      const created = doc.createNode(child);
      if (flow && (isMap(created) || isSeq(created))) created.flow = true;
      return created;
    }) as typeof node.items;
    return node;
  }
  if (isScalar(node) && node.value === value) return node;
  return doc.createNode(value);
}

/** The top-level `version` of a graph text, as a string; undefined when it has none or does not parse. @internal */
export function versionOf(text: string): string | undefined {
  try {
    const data: unknown = parse(text);
    const version = typeof data === "object" && data !== null ? (data as { version?: unknown }).version : undefined;
    return typeof version === "string" || typeof version === "number" ? String(version) : undefined;
  } catch {
    return undefined;
  }
}
