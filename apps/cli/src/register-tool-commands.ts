import type { Command } from "commander";

/**
 * `tinyllm tool calc|exec|search`: each tool on its own. The tools are imported when a command
 * runs, so `tinyllm --help` stays fast.
 */
export function registerToolCommands(program: Command, finish: (code: number) => void): void {
  const tool = program.command("tool").description("Run a tool on its own: calculator, JavaScript sandbox, search.").exitOverride();
  tool
    .command("calc")
    .description("Evaluate an expression with the hardened calculator.")
    .argument("<expression>", 'e.g. "1000*(1+0.05)^10" or "5 km to miles"')
    .option("--json", "print machine-readable JSON")
    .exitOverride()
    .action(async (expression: string, options: { json?: boolean }) => {
      const { toolCalc } = await import("./commands/tool");
      return finish(await toolCalc(expression, options));
    });
  tool
    .command("exec")
    .description("Run a JavaScript file in the sandbox (isolated-vm) and print what it printed; exit 1 when it throws, times out or runs out of memory.")
    .argument("<file>", "a .js file")
    .option("--timeout <ms>", "CPU time limit", "1000")
    .option("--memory <mb>", "memory limit", "64")
    .option("--json", "print machine-readable JSON")
    .exitOverride()
    .action(async (file: string, options: { json?: boolean; timeout?: string; memory?: string }) => {
      const { toolExec } = await import("./commands/tool");
      return finish(await toolExec(file, options));
    });
  tool
    .command("search")
    .description("Search a folder of text and markdown files (BM25), or a SearXNG instance.")
    .argument("<query>", "what to look for")
    .option("--dir <folder>", "folder to search")
    .option("--searxng <url>", "SearXNG base URL (JSON format enabled)")
    .option("--limit <n>", "results, 1 to 10", "5")
    .option("--json", "print machine-readable JSON")
    .exitOverride()
    .action(async (query: string, options: { json?: boolean; dir?: string; searxng?: string; limit?: string }) => {
      const { toolSearch } = await import("./commands/tool");
      return finish(await toolSearch(query, options));
    });
}
