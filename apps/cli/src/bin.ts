import { Command, CommanderError, Option } from "commander";
import { version } from "../package.json";
import { reportError } from "./output";
import { registerToolCommands } from "./register-tool-commands";

// Heavy modules are imported inside the actions so that `tinyllm --help` starts fast.

// `tinyllm … | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const program = new Command()
  .name("tinyllm")
  .description("Small local language models as the neurons of a graph.")
  .version(version, "-V, --version")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

const graph = program.command("graph").description("Validate, show and run graph files, and list, diff and roll back their versions.").exitOverride();

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
  .option("-i, --input <text>", "the run's input (default: the input field of --state, else empty)")
  .option("--state <json>", "initial state fields as a JSON object")
  .option("--deadline <ms>", "whole-run deadline in milliseconds")
  .option("--trace", "print the span tree with timings")
  .option("--json", "print the result and the full trace as JSON")
  .exitOverride()
  .action(async (file: string, options: Record<string, string | boolean | undefined>) => {
    const { graphRun } = await import("./commands/graph-run");
    return finish(await graphRun(file, options));
  });

graph
  .command("versions")
  .description("List a graph's versions, newest first, with the one in force marked.")
  .argument("<file>", "graph file")
  .option("--json", "print machine-readable JSON")
  .exitOverride()
  .action(async (file: string, options: { json?: boolean }) => {
    const { graphVersions } = await import("./commands/graph-versions");
    return finish(await graphVersions(file, options));
  });

graph
  .command("diff")
  .description("Show what changed between two versions of a graph (a version number, or current for the file).")
  .argument("<file>", "graph file")
  .argument("<a>", "the older version")
  .argument("<b>", "the newer version")
  .option("--json", "print the structural summary and the unified diff as JSON")
  .exitOverride()
  .action(async (file: string, a: string, b: string, options: { json?: boolean }) => {
    const { graphDiff } = await import("./commands/graph-diff");
    return finish(await graphDiff(file, a, b, options));
  });

graph
  .command("rollback")
  .description("Put an earlier version of a graph back in force (the one before, or --to); changes nothing without --yes.")
  .argument("<file>", "graph file")
  .option("--to <version>", "the version to put in force (also a later one: roll forward)")
  .option("--yes", "really write the graph file")
  .option("--json", "print machine-readable JSON")
  .exitOverride()
  .action(async (file: string, options: { to?: string; yes?: boolean; json?: boolean }) => {
    const { graphRollback } = await import("./commands/graph-rollback");
    return finish(await graphRollback(file, options));
  });

const modelOptions = (command: Command): Command =>
  command
    .option("--graph <file>", "graph file (default: the bundled multi_domain.yaml)")
    .addOption(new Option("--provider <provider>", "model provider").choices(["ollama", "llama", "openai"]))
    .option("--model-file <file>", "GGUF file for the embedded engine (every tier uses it)")
    .option("--config <file>", "config file (default: tinyllm.yaml in this folder or above)")
    .option("--ollama-host <url>", "Ollama server address")
    .option("--openai-base-url <url>", "OpenAI-compatible server base URL")
    .option("--threads <n>", "CPU threads for the embedded engine")
    .option("--json", "print machine-readable JSON");

modelOptions(
  program
    .command("run")
    .description("Ask a question: route it through the graph and stream the answer.")
    .argument("<query>", "the question")
    .option("--trace", "print the span tree with timings, the route decision and token counts")
    .option("--deadline <ms>", "whole-run deadline in milliseconds")
    .option("--seed <n>", "sampling seed for every model call without one of its own: the same seed gives the same answer")
    .option("--record <file>", "record every model call into this cassette (SQLite), for --replay")
    .option("--replay <file>", "answer every model call from this cassette: no model is needed; a call not recorded fails")
    .addOption(
      new Option("--replay-miss <what>", "with --replay, a call not recorded: fail (error) or go to the live model and record it (live)").choices([
        "error",
        "live",
      ]),
    ),
)
  .exitOverride()
  .action(async (query: string, options: Record<string, string | boolean | undefined>) => {
    const { run } = await import("./commands/run");
    return finish(await run(query, options));
  });

