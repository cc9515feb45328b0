/**
 * Every stable error code TinyLLM raises, in one list. Codes travel in {@link TinyLLMError.code};
 * each package also exports the subset it raises (`ModelErrorCode`, `ToolErrorCode`, …), whose
 * values are taken from here. A test in `@tinyllm/runtime` fails when a package raises a code
 * that is not listed.
 *
 * @module
 */

/** Codes raised by `@tinyllm/core`: graphs, the executor and API arguments. */
export const CoreErrorCode = {
  /** The graph file or document did not pass validation. */
  GraphInvalid: "GRAPH_INVALID",
  /** A node did not finish within its `timeoutMs`. */
  NodeTimeout: "NODE_TIMEOUT",
  /** A node threw or returned an error. */
  NodeFailed: "NODE_FAILED",
  /** The run passed its deadline. */
  RunTimeout: "RUN_TIMEOUT",
  /** The caller aborted the run. */
  RunCancelled: "RUN_CANCELLED",
  /** A span was still open when its run ended (a node opened a child span and did not end it). */
  SpanNotEnded: "SPAN_NOT_ENDED",
  /** The run took more steps than `limits.maxSteps`. */
  StepLimit: "STEP_LIMIT",
  /** A node was entered more times than its visit bound. */
  VisitLimit: "VISIT_LIMIT",
  /** A node finished and none of its outgoing edges applied. */
  NoRoute: "NO_ROUTE",
  /** A node kind is not registered. */
  UnknownKind: "UNKNOWN_KIND",
  /** Invalid options passed to an API. */
  InvalidArgument: "INVALID_ARGUMENT",
  /** A fan-out branch was stopped because another branch finished first (join `first`/`any`). */
  BranchCancelled: "BRANCH_CANCELLED",
  /** A bug: something TinyLLM did not expect. Please report it. */
  Internal: "INTERNAL",
} as const;

/** Codes raised by model providers, prompts and the app config (`@tinyllm/models`, `@tinyllm/runtime`). */
export const ModelErrorCode = {
  /** The provider cannot be reached or its engine is not installed. */
  ModelUnavailable: "MODEL_UNAVAILABLE",
  /** The provider does not have the requested model. */
  ModelNotFound: "MODEL_NOT_FOUND",
  /** The provider took the request and failed it. */
  ModelRequestFailed: "MODEL_REQUEST_FAILED",
  /** The model answered, but the answer is not what was asked for (e.g. invalid JSON). */
  ModelOutputInvalid: "MODEL_OUTPUT_INVALID",
  /** The caller aborted the request. */
  ModelAborted: "MODEL_ABORTED",
  /** The model file exists but cannot be loaded. */
  ModelLoadFailed: "MODEL_LOAD_FAILED",
  /** The model does not take native tool calls (Ollama answers 400 "does not support tools"); use a JSON protocol instead. */
  ModelToolsUnsupported: "MODEL_TOOLS_UNSUPPORTED",
  /** A tier has no model for the chosen provider. */
  ModelNotConfigured: "MODEL_NOT_CONFIGURED",
  /** No model provider was set up (none configured, none found). */
  NoProvider: "NO_PROVIDER",
  /** A prompt file is invalid or its folder cannot be read. */
  PromptInvalid: "PROMPT_INVALID",
  /** Two prompt files share an id. */
  PromptDuplicate: "PROMPT_DUPLICATE",
  /** A replayed call is not in the cassette, and the cassette does not go live on a miss. */
  CassetteMiss: "CASSETTE_MISS",
  /** The cassette file cannot be opened, read or written, or is not a TinyLLM cassette. */
  CassetteFailed: "CASSETTE_FAILED",
  /** No host of the fleet can serve the model: every host that has it is down, or none has it. */
  FleetNoHost: "FLEET_NO_HOST",
} as const;

/** Codes of the app config (`tinyllm.yaml`, environment, flags). */
export const ConfigErrorCode = {
  /** The config file, an environment variable or a flag is invalid. */
  ConfigInvalid: "CONFIG_INVALID",
  /** `init` would overwrite an existing config file. */
  ConfigExists: "CONFIG_EXISTS",
  /** The config file could not be written. */
  ConfigWriteFailed: "CONFIG_WRITE_FAILED",
} as const;

/** Codes raised by tools and their runner (`@tinyllm/tools`). */
export const ToolErrorCode = {
  ToolNotFound: "TOOL_NOT_FOUND",
  ToolInputInvalid: "TOOL_INPUT_INVALID",
  ToolTimeout: "TOOL_TIMEOUT",
  ToolAborted: "TOOL_ABORTED",
  ToolFailed: "TOOL_FAILED",
  /** A `tool` node found nothing in the query its tool could act on. */
  ToolNotApplicable: "TOOL_NOT_APPLICABLE",
} as const;

