import { existsSync } from "node:fs";
import path from "node:path";
import {
  builtinNodeKinds,
  compileGraph,
  createNodeRegistry,
  formatGraphProblem,
  loadGraphFile,
  ModelErrorCode,
  RuntimeErrorCode,
  runGraph,
  streamGraph,
  TinyLLMError,
  toTinyLLMError,
  type CompiledGraph,
  type GraphProblem,
  type ModelProvider,
  type ModelResolver,
  type NodeRegistry,
  type RunEvent,
  type RunStore,
  type RunResult,
  type RunGraphOptions,
  type RunStream,
} from "@tinyllm/core";
import {
  createGateKind,
  createJudge,
  grade as gradeAnswer,
  loadRubrics,
  openVerdictStore,
  verdictRecordOf,
  defaultVerdictStorePath,
  type RubricSet,
  type VerdictRecordInput,
  type VerdictStore,
} from "@tinyllm/grading";
import {
  cassetteProvider,
  createHybridRouter,
  createModelKind,
  createRouterKind,
  loadPrompts,
  openCassette,
  type Prompt,
  type PromptLibrary,
  type RouterConfig,
} from "@tinyllm/models";
import { createToolKind } from "@tinyllm/tools";
import { assetsFolderFor, defaultGraphFile } from "./assets/bundled-assets-dir";
import type { Backend } from "./backend/backend";
import { noProviderHint } from "./backend/no-provider-hint";
import { samplingResolver, withRunSampling } from "./sampling/run-sampling";
import { createOtlpTraceExporter, type OtlpTraceExporter } from "./telemetry/index";
import { createProvider, selectBackend, tierResolver } from "./backend/select-backend";
import { loadConfig, type ConfigFlags } from "./config/load-config";
import type { ResolvedConfig } from "./config/resolved-config";
import type { GraphSource, LoadedGraph, RunOptions, Runtime } from "./runtime";
import { createRuntimeTools, type RuntimeTools } from "./tools/create-runtime-tools";
import { lazyStream } from "./lazy-stream";
import { checkRunId } from "./run-store/check-run-id";
import { createRunRecorder, type RunRecorder } from "./run-store/create-run-recorder";
import { defaultRunStorePath } from "./run-store/default-run-store-path";
import { openRunStore } from "./run-store/open-run-store";
import { precedentOf } from "./memory/precedent-of";
import { runModelsResolver, withRunModels } from "./sampling/run-models";
import { createRuntimeMemory } from "./memory/runtime-memory";
import { withRunOwners } from "./memory/run-owners";
import { expectedCallsOf } from "./backend/fleet-backend";
import { withRunPlacement } from "./backend/run-placement";
import { announcer } from "./backend/route-announcer";
import { MEMORY_OWNERS_FIELD, memoryOwnersOf } from "@tinyllm/memory";
import { beginChatTurn, chatTurn } from "./memory/chat-turn";

/** How long a failed backend choice is remembered before the next call looks again. */
const backendRetryMs = 10_000;

