import { parseCondition, type Condition } from "../../condition/index";
import { suggest } from "../suggest";
import type { GraphReporter } from "./graph-reporter";

/** Where a condition or field reference sits, for problems. @internal */
export interface ProblemSubject {
  nodeId?: string;
  edgeIndex?: number;
}

/** Checks field names and compiles conditions against the graph's known state fields. @internal */
export interface ConditionCompiler {
  /** Reports names that are not state fields. */
  checkFields(names: readonly string[], where: (string | number)[], subject: ProblemSubject): void;
  /** The compiled condition, or undefined (with a problem reported) when it does not parse. */
  compile(source: string | undefined, where: (string | number)[], subject: ProblemSubject): Condition | undefined;
}

/** A compiler over `fields`: built-in, declared and written state fields. @internal */
export function createConditionCompiler(fields: ReadonlySet<string>, reporter: GraphReporter): ConditionCompiler {
  const checkFields: ConditionCompiler["checkFields"] = (names, where, subject) => {
    for (const name of names) {
      const head = name.split(/[.[]/)[0] ?? name;
      if (fields.has(head)) continue;
      const close = suggest(head, fields);
      reporter.report({
        code: "unknown-field",
        message: `'${head}' is not a field of the run state${close ? `; did you mean '${close}'?` : ""}`,
        hint: `fields here: ${[...fields].sort().join(", ")}. Declare fields the caller provides under 'state:'`,
        path: where,
        ...subject,
      });
    }
  };
  return {
    checkFields,
    compile(source, where, subject) {
      if (source === undefined) return undefined;
      const parsed = parseCondition(source);
      if (!parsed.ok) {
        reporter.report({
          code: "invalid-condition",
          message: `condition does not parse: ${parsed.error.message}`,
          hint: "conditions use ==, !=, <, <=, >, >=, in, not in, and, or, not, over state fields",
          path: where,
          offset: parsed.error.offset,
          ...subject,
        });
        return undefined;
      }
      checkFields(parsed.condition.fields, where, subject);
      return parsed.condition;
    },
  };
}