/** Codes of the calculator. */
export const CalculatorErrorCode = {
  Syntax: "CALC_SYNTAX",
  Forbidden: "CALC_FORBIDDEN",
  Limit: "CALC_LIMIT",
  Undefined: "CALC_UNDEFINED",
  Math: "CALC_MATH",
} as const;

/** Codes of the code runners (JavaScript and Python sandboxes). */
export const CodeErrorCode = {
  Syntax: "CODE_SYNTAX",
  Runtime: "CODE_RUNTIME",
  Timeout: "CODE_TIMEOUT",
  Memory: "CODE_MEMORY",
  OutputLimit: "CODE_OUTPUT_LIMIT",
  Aborted: "CODE_ABORTED",
  Unavailable: "CODE_UNAVAILABLE",
} as const;

/** Codes of the search providers. */
export const SearchErrorCode = {
  SearchSourceMissing: "SEARCH_SOURCE_MISSING",
  SearchQueryInvalid: "SEARCH_QUERY_INVALID",
  SearchUnavailable: "SEARCH_UNAVAILABLE",
  SearchTimeout: "SEARCH_TIMEOUT",
  SearchAborted: "SEARCH_ABORTED",
  SearchFailed: "SEARCH_FAILED",
} as const;

/** Codes of grading, the gate and the verdict store (`@tinyllm/grading`). */
export const GradingErrorCode = {
  RubricInvalid: "GRADING_RUBRIC_INVALID",
  InputInvalid: "GRADING_INPUT_INVALID",
  JudgeUnavailable: "GRADING_JUDGE_UNAVAILABLE",
  JudgeFailed: "GRADING_JUDGE_FAILED",
  /** A gate's answer failed, no step was left, and the gate has `exhausted: error`. */
  GateFailed: "GATE_FAILED",
  StoreFailed: "VERDICT_STORE_FAILED",
  StoreCorrupt: "VERDICT_STORE_CORRUPT",
  StoreTooNew: "VERDICT_STORE_TOO_NEW",
} as const;

/** Codes of the runtime that composes the packages (`@tinyllm/runtime`). */
export const RuntimeErrorCode = {
  /** The runtime was used after `close()`. */
  RuntimeClosed: "RUNTIME_CLOSED",
  /** A graph could not be found or read. */
  GraphNotFound: "GRAPH_NOT_FOUND",
  /** The run store could not be opened, read or written (closed, locked, no permission, disk full). */
  RunStoreFailed: "RUN_STORE_FAILED",
  /** The run store's file is damaged, not a SQLite database, or another program's database. */
  RunStoreCorrupt: "RUN_STORE_CORRUPT",
  /** The run store was written by a newer TinyLLM. */
  RunStoreTooNew: "RUN_STORE_TOO_NEW",
  /** A run was begun twice, or written to after it ended. */
  RunStoreConflict: "RUN_STORE_CONFLICT",
  /** The run store has no run with that id. */
  RunRecordNotFound: "RUN_NOT_FOUND",
} as const;

/** Codes of `@tinyllm/memory`: sessions, long-term memories and their stores. */
export const MemoryErrorCode = {
  /** Bad input to a memory or session call (an empty or oversized text, a bad id or option). */
  MemoryInputInvalid: "MEMORY_INPUT_INVALID",
  /** The session or memory store could not be opened, read or written. */
  MemoryStoreFailed: "MEMORY_STORE_FAILED",
  /** The file is not a TinyLLM session or memory store, or is damaged. */
  MemoryStoreCorrupt: "MEMORY_STORE_CORRUPT",
  /** The store was written by a newer TinyLLM. */
  MemoryStoreTooNew: "MEMORY_STORE_TOO_NEW",
  /** The store is at its size cap. */
  MemoryStoreFull: "MEMORY_STORE_FULL",
  /** No session has that id. */
  SessionNotFound: "SESSION_NOT_FOUND",
  /** A session with that id already exists. */
  SessionExists: "SESSION_EXISTS",
  /** The embedder failed, or changed since the stored vectors were written. */
  EmbedderFailed: "EMBEDDER_FAILED",
  /** The current message alone does not fit the model's context. */
  ContextOverflow: "CONTEXT_OVERFLOW",
} as const;

/** Codes of `@tinyllm/expansion`: analysis, proposals, A/B evaluation and graph versions. */
export const ExpansionErrorCode = {
  /** Bad input to an expansion call: an unknown node, a bad option, an unreadable queries file. */
  ExpansionInputInvalid: "EXPANSION_INPUT_INVALID",
  /** The graph file changed on disk since the analysis or proposal was made. */
  GraphChangedOnDisk: "GRAPH_CHANGED_ON_DISK",
  /** No version of the graph has that number. */
  VersionNotFound: "VERSION_NOT_FOUND",
  /** The graph version store cannot be opened, read or written. */
  VersionStoreFailed: "VERSION_STORE_FAILED",
  /** A strategy could not produce a valid graph for this node. */
  StrategyFailed: "STRATEGY_FAILED",
  /** A node is protected, or still in its cooldown, and was named explicitly. */
  NodeNotExpandable: "NODE_NOT_EXPANDABLE",
} as const;

