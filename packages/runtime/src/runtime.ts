import type { RunSampling } from "./sampling/run-sampling";
import type {
  CodeRunners,
  CompiledGraph,
  GraphInput,
  GraphProblem,
  MemoryStore,
  PrecedentIndex,
  ModelResolver,
  NodeRegistry,
  RunEvent,
  RunResult,
  RunStore,
  RunStream,
  SessionStore,
} from "@tinyllm/core";
import type { GradeInput, RubricSet, Verdict, VerdictStore } from "@tinyllm/grading";
import type { HybridRouter, LlamaProvider, OllamaProvider, OpenAIProvider, PromptLibrary } from "@tinyllm/models";
import type { ToolRegistry } from "@tinyllm/tools";
import type { Backend } from "./backend/backend";
import type { ResolvedConfig } from "./config/resolved-config";

/** A graph the runtime loaded, ready to run. */
export interface LoadedGraph {
  /** The compiled graph. */
  graph: CompiledGraph;
  /** The file it came from, when it came from one. */
  file?: string;
  /** Problems that did not stop it from loading (severity `warning`). */
  warnings: GraphProblem[];
}

/** What {@link Runtime.loadGraph} takes: a file path, or a graph built in code (see `defineGraph` in `@tinyllm/core`). */
export type GraphSource = string | GraphInput;

/** Options of {@link Runtime.run} and {@link Runtime.stream}. */
export interface RunOptions {
  /** The graph: a loaded one, a file or a definition. Default: the configured graph, else the bundled `multi_domain.yaml`. */
  graph?: LoadedGraph | GraphSource;
  /** Initial state fields besides `input`. */
  state?: Record<string, unknown>;
  /** Stops the run; it ends with status `cancelled`. */
  abortSignal?: AbortSignal;
  /** Whole-run deadline in ms; overrides the graph's `limits.deadlineMs`. */
  deadlineMs?: number;
  /** Called with every event, synchronously. Keep it cheap. */
  onEvent?: (event: RunEvent) => void;
  /** Sampling for this run's model calls: a `seed` makes the run repeatable (see {@link RunSampling}). */
  sampling?: RunSampling;
  /**
   * Models for this run, by tier: `{ T1: "qwen2.5:3b" }` sends every call of tier T1 to that
   * model (a chat session's `/model` overrides). Nodes that name their own model keep it.
   */
  models?: Readonly<Record<string, string>>;
  /**
   * The run's id: 1 to 128 characters of letters, digits, `_`, `.`, `:` and `-` (else
   * `INVALID_ARGUMENT`). Default: a new UUID.
   */
  runId?: string;
  /** Where the run came from, kept in the run store: `cli`, `api/chat`, `v1/runs`, … */
  source?: string;
  /**
   * Record the run: in the run store, its verdicts in the verdict store and its precedent (each
   * when the runtime keeps it). Default true. `false` suits trial runs, such as an A/B comparison
   * of two graph versions, that must not count as the graph's history.
   */
  record?: boolean;
  /**
   * Whether someone waits for the answer (`interactive`, the default) or not (`batch`, such as a
   * benchmark). With a fleet of hosts, interactive calls go first; batch ones age so they are
   * never starved. Other backends ignore it.
   */
  priority?: "interactive" | "batch";
}

/** Options of {@link Runtime.chat}: one message of a conversation. */
export interface ChatTurnOptions {
  /** The session to continue; created (with this id) when it does not exist. Default: a new session. */
  session?: string;
  /** The graph; default the session's `settings.graph`, else the configured graph. A new session keeps it in its settings. */
  graph?: LoadedGraph | GraphSource;
  /** Whose long-term memories (scope `user`) are recalled and written. Default the session's `settings.user`, else `default`. */
  user?: string;
  abortSignal?: AbortSignal;
  /** Called with every event of the run, synchronously (tokens stream as `token-delta`). */
  onEvent?: (event: RunEvent) => void;
  sampling?: RunSampling;
  deadlineMs?: number;
  /** Where the run came from, kept in the run store. Default `chat`. */
  source?: string;
}

/** What {@link Runtime.chat} returns: the run, and what the session now holds. */
export interface ChatTurn {
  sessionId: string;
  /** The run of the graph on the message. */
  result: RunResult;
  /** The answer appended to the session (the run's output as text; empty when the run failed). */
  answer: string;
  /** Turns that no longer fit the context and were folded into the session's rolling summary by this turn. */
  foldedTurns: number;
}

/** A chat turn ready to run (see {@link Runtime.beginChatTurn}). */
export interface PreparedChatTurn {
  sessionId: string;
  /** The graph the turn runs. */
  graph: LoadedGraph;
  /** The run's initial state: the conversation (summary and recent turns that fit) and the memory owners. */
  state: Record<string, unknown>;
  /** Turns that no longer fit and were folded into the rolling summary. */
  foldedTurns: number;
  /** The session's model overrides by tier (`SessionSettings.models`): pass them as the run's `models`. */
  models?: Readonly<Record<string, string>>;
  /** Appends the message and, when the run answered, the answer; resolves the answer text. Pass `undefined` when the run could not start. */
  finish(result: RunResult | undefined): Promise<string>;
}

/** Options of {@link Runtime.grade}. */
export interface RuntimeGradeOptions {
  /** Ask the LLM judge when the cheap checks cannot decide. Default true. */
  judge?: boolean;
  /** Record the verdict in the verdict store (when the runtime records verdicts). Default true. */
  record?: boolean;
  abortSignal?: AbortSignal;
}

