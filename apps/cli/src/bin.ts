import { Command, CommanderError, Option } from "commander";
import { version } from "../package.json";
import { CliError } from "./cli-error";
import { reportError } from "./output";

// Heavy modules are imported inside the actions so that `tinyllm --help` starts fast.

const program = new Command()
  .name("tinyllm")
  .description("Small local language models as the neurons of a graph.")
  .version(version, "-V, --version")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

const graph = program.command("graph").description("Validate, show and run graph files.").exitOverride();

graph
  .command("validate")
  .description("Check graph files and print every problem with file:line:col (exit 1 if any).")
  .argument("<files...>", "graph files (YAML or JSON)")
  .option("--json", "print machine-readable JSON")
  .exitOverride()
  .action(async (files: string[], options: { json?: boolean }) => {
    const { graphValidate } = await import("./commands/graph-validate");
    return finish(await graphValidate(files, options));
  });

graph
  .command("show")
  .description("Print a graph as a tree, a Mermaid flowchart or JSON.")
  .argument("<file>", "graph file")
  .addOption(new Option("-f, --format <format>", "output format").choices(["tree", "mermaid", "json"]).default("tree"))
  .option("--json", "same as --format json")
  .exitOverride()
  .action(async (file: string, options: { format: string; json?: boolean }) => {
    const { graphShow } = await import("./commands/graph-show");
    return finish(await graphShow(file, options));
  });

graph
  .command("run")
  .description("Run a graph on an input and print its output.")
  .argument("<file>", "graph file")
  .option("-i, --input <text>", "the run's input", "")
  .option("--state <json>", "initial state fields as a JSON object")
  .option("--deadline <ms>", "whole-run deadline in milliseconds")
  .option("--trace", "print the span tree with timings")
  .option("--json", "print the result and the full trace as JSON")
  .exitOverride()
  .action(async (file: string, options: Record<string, string | boolean | undefined>) => {
    const { graphRun } = await import("./commands/graph-run");
    return finish(await graphRun(file, options));
  });

let exitCode = 0;
function finish(code: number): void {
  exitCode = code;
}

function wantsJson(): boolean {
  return process.argv.includes("--json");
}

try {
  await program.parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; everything else commander reports is a usage error.
    process.exitCode = error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help" ? 0 : 2;
  } else {
    process.exitCode = reportError(error instanceof CliError ? error : error, wantsJson());
  }
}