/** Codes of `@tinyllm/bench`: suites, data sets, results files and reports. */
export const BenchErrorCode = {
  /** Bad input to a benchmark: an unknown suite, a bad option, no configuration to run. */
  BenchInputInvalid: "BENCH_INPUT_INVALID",
  /** The data set is not where `--data` points, or cannot be read. */
  BenchDataMissing: "BENCH_DATA_MISSING",
  /** The data set is there but not in the expected format. */
  BenchDataInvalid: "BENCH_DATA_INVALID",
  /** The results file to resume from belongs to another suite or is not a results file. */
  BenchResultsInvalid: "BENCH_RESULTS_INVALID",
} as const;

/** Codes of `@tinyllm/server`'s answers (each with its HTTP status there). */
export const ServerErrorCode = {
  BadRequest: "SERVER_BAD_REQUEST",
  Unauthorized: "SERVER_UNAUTHORIZED",
  Forbidden: "SERVER_FORBIDDEN",
  NotFound: "SERVER_NOT_FOUND",
  ModelNotFound: "SERVER_MODEL_NOT_FOUND",
  RunNotFound: "SERVER_RUN_NOT_FOUND",
  BodyTooLarge: "SERVER_BODY_TOO_LARGE",
  QueryTooLong: "SERVER_QUERY_TOO_LONG",
  Busy: "SERVER_BUSY",
  QueueTimeout: "SERVER_QUEUE_TIMEOUT",
  ShuttingDown: "SERVER_SHUTTING_DOWN",
  RunFailed: "SERVER_RUN_FAILED",
  RunCancelled: "SERVER_RUN_CANCELLED",
  RunTimeout: "SERVER_RUN_TIMEOUT",
  Internal: "SERVER_INTERNAL",
} as const;

/**
 * Every error code, by name. Server codes are prefixed (`ServerInternal`, `ServerRunCancelled`)
 * so that they do not replace core codes of the same name (`Internal`, `RunCancelled`).
 */
export const ErrorCode = {
  ...CoreErrorCode,
  ...ModelErrorCode,
  ...ConfigErrorCode,
  ...ToolErrorCode,
  ...prefixKeys("Calc", CalculatorErrorCode),
  ...prefixKeys("Code", CodeErrorCode),
  ...SearchErrorCode,
  ...prefixKeys("Grading", GradingErrorCode),
  ...RuntimeErrorCode,
  ...MemoryErrorCode,
  ...ExpansionErrorCode,
  ...BenchErrorCode,
  ...prefixKeys("Server", ServerErrorCode),
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
/** One of the {@link CoreErrorCode} values. */
export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];
/** One of the {@link ModelErrorCode} values. */
export type ModelErrorCode = (typeof ModelErrorCode)[keyof typeof ModelErrorCode];
/** One of the {@link ConfigErrorCode} values. */
export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];
/** One of the {@link ToolErrorCode} values. */
export type ToolErrorCode = (typeof ToolErrorCode)[keyof typeof ToolErrorCode];
/** One of the {@link CalculatorErrorCode} values. */
export type CalculatorErrorCode = (typeof CalculatorErrorCode)[keyof typeof CalculatorErrorCode];
/** One of the {@link CodeErrorCode} values. */
export type CodeErrorCode = (typeof CodeErrorCode)[keyof typeof CodeErrorCode];
/** One of the {@link SearchErrorCode} values. */
export type SearchErrorCode = (typeof SearchErrorCode)[keyof typeof SearchErrorCode];
/** One of the {@link GradingErrorCode} values. */
export type GradingErrorCode = (typeof GradingErrorCode)[keyof typeof GradingErrorCode];
/** One of the {@link MemoryErrorCode} values. */
export type MemoryErrorCode = (typeof MemoryErrorCode)[keyof typeof MemoryErrorCode];
/** One of the {@link ExpansionErrorCode} values. */
export type ExpansionErrorCode = (typeof ExpansionErrorCode)[keyof typeof ExpansionErrorCode];
/** One of the {@link BenchErrorCode} values. */
export type BenchErrorCode = (typeof BenchErrorCode)[keyof typeof BenchErrorCode];
/** One of the {@link ServerErrorCode} values. */
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];
/** One of the {@link RuntimeErrorCode} values. */
export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

/** Every code value, for checks such as "is this a TinyLLM code?". */
export const allErrorCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

type Prefixed<P extends string, T extends Record<string, string>> = { [K in keyof T & string as `${P}${K}`]: T[K] };

function prefixKeys<P extends string, T extends Record<string, string>>(prefix: P, codes: T): Prefixed<P, T> {
  return Object.fromEntries(Object.entries(codes).map(([key, value]) => [`${prefix}${key}`, value])) as Prefixed<P, T>;
}