/**
 * One long-lived composition of everything a run needs: config, model providers and tiers,
 * tools, rubrics, the judge, the verdict store, prompts and every node kind. Models loaded by one
 * run stay loaded for the next; {@link Runtime.close} frees them.
 */
export interface Runtime {
  /** The merged configuration (flags > environment > `tinyllm.yaml` > defaults). */
  readonly config: ResolvedConfig;
  /** The `tinyllm.yaml` that was read, if any. */
  readonly configFile: string | undefined;
  /** The tools graphs get. */
  readonly tools: ToolRegistry;
  /**
   * Loads a graph file or compiles an in-code definition with every node kind registered. Throws
   * `GRAPH_INVALID` with the problems (`error.details.problems`), or `GRAPH_NOT_FOUND`.
   */
  loadGraph(source: GraphSource): Promise<LoadedGraph>;
  /** Like {@link Runtime.loadGraph}, but returns the problems instead of throwing on an invalid graph. */
  checkGraph(source: GraphSource): Promise<{ ok: true; loaded: LoadedGraph } | { ok: false; file?: string; problems: GraphProblem[] }>;
  /** The node registry used for graphs beside `graphFile` (its prompts and rubrics). */
  registry(graphFile?: string): Promise<NodeRegistry>;
  /** Runs a graph on `input` and returns its result (the answer is `result.output`). */
  run(input: unknown, options?: RunOptions): Promise<RunResult>;
  /** Runs a graph and streams its events (tokens, routes, tool calls, verdicts); `result` settles at the end. */
  stream(input: unknown, options?: RunOptions): RunStream;
  /**
   * The model backend: the configured provider, else Ollama when it answers, else the embedded
   * engine with the configured model file. Chosen on first use and kept. Throws `NO_PROVIDER`
   * with a hint when there is none.
   */
  backend(): Promise<Backend>;
  /**
   * A provider of the given kind built from the configuration (not necessarily the run backend),
   * for model management such as listing, pulling and checking. Kept and closed with the runtime.
   */
  provider(kind: "ollama"): OllamaProvider;
  provider(kind: "llama"): LlamaProvider;
  provider(kind: "openai"): OpenAIProvider;
  /** Maps tiers to models of the backend once {@link Runtime.backend} has been chosen; throws `NO_PROVIDER` before. */
  readonly resolveModel: ModelResolver;
  /** The hybrid router of a graph's first `router` node. `fastOnly` never asks a model. */
  router(loaded: LoadedGraph, options?: { fastOnly?: boolean }): Promise<HybridRouter>;
  /** The prompt library for graphs beside `graphFile` (`prompts/` there, else the bundled one). */
  prompts(graphFile?: string): Promise<PromptLibrary>;
  /** The rubrics for graphs beside `graphFile`. */
  rubrics(graphFile?: string): Promise<RubricSet>;
  /** Grades one answer (cheap checks first, the judge only when they cannot decide). */
  grade(input: GradeInput, options?: RuntimeGradeOptions): Promise<Verdict>;
  /** The code sandboxes the gate uses (`javascript` in isolated-vm, `python` in a locked-down CPython), for scoring code answers. */
  codeRunners(): CodeRunners;
  /** The verdict store, opened on first use; undefined when verdicts are not recorded or it cannot be opened (a warning says why). */
  verdictStore(): VerdictStore | undefined;
  /**
   * The run store every run is recorded in (its events, trace, route, verdict and tokens), opened
   * on first use; undefined when runs are not recorded or it cannot be opened (a warning says why).
   */
  runStore(): RunStore | undefined;
  /**
   * Sends one message of a conversation: loads the session (creating it when needed), gives the
   * graph its rolling summary and recent turns sized to the model's context (`state.conversation`)
   * and the recalled long-term memories, runs the graph, appends the message and the answer, and
   * folds turns that no longer fit into the summary.
   */
  chat(message: string, options?: ChatTurnOptions): Promise<ChatTurn>;
  /**
   * The first half of {@link Runtime.chat}, for callers that run the graph themselves (the
   * server's run hub): the session and the run's initial state; call `finish` with the result.
   */
  beginChatTurn(message: string, options?: Omit<ChatTurnOptions, "onEvent" | "sampling" | "deadlineMs" | "source">): Promise<PreparedChatTurn>;
  /** The session store (`.tinyllm/sessions.db`, or `TINYLLM_SESSIONS`), opened on first use. Throws a `MEMORY_*` error saying what to do when it cannot be opened. */
  sessionStore(): SessionStore;
  /**
   * The long-term memory store (`.tinyllm/memory.db`, or `TINYLLM_MEMORY`), opened on first use,
   * with the configured embedder when there is one (else recall is lexical). Throws a `MEMORY_*`
   * error saying what to do when it cannot be opened.
   */
  memoryStore(): MemoryStore;
  /**
   * The precedent index (`.tinyllm/precedents.db`, or `TINYLLM_PRECEDENTS`), opened on first use:
   * every gated run of a graph with a router records its query, route, verdict and score there,
   * and routers consult it. `undefined` when it is off (`precedentIndex: false`) or cannot be
   * opened (a warning said why).
   */
  precedentIndex(): PrecedentIndex | undefined;
  /** Frees models, sandboxes and stores. Safe to call twice; later calls of other methods throw `RUNTIME_CLOSED`. */
  close(): Promise<void>;
}