modelOptions(
  program
    .command("bench")
    .description(
      "Benchmark the graph against single models on GSM8K, HumanEval, MBPP, MT-Bench or the routing set; writes results, a summary and a report with plots.",
    )
    .addOption(new Option("--suite <suite>", "the benchmark suite").choices(["gsm8k", "humaneval", "mbpp", "mt_bench", "routing"]))
    .option("--data <dir>", "the data sets' folder (e.g. ../shared/bench/datasets; for routing, benchmarks/routing)")
    .option("--limit <n>", "the first N items only")
    .option("--baseline <list...>", "single models to compare, each alone with the suite's plain prompt: tiers (T1,T2) or model names")
    .option("--no-graph-run", "run the baselines only")
    .option("--judge <model>", "the MT-Bench judge (default: the T3 tier's model)")
    .option("--judgments <file>", "mt_bench: MT-Bench's gpt-4_single.jsonl, to measure the judge's agreement with GPT-4's ratings")
    .option("--concurrency <n>", "answers in progress at once (default 1; the provider's own limits still apply)")
    .option("--out <dir>", "where results.jsonl, summary.json, report.md, report.html and plots/ go (default bench-results/SUITE); a second run resumes")
    .option("--cost <weights>", "cost per 1,000 tokens by tier, e.g. T0=0.5,T1=3,T2=8,T3=14 (the defaults)")
    .option("--seed <n>", "sampling seed of every model call (default 42)")
    .option("--record <file>", "record every model call into this cassette (SQLite), for --replay")
    .option("--replay <file>", "answer every model call from this cassette: no model is needed, the results are the same")
    .addOption(
      new Option("--replay-miss <what>", "with --replay, a call not recorded: fail (error) or go to the live model and record it (live)").choices([
        "error",
        "live",
      ]),
    ),
)
  .exitOverride()
  .action(async (options: Record<string, unknown>) => {
    const { bench } = await import("./commands/bench");
    return finish(await bench(options));
  });

const expandCommand = program
  .command("expand")
  .description("Find graph nodes that keep failing and improve them, adopting a change only when an A/B on held-out queries shows it is better.")
  .exitOverride();
const expandStep = (name: "analyze" | "propose" | "evaluate" | "apply" | "auto", description: string) =>
  modelOptions(expandCommand.command(name).description(description))
    .option("--node <id>", "the specialist node (default: the worst candidate)")
    .option("--strategy <names>", "strategies to try, comma-separated: tool_augmentation, few_shot, prompt_refinement, tier_upgrade, split")
    .option("--queries <file>", "held-out queries to add: one per line, or JSONL with query and reference")
    .option("--verdicts <file>", "the verdict store (default .tinyllm/verdicts.db or TINYLLM_VERDICTS)")
    .option("--min-evaluations <n>", "fewest verdicts of a candidate (default 10)")
    .option("--fail-rate <rate>", "lowest fail rate of a candidate, 0 to 1 (default 0.4)")
    .option("--cooldown-ms <ms>", "time after an adopted change during which a node is left alone (default 3600000)")
    .option("--alpha <p>", "significance level of the paired test (default 0.05)")
    .option("--min-effect <points>", "smallest pass-rate rise adopted, 0 to 1 (default 0.1)")
    .option(
      "--cassette <file>",
      "where the A/B's model calls are recorded and replayed from, so a baseline is never paid for twice (default .tinyllm/expand-cassette.db)",
    )
    .option("--no-cassette", "call the model for every run of the A/B")
    .option("--yes", "adopt (apply, auto): without it nothing is changed, with --json too")
    .exitOverride()
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const { expand } = await import("./commands/expand");
      return finish(await expand(name, options));
    });
expandStep("analyze", "Per specialist: fail rate with a 95% interval, failed checks, causes, query clusters, and whether it is a candidate.");
expandStep("propose", "Propose changes to a candidate node (saved under .tinyllm/expansion/) from its failing and passing answers.");
expandStep("evaluate", "A/B a saved proposal (--node, --strategy) against the graph in force on held-out queries, with a paired test.");
expandStep("apply", "Adopt an evaluated proposal as a new version of the graph (needs --yes).");
expandStep("auto", "Analyze, propose and evaluate, and with --yes adopt the first significant improvement.");

modelOptions(
  program
    .command("route")
    .description("Route queries with the graph's router alone (one JSON line per query with --json).")
    .argument("[queries...]", "queries")
    .option("-f, --file <file>", "a text file with one query per line")
    .option("--fast-only", "never ask the LLM; decide every query on the fast path"),
)
  .exitOverride()
  .action(async (queries: string[], options: Record<string, string | boolean | undefined>) => {
    const { route } = await import("./commands/route");
    return finish(await route(queries, options));
  });

modelOptions(program.command("doctor").description("Check Node, the config and the model provider; exit 1 when anything is wrong."))
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { doctor } = await import("./commands/doctor");
    return finish(await doctor(options));
  });

