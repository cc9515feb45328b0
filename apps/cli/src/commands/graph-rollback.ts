import { printJson } from "../output";
import { versionCall } from "./graph-version-errors";

/** Options of `tinyllm graph rollback`. */
export interface GraphRollbackOptions {
  to?: string;
  yes?: boolean;
  json?: boolean;
}

/**
 * `tinyllm graph rollback FILE [--to VERSION] --yes`: puts the version before the one in force
 * (or `--to`) back into the graph file. Without `--yes` it changes nothing: it says what it would
 * do and exits 2, in scripts (`--json`) too.
 */
export async function graphRollback(file: string, options: GraphRollbackOptions): Promise<number> {
  const { planRollback, rollbackGraph } = await import("@tinyllm/expansion");
  const to = options.to !== undefined ? { to: options.to } : {};
  if (!options.yes) {
    const plan = await versionCall(() => planRollback(file, to));
    if (!plan.changed)
      return done(options, { file, from: plan.from, to: plan.to, rolledBack: false }, `${plan.to} is already in force in ${file}: nothing to do\n`);
    if (options.json) {
      printJson({
        ok: false,
        rolledBack: false,
        file,
        from: plan.from,
        to: plan.to,
        error: { message: "nothing was changed: rollback needs --yes", hint: "run it again with --yes" },
      });
    } else {
      process.stdout.write(`would roll ${file} back from ${plan.from} to ${plan.to}\n`);
      process.stderr.write(`nothing was changed: run it again with --yes to roll back (tinyllm graph diff ${file} ${plan.to} current shows the change)\n`);
    }
    return 2;
  }
  const result = await versionCall(() => rollbackGraph(file, to));
  return done(
    options,
    { file, from: result.from, to: result.to, rolledBack: result.changed },
    result.changed
      ? `rolled ${file} back from ${result.from} to ${result.to} (every version is kept: --to ${result.from} rolls forward again)\n`
      : `${result.to} is already in force in ${file}: nothing to do\n`,
  );
}

function done(options: GraphRollbackOptions, result: { file: string; from: string; to: string; rolledBack: boolean }, message: string): number {
  if (options.json) printJson({ ok: true, ...result });
  else process.stdout.write(message);
  return 0;
}