/** Options of {@link createRuntime}. */
export interface CreateRuntimeOptions {
  /** Command-line flags, the highest configuration layer. */
  flags?: ConfigFlags;
  /** Use this configuration instead of loading one (flags, environment and `tinyllm.yaml` are then not read). */
  config?: ResolvedConfig;
  /** Where to look for `tinyllm.yaml` and resolve relative paths. Default `process.cwd()`. */
  cwd?: string;
  /** The environment. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * A model provider to use instead of choosing one from the configuration (a custom backend, or
   * a provider wrapped for recording). Tiers map to its models through the config's tier table
   * for `providerKind` (default `llama`).
   */
  provider?: ModelProvider;
  /**
   * Record every model call into a cassette (a SQLite file), or replay calls from one:
   * `record` wraps the chosen backend; `replay` needs no model at all and fails a call that was
   * not recorded with `CASSETTE_MISS`; `replay-or-live` replays what was recorded and sends the
   * rest to the backend, recording it.
   */
  cassette?: { path: string; mode: "record" | "replay" | "replay-or-live" };
  /** Which tier table a custom `provider` uses. Default `llama`. */
  providerKind?: "ollama" | "llama" | "openai";
  /**
   * Where verdicts are recorded: a SQLite file, `true` for the default (`TINYLLM_VERDICTS`, else
   * `.tinyllm/verdicts.db`), or `false` for none. Default `true`.
   */
  verdictStore?: string | boolean;
  /**
   * Where runs are recorded (their events and traces): a SQLite file, `true` for the default
   * (`TINYLLM_RUNS`, else `.tinyllm/runs.db`), or `false` for none. Default `true`.
   */
  runStore?: string | boolean;
  /**
   * Where conversations are kept: a SQLite file, `true` for the default (`TINYLLM_SESSIONS`, else
   * `.tinyllm/sessions.db`), or `false` for none (then `chat` fails). Default `true`.
   */
  sessionStore?: string | boolean;
  /**
   * Where long-term memories are kept: a SQLite file, `true` for the default (`TINYLLM_MEMORY`,
   * else `.tinyllm/memory.db`), or `false` for none (memory nodes then do nothing and the
   * `remember` tool is not offered). Default `true`.
   */
  memoryStore?: string | boolean;
  /**
   * Where routing precedents are kept (every gated run's query, route and verdict, which routers
   * consult): a SQLite file, `true` for the default (`TINYLLM_PRECEDENTS`, else
   * `.tinyllm/precedents.db`), or `false` for none. Default `true`.
   */
  precedentIndex?: string | boolean;
  /** How long to wait for Ollama when detecting a provider. Default 700 ms. */
  probeTimeoutMs?: number;
  /** Receives warnings (a verdict or run store that cannot be opened…). Default: none. */
  onWarning?: (message: string) => void;
}

/**
 * Builds the runtime: reads the configuration (flags > environment > `tinyllm.yaml` >
 * defaults), and prepares the tools, grading and every node kind. The model backend is chosen on
 * first use. Call {@link Runtime.close} when done, so the process can exit.
 *
 * @example
 * ```ts
 * import { createRuntime } from "@tinyllm/runtime";
 *
 * const runtime = await createRuntime({ flags: { modelFile: "./model.gguf" } });
 * try {
 *   const result = await runtime.run("What is 17 * 24?");
 *   console.log(result.status, result.output);
 * } finally {
 *   await runtime.close();
 * }
 * ```
 */