program
  .command("init")
  .description("Write a commented starter tinyllm.yaml (refuses to overwrite without --force).")
  .option("--force", "overwrite an existing file")
  .option("--path <file>", "where to write", "tinyllm.yaml")
  .option("--json", "print machine-readable JSON")
  .exitOverride()
  .action(async (options: { force?: boolean; path?: string; json?: boolean }) => {
    const { init } = await import("./commands/init");
    return finish(await init(options));
  });

modelOptions(
  program
    .command("grade")
    .description(
      "Grade one answer: rule and deterministic checks, then the T3 judge if needed. Exit 0 pass, 1 fail, 2 usage, 3 undecided (a judge was needed and none was available).",
    )
    .option("-q, --query <text>", "the question")
    .option("-a, --answer <text>", "the answer to grade")
    .option("--answer-file <file>", "read the answer from a file")
    .option("-r, --reference <text>", "a reference answer (for math, a number or worked text ending in one)")
    .option("--route <name>", "the route (math, code, code_math, general): picks the rubric and the check")
    .option("--tests <file>", "tests for code answers: .py (check(candidate) or assert lines), .js, or .json/.yaml")
    .option("--entry-point <name>", "the function check(candidate) tests")
    .option("--no-judge", "never ask an LLM judge")
    .option("--no-record", "do not add the verdict to the verdict store"),
)
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { gradeCommand } = await import("./commands/grade");
    return finish(await gradeCommand(options));
  });

program
  .command("stats")
  .description("Pass rates and latencies per gate, specialist, route and model, from the verdict store.")
  .option("--by <what>", "one grouping: node, specialist, route or model")
  .option("--since <when>", "only verdicts since then: 7d, 12h, 30m or a date")
  .option("--graph <id>", "only verdicts from runs of this graph id")
  .option("--store <file>", "the verdict store (default .tinyllm/verdicts.db, or TINYLLM_VERDICTS)")
  .option("--json", "print machine-readable JSON")
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { stats } = await import("./commands/stats");
    return finish(await stats(options));
  });

const models = program.command("models").description("List, inspect and download models.").exitOverride();
modelOptions(models.command("list").description("Models the provider can serve."))
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { modelsList } = await import("./commands/models");
    return finish(await modelsList(options));
  });
modelOptions(models.command("ps").description("Loaded models: per host of the fleet (VRAM, expiry, queue, pins) when hosts: is set, else Ollama's."))
  .option("--server <url>", "ask a running `tinyllm serve` for its fleet, queues included")
  .option("--api-key <key>", "the server's API key (default: TINYLLM_API_KEY)")
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { modelsPs } = await import("./commands/models");
    return finish(await modelsPs(options));
  });
modelOptions(
  models
    .command("pull")
    .description("Download a model: hf:<user>/<repo>/<file>.gguf or https://… into the cache folder, or an Ollama model name.")
    .argument("<ref>", "hf:…, https://… or an Ollama model name")
    .option("--connect-timeout <ms>", "give up when the download has not started within this time", "15000"),
)
  .exitOverride()
  .action(async (ref: string, options: Record<string, string | boolean | undefined>) => {
    const { modelsPull } = await import("./commands/models");
    return finish(await modelsPull(ref, options));
  });

modelOptions(
  program
    .command("chat")
    .description(
      "Talk with the graph in a conversation that persists: a prompt with streamed answers and slash commands (/help) on a terminal; one message per line when piped.",
    )
    .option("--session <id>", "resume this session (or start one with this id)")
    .option("--user <name>", "whose long-term memories are recalled and written (default: the session's, else default)")
    .option("--seed <n>", "sampling seed for every model call without one of its own")
    .option("--max-tokens <n>", "most tokens per answer")
    .option("--deadline <ms>", "deadline of each answer in milliseconds"),
)
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { chat } = await import("./commands/chat");
    return finish(await chat(options));
  });

const sessions = program.command("sessions").description("List, show, export and delete chat sessions.").exitOverride();
const storeOptions = (command: Command): Command =>
  command.option("--config <file>", "config file (default: tinyllm.yaml in this folder or above)").option("--json", "print machine-readable JSON");
storeOptions(sessions.command("list").description("Sessions, most recently updated first.").option("--limit <n>", "at most this many"))
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { sessionsList } = await import("./commands/sessions");
    return finish(await sessionsList(options));
  });
storeOptions(sessions.command("show").description("A session's settings, summary and messages.").argument("<id>", "session id"))
  .exitOverride()
  .action(async (id: string, options: Record<string, string | boolean | undefined>) => {
    const { sessionsShow } = await import("./commands/sessions");
    return finish(await sessionsShow(id, options));
  });
