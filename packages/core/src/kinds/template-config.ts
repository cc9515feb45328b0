import type { KindProblem } from "../node-kind/node-kind";
import { compileTemplate, type Template } from "../template/compile-template";

/** Compiles a template or returns undefined (problems come from {@link templateProblems}). */
export function tryTemplate(source: string): Template | undefined {
  const result = compileTemplate(source);
  return result.ok ? result.template : undefined;
}

/** Problems of a template at a config path. */
export function templateProblems(source: string, path: (string | number)[]): KindProblem[] {
  const result = compileTemplate(source);
  return result.ok ? [] : [{ message: `template does not parse: ${result.error.message}`, hint: "templates look like `Hello {{ input | trim }}`", path }];
}

/** Fields a template reads (empty when it does not parse). */
export function templateFields(source: string): readonly string[] {
  return tryTemplate(source)?.fields ?? [];
}