export async function createRuntime(options: CreateRuntimeOptions = {}): Promise<Runtime> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = options.config
    ? { config: options.config, file: undefined }
    : await loadConfig({ cwd, ...(options.env ? { env: options.env } : {}), ...(options.flags ? { flags: options.flags } : {}) });
  const config = loaded.config;
  const warn = options.onWarning ?? (() => undefined);
  let tools: RuntimeTools | undefined;
  let closed = false;
  let backendPromise: Promise<Backend> | undefined;
  let backend: Backend | undefined;
  let store: VerdictStore | undefined;
  let storeTried = false;
  let runs: RunStore | undefined;
  let runsTried = false;
  let runWriteWarned = false;
  const recording = new Set<Promise<void>>();
  const prompts = new Map<string, Promise<PromptLibrary>>();
  const rubrics = new Map<string, Promise<RubricSet>>();
  const registries = new Map<string, Promise<NodeRegistry>>();
  const providers = new Map<string, ModelProvider>();
  const graphOfRun = new Map<string, { graphId: string; graphVersion: string }>();
  /** The node kinds of each compiled graph, worked out once. */
  const kindsOf = new WeakMap<object, Set<string>>();
  /** The graphs whose calls per run the fleet's scheduler was told. */
  const priorOf = new WeakSet<object>();

  const ensureOpen = () => {
    if (closed)
      throw new TinyLLMError({ code: RuntimeErrorCode.RuntimeClosed, message: "the runtime was closed", hint: "create a new runtime with createRuntime()" });
  };
  const memory = createRuntimeMemory({
    cwd,
    env: options.env ?? process.env,
    config,
    options: {
      ...(options.sessionStore !== undefined ? { sessionStore: options.sessionStore } : {}),
      ...(options.memoryStore !== undefined ? { memoryStore: options.memoryStore } : {}),
      ...(options.precedentIndex !== undefined ? { precedentIndex: options.precedentIndex } : {}),
    },
    resolveModel: (ref) => resolveModel(ref),
    backendReady: () => chooseBackend(),
    warn,
  });
  const getTools = () => (tools ??= createRuntimeTools(config, options.memoryStore === false ? [] : [memory.rememberTool]));

  const resolveModel: ModelResolver = samplingResolver(
    runModelsResolver((ref) => {
      if (!backend) throw new TinyLLMError({ code: ModelErrorCode.NoProvider, message: "no model provider was set up", hint: noProviderHint });
      return backend.resolveModel(ref);
    }),
  );

  const chooseBackend = (): Promise<Backend> => {
    ensureOpen();
    backendPromise ??= (async () => {
      if (options.cassette) return cassetteBackend(options.cassette);
      return liveBackend();
    })().then(
      (chosen) => {
        for (const warning of chosen.warnings ?? []) warn(warning);
        return (backend = chosen);
      },
      (error: unknown) => {
        // No provider now: callers within the next few seconds get the same answer instead of
        // probing again; after that a long-lived runtime looks again (Ollama may have started).
        setTimeout(() => (backendPromise = undefined), backendRetryMs).unref();
        throw error;
      },
    );
    return backendPromise;
  };

  /** The recording or replaying backend of `options.cassette`. */
  const cassetteBackend = async ({ path: file, mode }: { path: string; mode: "record" | "replay" | "replay-or-live" }): Promise<Backend> => {
    const cassette = openCassette(path.resolve(cwd, file), { mode });
    try {
      if (mode === "replay") {
        const provider = cassetteProvider({ cassette, mode });
        const tiers = cassette.tierModels();
        return {
          kind: "custom",
          provider,
          resolveModel: (ref) => {
            const wanted = ref.model ?? ref.tier ?? "T1";
            const model = tiers[wanted] ?? Object.values(tiers)[0];
            if (model === undefined)
              throw new TinyLLMError({
                code: ModelErrorCode.CassetteMiss,
                message: `the cassette ${cassette.path} recorded no call to ${wanted}`,
                hint: "record the run again with --record",
              });
            return { provider, model, ...(ref.tier ? { tier: ref.tier } : {}) };
          },
          description: `replay of ${cassette.path}`,
          close: async () => cassette.close(),
        };
      }
      const live = await liveBackend().catch((error: unknown) => {
        if (mode === "record") throw error;
        return undefined;
      });
      const provider = cassetteProvider({ cassette, mode, ...(live ? { live: live.provider } : {}) });
      const tiers = cassette.tierModels();
      return {
        kind: live?.kind ?? "custom",
        provider,
        resolveModel: (ref) => {
          const wanted = ref.model ?? ref.tier ?? "T1";
          if (!live) return { provider, model: tiers[wanted] ?? Object.values(tiers)[0] ?? wanted, ...(ref.tier ? { tier: ref.tier } : {}) };
          const resolved = live.resolveModel(ref);
          cassette.noteTierModel(wanted, resolved.model);
          return { ...resolved, provider };
        },
        description: `${live?.description ?? "no live model"}, ${mode === "record" ? "recorded to" : "replaying"} ${cassette.path}`,
        close: async () => {
          await live?.close();
          cassette.close();
        },
      };
    } catch (error) {
      cassette.close();
      throw error;
    }
  };

  const liveBackend = async (): Promise<Backend> => {
    {
      if (options.provider) {
        const provider = options.provider;
        const kind = options.providerKind ?? "llama";
        return {
          kind: "custom" as const,
          provider,
          resolveModel: tierResolver(provider, kind, config),
          description: `${provider.id} (custom provider)`,
          close: async () => undefined,
        };
      }
      return selectBackend({ config, ...(options.probeTimeoutMs !== undefined ? { probeTimeoutMs: options.probeTimeoutMs } : {}) });
    }
  };

  const verdictStore = (): VerdictStore | undefined => {
    if (storeTried || options.verdictStore === false) return store;
    storeTried = true;
    const file = typeof options.verdictStore === "string" ? path.resolve(cwd, options.verdictStore) : defaultVerdictStorePath(cwd);
    try {
      store = openVerdictStore({ path: file });
    } catch (error) {
      warn(`verdicts are not recorded: ${(error as Error).message}`);
    }
    return store;
  };
  /** Runs started with `record: false`: their verdicts are not stored either. */
  const unrecordedRuns = new Set<string>();
  const record = (input: VerdictRecordInput) => {
    if (input.runId !== undefined && unrecordedRuns.has(input.runId)) return;
    const target = verdictStore();
    if (!target) return;
    const graph = input.runId ? graphOfRun.get(input.runId) : undefined;
    target.append({ ...input, ...(graph && !input.graphId ? graph : {}) });
  };

  const runStore = (): RunStore | undefined => {
    if (runsTried || options.runStore === false) return runs;
    runsTried = true;
    const file = typeof options.runStore === "string" ? path.resolve(cwd, options.runStore) : defaultRunStorePath(cwd);
    try {
      runs = openRunStore({ path: file });
    } catch (error) {
      warn(`runs are not recorded: ${toTinyLLMError(error).message}`);
    }
    return runs;
  };
  /** Records a run that starts now, unless runs are not recorded; store failures warn once and never reach the run. */
  const recordRun = (loadedGraph: LoadedGraph, input: unknown, runId: string, runOptions: RunOptions): RunRecorder | undefined => {
    const target = runOptions.record === false ? undefined : runStore();
    if (!target) return undefined;
    const { id: graphId, version: graphVersion } = loadedGraph.graph;
    return createRunRecorder({
      store: target,
      run: {
        id: runId,
        graphId,
        ...(graphVersion ? { graphVersion } : {}),
        input,
        ...(runOptions.source ? { source: runOptions.source } : {}),
        startedAtMs: Date.now(),
      },
      onFailure: (error) => {
        if (runWriteWarned) return;
        runWriteWarned = true;
        warn(`a run was not recorded (later failures are not reported): ${error.message}`);
      },
    });
  };
  const trackRecording = (written: Promise<void>) => {
    recording.add(written);
    void written.finally(() => recording.delete(written));
  };

  /** Prompt libraries once loaded, by folder: what a fleet reads to know a model node's model ahead of its run. */
  const loadedPrompts = new Map<string, PromptLibrary>();
  const promptsFor = (dir: string) =>
    cachedLoad(prompts, dir, async () => {
      const library = await loadPrompts({ dir });
      loadedPrompts.set(dir, library);
      return library;
    });
  /** Per graph, with a fleet: its prompts by id (the model nodes' prompt files may set their tier or model). */
  const promptLookupOf = new WeakMap<CompiledGraph, (id: string) => Prompt | undefined>();
  const rubricsFor = (dir: string) => cachedLoad(rubrics, dir, () => loadRubrics({ dir }));

  const registry = (graphFile?: string): Promise<NodeRegistry> => {
    ensureOpen();
    const promptsDir = config.promptsDir ?? assetsFolderFor(graphFile, "prompts");
    const rubricsDir = assetsFolderFor(graphFile, "rubrics");
    const key = `${promptsDir}\0${rubricsDir}`;
    return cachedLoad(registries, key, async () => {
      const runtimeTools = getTools();
      const [library, rubricSet] = await Promise.all([promptsFor(promptsDir), rubricsFor(rubricsDir)]);
      return createNodeRegistry([
        ...builtinNodeKinds,
        createRouterKind({ resolveModel, precedents: memory.precedents }),
        createModelKind({ resolveModel, prompts: library, tools: runtimeTools.tools, fitPrompt: memory.fitPrompt }),
        memory.memoryKind,
        createToolKind({ tools: runtimeTools.tools }),
        createGateKind({
          rubrics: rubricSet,
          runners: { javascript: runtimeTools.javascript, python: runtimeTools.python },
          calculator: runtimeTools.calculator,
          resolveModel,
          record,
        }),
      ]);
    });
  };

  const checkGraph = async (source: GraphSource): Promise<{ ok: true; loaded: LoadedGraph } | { ok: false; file?: string; problems: GraphProblem[] }> => {
    ensureOpen();
    if (typeof source === "string") {
      // Problems name the file as it was given; relative paths are relative to `cwd`.
      const file = options.cwd !== undefined && !path.isAbsolute(source) ? path.join(cwd, source) : source;
      const result = await loadGraphFile(file, { registry: await registry(path.resolve(cwd, source)) });
      if (!result.ok) return { ok: false, file, problems: result.problems };
      return { ok: true, loaded: { graph: result.graph, file, warnings: result.warnings } };
    }
    const result = await compileGraph(source, { registry: await registry(undefined) });
    if (!result.ok) return { ok: false, problems: result.problems };
    return { ok: true, loaded: { graph: result.graph, warnings: result.warnings } };
  };

  const loadGraph = async (source: GraphSource): Promise<LoadedGraph> => {
    const checked = await checkGraph(source);
    if (checked.ok) return checked.loaded;
    const notFound = typeof source === "string" && !existsSync(path.resolve(cwd, source));
    throw new TinyLLMError({
      code: notFound ? RuntimeErrorCode.GraphNotFound : "GRAPH_INVALID",
      message: `${checked.file ? `${checked.file}: ` : ""}the graph is invalid:\n${checked.problems.map((problem) => formatGraphProblem(problem)).join("\n")}`,
      hint: notFound ? "check the path of the graph file" : "fix the problems listed (tinyllm graph validate shows them too)",
      cause: { problems: checked.problems },
    });
  };

  const graphFor = async (graph: RunOptions["graph"]): Promise<LoadedGraph> => {
    if (isLoadedGraph(graph)) return graph;
    return loadGraph((graph as GraphSource | undefined) ?? config.graph ?? defaultGraphFile());
  };

  /** The node kinds of a compiled graph, worked out once per graph. */
  const graphKinds = (loadedGraph: LoadedGraph): Set<string> => {
    let kinds = kindsOf.get(loadedGraph.graph);
    if (!kinds) {
      kinds = new Set(loadedGraph.graph.nodeList.map((node) => node.kind));
      kindsOf.set(loadedGraph.graph, kinds);
    }
    return kinds;
  };

  /**
   * Readies a loaded graph's run: its backend when its nodes need one, the fleet's expectations.
   * Synchronous (returns the graph) when nothing has to be waited for: a graph without model,
   * router or gate nodes, or one whose backend is already chosen. Else a promise of the graph.
   */
  const ready = (loadedGraph: LoadedGraph, runId: string): LoadedGraph | Promise<LoadedGraph> => {
    // Model nodes need a backend; routers and gates use one when there is one (else the fast
    // path decides and verdicts only a judge could make stay undecided); other graphs need none.
    const kinds = graphKinds(loadedGraph);
    const needsBackend = kinds.has("model");
    const wantsBackend = needsBackend || kinds.has("router") || kinds.has("gate");
    if (!wantsBackend || backend !== undefined) return readied(loadedGraph, runId);
    return (needsBackend ? chooseBackend() : chooseBackend().catch(() => undefined)).then(() => readied(loadedGraph, runId));
  };
  const readied = (loadedGraph: LoadedGraph, runId: string): LoadedGraph => {
    const chosen = backend;
    if (chosen?.fleet && !priorOf.has(loadedGraph.graph)) {
      priorOf.add(loadedGraph.graph);
      const promptsDir = config.promptsDir ?? assetsFolderFor(loadedGraph.file, "prompts");
      const promptOf = (id: string) => loadedPrompts.get(promptsDir)?.get(id);
      promptLookupOf.set(loadedGraph.graph, promptOf);
      chosen.fleet.expectCalls(
        expectedCallsOf(
          loadedGraph.graph,
          (ref) => {
            try {
              return chosen.resolveModel(ref).model;
            } catch {
              return undefined;
            }
          },
          promptOf,
        ),
      );
    }
    // Only verdict records read a run's graph: with the verdict store off there is nothing to remember.
    if (options.verdictStore !== false) graphOfRun.set(runId, { graphId: loadedGraph.graph.id, graphVersion: loadedGraph.graph.version });
    return loadedGraph;
  };

  /**
   * Prepares a run (its graph, its backend) and says how to start it: as a stream whose events
   * can be iterated, or as a plain run whose result is all the caller wants (no event queue).
   * `prepared` is the graph itself when nothing had to be waited for (a loaded graph that needs
   * no backend, or whose backend is chosen), so such a run starts in the same turn.
   */
  const begin = (input: unknown, runOptions: RunOptions) => {
    ensureOpen();
    const runId = runOptions.runId === undefined ? crypto.randomUUID() : checkRunId(runOptions.runId);
    if (runOptions.record === false) unrecordedRuns.add(runId);
    const given = runOptions.graph;
    const prepared: LoadedGraph | Promise<LoadedGraph> = isLoadedGraph(given)
      ? ready(given, runId)
      : graphFor(given).then((loadedGraph) => ready(loadedGraph, runId));
    /** What every run does once it has ended: its routing precedent, its exported trace. */
    const ended = (loadedGraph: LoadedGraph, result: RunResult): void => {
      // Every gated run of a graph with a router is a precedent its router consults later.
      if (runOptions.record !== false) {
        const precedent = precedentOf(loadedGraph.graph, result);
        if (precedent) trackRecording(memory.precedents.add(precedent));
      }
      traceExporter()?.exportRun(result);
    };
    /** Whether {@link start} made a recorder (which then does the end work itself). */
    let hasRecorder = false;
    /** Starts the run; `iterable` for a stream of its events, else only its result matters (events go to onEvent). */
    const start = (loadedGraph: LoadedGraph, iterable: boolean): RunStream => {
      const recorder = recordRun(loadedGraph, input, runId, runOptions);
      hasRecorder = recorder !== undefined;
      const forward = recorder
        ? (event: RunEvent) => {
            recorder.event(event);
            runOptions.onEvent?.(event);
          }
        : runOptions.onEvent;
      // With a fleet, the router's decision announces the chosen specialist's model, so it loads while the run goes on.
      const fleet = backend?.fleet;
      const announcing = fleet
        ? announcer(fleet, loadedGraph.graph, runId, runOptions.priority ?? "interactive", config, promptLookupOf.get(loadedGraph.graph))
        : undefined;
      const onEvent = announcing
        ? (event: RunEvent) => {
            forward?.(event);
            announcing(event);
          }
        : forward;
      let running: RunStream;
      try {
        // Graphs with memory nodes recall and learn for the run's owners: the given ones, else the default user and the graph.
        const usesMemory = graphKinds(loadedGraph).has("memory");
        const owners = usesMemory ? { user: "default", ...memoryOwnersOf(runOptions.state?.[MEMORY_OWNERS_FIELD]), graph: loadedGraph.graph.id } : undefined;
        const state = owners ? { ...runOptions.state, [MEMORY_OWNERS_FIELD]: owners } : runOptions.state;
        const graphOptions: RunGraphOptions = { input, runId };
        if (state) graphOptions.state = state;
        if (runOptions.abortSignal) graphOptions.abortSignal = runOptions.abortSignal;
        if (runOptions.deadlineMs !== undefined) graphOptions.deadlineMs = runOptions.deadlineMs;
        if (onEvent) graphOptions.onEvent = onEvent;
        const go = (): RunStream => (iterable ? streamGraph(loadedGraph.graph, graphOptions) : resultOnly(runGraph(loadedGraph.graph, graphOptions)));
        // The run's placement, owners, sampling and models reach its model calls through async
        // context; a run with none of them (a model-free graph, say) starts without any.
        if (!fleet && !owners && runOptions.sampling === undefined && runOptions.models === undefined) running = go();
        else {
          const placed = <T>(fn: () => T): T => (fleet ? withRunPlacement({ runId, priority: runOptions.priority ?? "interactive" }, fn) : fn());
          running = placed(() => withRunOwners(owners ?? {}, () => withRunSampling(runOptions.sampling, () => withRunModels(runOptions.models, go))));
        }
      } catch (error) {
        if (recorder) trackRecording(recorder.abandon(error));
        throw error;
      }
      if (fleet) void running.result.finally(() => fleet.endRun(runId)).catch(() => undefined);
      if (iterable || recorder) void running.result.then((result) => ended(loadedGraph, result));
      if (!recorder) return running;
      // The result settles once the run is in the store, so a caller can read it back at once.
      const recorded = running.result.then(recorder.finish, recorder.abandon);
      trackRecording(recorded);
      return { [Symbol.asyncIterator]: () => running[Symbol.asyncIterator](), result: recorded.then(() => running.result) };
    };
    /**
     * Starts a run whose result is all the caller wants, and settles with it once its end work is
     * done. Without a recorder its end work (`ended`) runs in the same step as the result.
     */
    const startResult = (loadedGraph: LoadedGraph, finish: () => void): Promise<RunResult> => {
      const running = start(loadedGraph, false);
      const failed = (error: unknown): never => {
        finish();
        throw error;
      };
      if (hasRecorder)
        return running.result.then((result) => {
          finish();
          return result;
        }, failed);
      // The run's end work and `finish` in one step: one promise a run, not two.
      return running.result.then((result) => {
        try {
          ended(loadedGraph, result);
        } finally {
          finish();
        }
        return result;
      }, failed);
    };
    return {
      prepared,
      start,
      startResult,
      done: () => {
        graphOfRun.delete(runId);
        unrecordedRuns.delete(runId);
      },
    };
  };

  const stream = (input: unknown, runOptions: RunOptions = {}): RunStream => {
    const { prepared, start, done } = begin(input, runOptions);
    return lazyStream(Promise.resolve(prepared), (loadedGraph) => start(loadedGraph, true), done);
  };

  // With OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) set, every run's spans go out over OTLP/HTTP.
  let exporter: OtlpTraceExporter | undefined;
  let exporterTried = false;
  const traceExporter = (): OtlpTraceExporter | undefined => {
    if (exporterTried) return exporter;
    exporterTried = true;
    exporter = createOtlpTraceExporter({
      env: options.env ?? process.env,
      onError: (error) => warn(`run traces are not exported: ${error.message}`),
    });
    return exporter;
  };

  const runtime: Runtime = {
    config,
    configFile: loaded.file,
    get tools() {
      return getTools().tools;
    },
    loadGraph,
    checkGraph,
    registry,
    resolveModel,
    run(input, runOptions = {}) {
      // The run goes on by itself; events go to onEvent. No event stream to iterate: no queue, no
      // generator; and a run that need not wait for its graph or backend starts at once.
      let begun: ReturnType<typeof begin>;
      try {
        begun = begin(input, runOptions);
      } catch (error) {
        return Promise.reject(error);
      }
      const { prepared, startResult, done } = begun;
      // `done` runs once the run has settled, or at once when it could not start.
      if (!(prepared instanceof Promise)) {
        try {
          return startResult(prepared, done);
        } catch (error) {
          done();
          return Promise.reject(error);
        }
      }
      const started = (loadedGraph: LoadedGraph): Promise<RunResult> => {
        try {
          return startResult(loadedGraph, done);
        } catch (error) {
          done();
          return Promise.reject(error);
        }
      };
      return prepared.then(started, (error: unknown) => {
        done();
        throw error;
      });
    },
    stream,
    backend: chooseBackend,
    provider: ((kind: "ollama" | "llama" | "openai") => {
      ensureOpen();
      let provider = providers.get(kind);
      if (!provider) {
        provider = createProvider(kind, config);
        providers.set(kind, provider);
      }
      return provider;
    }) as Runtime["provider"],
    async router(loadedGraph, { fastOnly = false } = {}) {
      ensureOpen();
      const node = loadedGraph.graph.nodeList.find((candidate) => candidate.kind === "router");
      if (!node)
        throw new TinyLLMError({
          code: "INVALID_ARGUMENT",
          message: `graph '${loadedGraph.graph.id}' has no router node`,
          hint: "pass a graph with a node of kind router",
        });
      const routerConfig = node.config as RouterConfig;
      const precedents = memory.precedents;
      if (fastOnly) return createHybridRouter({ ...routerConfig, llm: "never" }, { precedents });
      await chooseBackend().catch(() => undefined);
      return createHybridRouter(routerConfig, backend ? { resolveModel, precedents } : { precedents });
    },
    prompts(graphFile) {
      ensureOpen();
      return promptsFor(config.promptsDir ?? assetsFolderFor(graphFile ?? config.graph, "prompts"));
    },
    rubrics(graphFile) {
      ensureOpen();
      return rubricsFor(assetsFolderFor(graphFile ?? config.graph, "rubrics"));
    },
    codeRunners() {
      ensureOpen();
      const runtimeTools = getTools();
      return { javascript: runtimeTools.javascript, python: runtimeTools.python };
    },
    async grade(input, { judge = true, record: recordIt = true, abortSignal } = {}) {
      ensureOpen();
      const runtimeTools = getTools();
      const rubricSet = await runtime.rubrics();
      const lazyJudge = judge
        ? async (judgeInput: Parameters<ReturnType<typeof createJudge>>[0], judgeOptions: Parameters<ReturnType<typeof createJudge>>[1]) => {
            await chooseBackend();
            return createJudge({ resolveModel })(judgeInput, judgeOptions);
          }
        : undefined;
      const verdict = await gradeAnswer(input, {
        rubrics: rubricSet,
        runners: { javascript: runtimeTools.javascript, python: runtimeTools.python },
        calculator: runtimeTools.calculator,
        ...(lazyJudge ? { judge: lazyJudge } : {}),
        ...(abortSignal ? { abortSignal } : {}),
      });
      if (recordIt) {
        try {
          verdictStore()?.append(
            verdictRecordOf(verdict, {
              nodeId: "cli.grade",
              ...(input.route ? { route: input.route } : {}),
              ...(verdict.judge ? { model: verdict.judge.model } : {}),
              query: input.query,
              answer: input.answer,
            }),
          );
        } catch (error) {
          warn(`the verdict was not recorded: ${toTinyLLMError(error).message}`);
        }
      }
      return verdict;
    },
    verdictStore() {
      ensureOpen();
      return verdictStore();
    },
    runStore() {
      ensureOpen();
      return runStore();
    },
    sessionStore() {
      ensureOpen();
      return memory.sessionStore();
    },
    precedentIndex() {
      ensureOpen();
      return memory.precedentIndex();
    },
    memoryStore() {
      ensureOpen();
      return memory.memoryStore();
    },
    chat(message, chatOptions = {}) {
      ensureOpen();
      return chatTurn(runtime, message, chatOptions);
    },
    beginChatTurn(message, chatOptions = {}) {
      ensureOpen();
      return beginChatTurn({ memory, graphFor, message, options: chatOptions });
    },
    async close() {
      if (closed) return;
      closed = true;
      const chosen = backendPromise ? await backendPromise.catch(() => undefined) : undefined;
      await Promise.allSettled([chosen?.close(), tools?.close(), ...[...providers.values()].map((provider) => provider.close?.())]);
      store?.close();
      // Runs still going end once their backend is closed; their last writes go in before the store closes.
      await Promise.allSettled([...recording]);
      await runs?.close().catch(() => undefined);
      await memory.close();
      await exporter?.shutdown();
    },
  };
  return runtime;
}

/** True when a run's `graph` option is a graph already loaded (by `loadGraph` or `checkGraph`). */
function isLoadedGraph(graph: RunOptions["graph"]): graph is LoadedGraph {
  return graph !== undefined && typeof graph === "object" && "graph" in graph && "warnings" in graph;
}

/** `load()` once per key, shared by concurrent callers; a failed load is forgotten so the next call tries again. */
function cachedLoad<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let pending = cache.get(key);
  if (!pending) {
    pending = load().catch((error: unknown) => {
      cache.delete(key);
      throw error;
    });
    cache.set(key, pending);
  }
  return pending;
}

/** A run's result as a {@link RunStream} that is not meant to be iterated (its events went to `onEvent`). */
function resultOnly(result: Promise<RunResult>): RunStream {
  return new ResultOnlyStream(result);
}

/** {@link resultOnly}'s stream: one small object a run, its iterator on the prototype. */
class ResultOnlyStream implements RunStream {
  constructor(readonly result: Promise<RunResult>) {}

  [Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    throw new TinyLLMError({
      code: "INVALID_ARGUMENT",
      message: "this run was started with run(), not stream()",
      hint: "use runtime.stream() to iterate its events",
    });
  }
}