storeOptions(sessions.command("delete").description("Delete a session and its messages.").argument("<id>", "session id"))
  .exitOverride()
  .action(async (id: string, options: Record<string, string | boolean | undefined>) => {
    const { sessionsDelete } = await import("./commands/sessions");
    return finish(await sessionsDelete(id, options));
  });
storeOptions(
  sessions
    .command("export")
    .description("Print a session as Markdown or JSON.")
    .argument("<id>", "session id")
    .addOption(new Option("-f, --format <format>", "output format").choices(["markdown", "json"]).default("markdown")),
)
  .exitOverride()
  .action(async (id: string, options: Record<string, string | boolean | undefined>) => {
    const { sessionsExport } = await import("./commands/sessions");
    return finish(await sessionsExport(id, options));
  });

const memory = program.command("memory").description("Add, search, list, forget, export, import and wipe long-term memories.").exitOverride();
const scopeOptions = (command: Command): Command =>
  storeOptions(
    command
      .addOption(new Option("--scope <scope>", "whose memories: a user's, a session's or a graph's").choices(["user", "session", "graph"]))
      .option("--owner <id>", "the user, session or graph id (default user: default)"),
  );
scopeOptions(memory.command("add").description("Keep a fact (default: the default user's).").argument("<text>", "the fact"))
  .exitOverride()
  .action(async (text: string, options: Record<string, string | boolean | undefined>) => {
    const { memoryAdd } = await import("./commands/memory");
    return finish(await memoryAdd(text, options));
  });
scopeOptions(
  memory
    .command("search")
    .description("The memories most relevant to a query: id, score, scope and text.")
    .argument("<query>", "what to look for")
    .option("--k <n>", "how many (default 5)"),
)
  .exitOverride()
  .action(async (query: string, options: Record<string, string | boolean | undefined>) => {
    const { memorySearch } = await import("./commands/memory");
    return finish(await memorySearch(query, options));
  });
scopeOptions(memory.command("list").description("Memories, newest first.").option("--limit <n>", "at most this many"))
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { memoryList } = await import("./commands/memory");
    return finish(await memoryList(options));
  });
storeOptions(memory.command("forget").description("Forget one memory.").argument("<id>", "memory id"))
  .exitOverride()
  .action(async (id: string, options: Record<string, string | boolean | undefined>) => {
    const { memoryForget } = await import("./commands/memory");
    return finish(await memoryForget(id, options));
  });
storeOptions(memory.command("export").description("Write every memory to a JSON file (- for stdout).").argument("<file>", "file to write"))
  .exitOverride()
  .action(async (file: string, options: Record<string, string | boolean | undefined>) => {
    const { memoryExport } = await import("./commands/memory");
    return finish(await memoryExport(file, options));
  });
storeOptions(memory.command("import").description("Add the memories of a file memory export wrote.").argument("<file>", "file to read"))
  .exitOverride()
  .action(async (file: string, options: Record<string, string | boolean | undefined>) => {
    const { memoryImport } = await import("./commands/memory");
    return finish(await memoryImport(file, options));
  });
scopeOptions(
  memory.command("wipe").description("Delete every memory (or one owner's with --scope/--owner); always needs --yes.").option("--yes", "really delete"),
)
  .exitOverride()
  .action(async (options: Record<string, string | boolean | undefined>) => {
    const { memoryWipe } = await import("./commands/memory");
    return finish(await memoryWipe(options));
  });

registerToolCommands(program, finish);

// `serve` takes exactly the options of `tinyllm-server` (one parser, one --help).
let serving = false;
program
  .command("serve")
  .description("Serve graphs as models over the Ollama and OpenAI APIs, with the runs API, the trace viewer and metrics (--help for every option).")
  .helpOption(false)
  .allowUnknownOption()
  .allowExcessArguments()
  .argument("[options...]", "see tinyllm serve --help")
  .exitOverride()
  .action(async (args: string[]) => {
    const { parseServeArgs, serveUsage, serve } = await import("@tinyllm/server");
    const parsed = parseServeArgs(args);
    if (parsed.help) {
      process.stdout.write(serveUsage);
      return;
    }
    serving = true;
    await serve(parsed.options);
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
    process.exitCode = reportError(error, wantsJson());
  }
}

// A command has finished and said what it had to say. Libraries may still hold sockets or
// retry timers (a download's retries, a model's worker); do not let them keep the process
// alive: exit shortly unless it ends on its own first.
if (!serving) setTimeout(() => process.exit(), 1000).unref();
