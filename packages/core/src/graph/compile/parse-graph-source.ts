import { LineCounter, parseDocument, type Document } from "yaml";
import type { GraphProblem } from "../graph-problem";
import { locatePath } from "../locate-path";
import type { LocatePath } from "./graph-reporter";

/** What {@link parseGraphSource} gives: the plain data and how to locate paths in the text, or the syntax problems. @internal */
export type ParsedGraphSource = { ok: true; data: unknown; locate: LocatePath } | { ok: false; problems: GraphProblem[] };

/** Parses YAML (or JSON) text into plain data, reporting syntax problems with line and column. Aliases are capped. @internal */
export function parseGraphSource(source: string, file: string | undefined): ParsedGraphSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const where = file !== undefined ? { file } : {};
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((err) => {
        const pos = err.linePos?.[0] ?? (err.pos ? lineCounter.linePos(err.pos[0]) : undefined);
        return {
          severity: "error",
          code: "yaml-syntax",
          message: `YAML: ${err.message.split("\n")[0]}`,
          hint: "fix the YAML syntax at this position",
          ...where,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
          path: [],
        };
      }),
    };
  }
  const locate: LocatePath = (path, offset) => locatePath(doc as Document, lineCounter, path, offset);
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: 100 }), locate };
  } catch (error) {
    const pos = locate([], 0);
    return {
      ok: false,
      problems: [
        {
          severity: "error",
          code: "yaml-syntax",
          message: `YAML: ${(error as Error).message}`,
          hint: "remove excessive aliases",
          ...where,
          ...(pos ? { line: pos.line, column: pos.column } : {}),
          path: [],
        },
      ],
    };
  }
}
