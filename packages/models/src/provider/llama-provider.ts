/**
 * The embedded llama.cpp provider: runs GGUF models in-process through node-llama-cpp.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { readdir, stat } from "node:fs/promises";
import { basename, extname, isAbsolute, join, resolve, sep } from "node:path";
import type { ChatWrapper, Llama, LlamaContext, LlamaEmbeddingContext, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import type * as NodeLlamaCppModule from "node-llama-cpp";
import { TinyLLMError, mergeAbortSignals } from "@tinyllm/core";
import { AsyncQueue } from "./async-queue";
import { createAbortedError, createModelError, errorMessage, raceModelAbort, throwIfAborted } from "./model-error";
import { ModelErrorCode } from "./model-error-codes";
import { toLlamaJsonSchema } from "./to-llama-json-schema";
import { checkGgufMetadata } from "./check-gguf-metadata";
import { SequencePool } from "./sequence-pool";
import { toChatHistory, toFinishReason } from "./to-chat-history";
import type { ChatOptions, ChatResult, ChatStreamPart, ModelInfo, ModelProvider } from "@tinyllm/core";

type NodeLlamaCpp = typeof NodeLlamaCppModule;

/** Log levels of llama.cpp, quietest first. */
export type LlamaLogLevelName = "disabled" | "fatal" | "error" | "warn" | "info" | "log" | "debug";

/** Options of {@link createLlamaProvider}. */
export interface LlamaProviderOptions {
  /** Directory of `.gguf` files; `model` names (with or without `.gguf`) resolve here. */
  modelsDir?: string;
  /**
   * A default model file. Used when `model` is empty or equals its file name or stem, and
   * listed by `listModels`.
   */
  modelPath?: string;
  /** CPU threads per evaluation. Default `1` (safe on small shared machines). */
  threads?: number;
  /** Use a GPU when one is available (`gpu: "auto"` in node-llama-cpp). Default `false`. */
  gpu?: boolean;
  /** Context size in tokens. Default: the model's training size, at most 4096. */
  contextSize?: number;
  /** Parallel generations per model (context sequences). Default `1`; extra calls queue. */
  parallelSequences?: number;
  /**
   * How chat messages become a prompt. `"auto"` (default) uses the model's own chat template
   * when the GGUF has one and node-llama-cpp's `GeneralChatWrapper` otherwise; `"general"`
   * always uses `GeneralChatWrapper`.
   */
  chatWrapper?: "auto" | "general";
  /** llama.cpp log level. Default `"error"`. */
  logLevel?: LlamaLogLevelName;
  /**
   * Loads node-llama-cpp. Tests replace it to simulate a missing install.
   *
   * @internal
   */
  importNodeLlamaCpp?: () => Promise<NodeLlamaCpp>;
}

/** The embedded llama.cpp provider, a {@link ModelProvider} with `close()`. */
export interface LlamaProvider extends ModelProvider {
  readonly id: "llama";
  /** The models held in memory now, with when each finished loading (ms since the epoch). */
  loadedModels(): Promise<Array<{ path: string; sizeBytes: number; loadedAtMs: number }>>;
  /** Loads a model now (a file path or a name in the models folder), so the first call does not wait for it. */
  preload(model: string, options?: { abortSignal?: AbortSignal }): Promise<void>;
  /** Frees every loaded model once the calls in flight are done. The provider stays usable: the next call loads again. */
  unloadModels(): Promise<number>;
  close(): Promise<void>;
}

interface LoadedModel {
  path: string;
  loadedAtMs: number;
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  context?: Promise<LlamaContext>;
  sequences?: SequencePool;
  embedding?: Promise<LlamaEmbeddingContext>;
  embeddingLock: Promise<void>;
}

const providerName = "llama";
const defaultMaxContextSize = 4096;
const installHint = "install it with `pnpm add node-llama-cpp@3.21.1` (or npm i -E node-llama-cpp@3.21.1)";

/**
 * Creates the embedded llama.cpp provider. node-llama-cpp is an optional peer dependency,
 * imported on first use; without it every call throws `MODEL_UNAVAILABLE` with install
 * instructions. Models load once per file and stay loaded until {@link LlamaProvider.close}.
 *
 * `temperature` defaults to 0 (greedy); `seed` matters only with a temperature above 0.
 *
 * @example
 * ```ts
 * const provider = createLlamaProvider({ modelsDir: "./models", threads: 1 });
 * const result = await provider.chat({ model: "stories260K", messages: [{ role: "user", content: "Hi" }] });
 * await provider.close();
 * ```
 */
export function createLlamaProvider(options: LlamaProviderOptions = {}): LlamaProvider {
  // More threads than cores only thrash (a huge value hangs generation): cap at the machine's.
  const threads = Math.max(1, Math.min(options.threads ?? 1, availableParallelism()));
  const parallelSequences = Math.max(1, options.parallelSequences ?? 1);
  const closeController = new AbortController();
  const models = new Map<string, Promise<LoadedModel>>();
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const inFlight = new Set<Promise<unknown>>();
  let moduleLoad: Promise<NodeLlamaCpp> | undefined;
  let llamaLoad: Promise<Llama> | undefined;
  let closing: Promise<void> | undefined;

  function ensureOpen(): void {
    if (closeController.signal.aborted) {
      throw createModelError({
        code: ModelErrorCode.ModelUnavailable,
        message: "The llama provider is closed.",
        hint: "create a new provider with createLlamaProvider()",
      });
    }
  }

  function loadModule(): Promise<NodeLlamaCpp> {
    moduleLoad ??= (options.importNodeLlamaCpp ?? (() => import("node-llama-cpp")))().catch((error: unknown) => {
      moduleLoad = undefined;
      throw createModelError({
        code: ModelErrorCode.ModelUnavailable,
        message: `node-llama-cpp is not installed or failed to load: ${errorMessage(error)}`,
        hint: installHint,
        cause: error,
      });
    });
    return moduleLoad;
  }

  function loadLlama(): Promise<Llama> {
    llamaLoad ??= (async () => {
      const module = await loadModule();
      try {
        return await module.getLlama({
          gpu: options.gpu ? "auto" : false,
          build: "never",
          logLevel: module.LlamaLogLevel[options.logLevel ?? "error"],
        });
      } catch (error) {
        throw createModelError({
          code: ModelErrorCode.ModelUnavailable,
          message: `node-llama-cpp has no usable llama.cpp binary for this machine: ${errorMessage(error)}`,
          hint: `reinstall node-llama-cpp so its prebuilt binary is present (${installHint}), or build it with \`npx --no node-llama-cpp source download\``,
          cause: error,
        });
      }
    })();
    llamaLoad.catch(() => {
      llamaLoad = undefined;
    });
    return llamaLoad;
  }

  async function resolveModelPath(model: string): Promise<string> {
    const candidates: string[] = [];
    const name = model.trim();
    if (name === "" && options.modelPath) return resolve(options.modelPath);
    if (options.modelPath) {
      const file = basename(options.modelPath);
      if (name === file || name === stem(file) || resolve(name) === resolve(options.modelPath)) {
        return resolve(options.modelPath);
      }
    }
    if (isAbsolute(name) || name.includes("/") || name.includes(sep)) candidates.push(resolve(name));
    if (options.modelsDir) {
      candidates.push(join(options.modelsDir, name));
      if (extname(name).toLowerCase() !== ".gguf") candidates.push(join(options.modelsDir, `${name}.gguf`));
    }
    if (candidates.length === 0 && name.toLowerCase().endsWith(".gguf")) candidates.push(resolve(name));
    for (const candidate of candidates) {
      if (await isFile(candidate)) return resolve(candidate);
    }
    const available = (await listModelInfos()).map((info) => info.name);
    throw createModelError({
      code: ModelErrorCode.ModelNotFound,
      message: `Model "${model}" not found${options.modelsDir ? ` in ${options.modelsDir}` : ""}.`,
      hint:
        available.length > 0
          ? `use one of: ${available.join(", ")}; or pass the path of a .gguf file`
          : "pass the path of a .gguf file, or set modelsDir to a directory of .gguf files",
    });
  }

  function loadModel(path: string): Promise<LoadedModel> {
    let pending = models.get(path);
    if (!pending) {
      pending = (async (): Promise<LoadedModel> => {
        const module = await loadModule();
        await checkGgufMetadata({ module, path });
        const llama = await loadLlama();
        let model: LlamaModel;
        try {
          model = await llama.loadModel({ modelPath: path, gpuLayers: options.gpu ? "auto" : 0 });
        } catch (error) {
          throw createModelError({
            code: ModelErrorCode.ModelLoadFailed,
            message: `llama.cpp could not load ${path}: ${errorMessage(error)}`,
            hint: "check that the file is a complete GGUF model for an architecture this llama.cpp supports",
            cause: error,
          });
        }
        const hasTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === "string";
        const chatWrapper: ChatWrapper = options.chatWrapper !== "general" && hasTemplate ? module.resolveChatWrapper(model) : new module.GeneralChatWrapper();
        return { path, model, chatWrapper, embeddingLock: Promise.resolve(), loadedAtMs: Date.now() };
      })();
      models.set(path, pending);
      pending.catch(() => {
        if (models.get(path) === pending) models.delete(path);
      });
    }
    return pending;
  }

  function getSequences(loaded: LoadedModel): Promise<SequencePool> {
    loaded.context ??= loaded.model
      .createContext({
        threads,
        sequences: parallelSequences,
        contextSize: options.contextSize ?? { max: Math.min(defaultMaxContextSize, loaded.model.trainContextSize) },
      })
      .catch((error: unknown) => {
        loaded.context = undefined;
        throw createModelError({
          code: ModelErrorCode.ModelLoadFailed,
          message: `Could not create a context for ${loaded.path}: ${errorMessage(error)}`,
          hint: "lower contextSize or parallelSequences, or free memory",
          cause: error,
        });
      });
    return loaded.context.then((context) => {
      loaded.sequences ??= new SequencePool(Array.from({ length: parallelSequences }, () => context.getSequence()));
      return loaded.sequences;
    });
  }

  function getGrammar(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = grammars.get(key);
    if (!grammar) {
      grammar = loadLlama().then(async (llama) => {
        try {
          return await llama.createGrammarForJsonSchema(toLlamaJsonSchema(schema) as never);
        } catch (error) {
          throw createModelError({
            code: ModelErrorCode.ModelRequestFailed,
            message: `llama.cpp cannot turn this JSON schema into a grammar: ${errorMessage(error)}`,
            hint: "use a simpler schema (objects, arrays, strings, numbers, booleans, enums)",
            cause: error,
          });
        }
      });
      grammars.set(key, grammar);
      grammar.catch(() => grammars.delete(key));
    }
    return grammar;
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    const forget = (): void => {
      inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  async function generate(chat: ChatOptions, onDelta?: (text: string) => void): Promise<ChatResult> {
    const started = performance.now();
    const { abortSignal } = chat;
    throwIfAborted({ abortSignal, provider: providerName });
    ensureOpen();
    const signal = anySignal([abortSignal, closeController.signal]);
    const module = await raceModelAbort({ promise: loadModule(), abortSignal: signal, provider: providerName });
    const path = await raceModelAbort({ promise: resolveModelPath(chat.model), abortSignal: signal, provider: providerName });
    const loaded = await raceModelAbort({ promise: loadModel(path), abortSignal: signal, provider: providerName });
    const pool = await raceModelAbort({ promise: getSequences(loaded), abortSignal: signal, provider: providerName });
    const grammar = chat.jsonSchema ? await raceModelAbort({ promise: getGrammar(chat.jsonSchema), abortSignal: signal, provider: providerName }) : undefined;
    const sequence = await pool.acquire({ abortSignal: signal });
    const session = new module.LlamaChat({ contextSequence: sequence, chatWrapper: loaded.chatWrapper });
    try {
      const history = toChatHistory(chat);
      const inputTokens = loaded.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(loaded.model.tokenizer).length;
      const contextSize = sequence.contextSize;
      if (inputTokens >= contextSize) {
        throw createModelError({
          code: ModelErrorCode.ModelRequestFailed,
          message: `the prompt is ${inputTokens} tokens, and ${chat.model} has a context of ${contextSize} tokens`,
          hint: "shorten the query, or raise llama.contextSize (up to the model's training context)",
        });
      }
      let outputTokens = 0;
      let firstTokenAt: number | undefined;
      const response = await session.generateResponse(history, {
        signal,
        maxTokens: chat.maxTokens,
        temperature: chat.temperature,
        topP: chat.topP,
        seed: chat.seed,
        customStopTriggers: chat.stop?.filter((trigger) => trigger.length > 0),
        grammar,
        onToken: (tokens) => {
          firstTokenAt ??= performance.now();
          outputTokens += tokens.length;
        },
        onTextChunk: onDelta,
      });
      throwIfAborted({ abortSignal: signal, provider: providerName });
      return {
        text: response.response,
        model: chat.model,
        usage: { inputTokens, outputTokens },
        finishReason: toFinishReason(response.metadata.stopReason),
        durationMs: performance.now() - started,
        ...(firstTokenAt !== undefined ? { timeToFirstTokenMs: firstTokenAt - started } : {}),
      };
    } catch (error) {
      if (signal.aborted) {
        throw TinyLLMError.isInstance(error) && error.code === ModelErrorCode.ModelAborted
          ? error
          : createAbortedError({ provider: providerName, cause: error });
      }
      if (TinyLLMError.isInstance(error)) throw error;
      throw createModelError({
        code: ModelErrorCode.ModelRequestFailed,
        message: `llama.cpp generation failed for ${chat.model}: ${errorMessage(error)}`,
        cause: error,
      });
    } finally {
      session.dispose({ disposeSequence: false });
      pool.release(sequence);
    }
  }

  /** Waits for the calls in flight, then frees every loaded model. Returns how many it freed. */
  async function freeLoadedModels(): Promise<number> {
    await Promise.allSettled([...inFlight]);
    const loadedModels = await Promise.allSettled([...models.values()]);
    models.clear();
    let count = 0;
    for (const entry of loadedModels) {
      if (entry.status !== "fulfilled") continue;
      const loaded = entry.value;
      const [embedding, context] = await Promise.allSettled([loaded.embedding, loaded.context]);
      if (embedding.status === "fulfilled" && embedding.value) await embedding.value.dispose();
      if (context.status === "fulfilled" && context.value) await context.value.dispose();
      await loaded.model.dispose();
      count++;
    }
    return count;
  }

  async function listModelInfos(): Promise<ModelInfo[]> {
    const infos = new Map<string, ModelInfo>();
    const add = async (path: string): Promise<void> => {
      try {
        const stats = await stat(path);
        if (!stats.isFile()) return;
        const name = basename(path);
        if (!infos.has(name)) infos.set(name, { name, sizeBytes: stats.size });
      } catch {
        // A file that vanished between readdir and stat is simply not listed.
      }
    };
    if (options.modelPath) await add(resolve(options.modelPath));
    if (options.modelsDir) {
      let entries: string[] = [];
      try {
        entries = await readdir(options.modelsDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
          throw createModelError({
            code: ModelErrorCode.ModelRequestFailed,
            message: `Cannot read modelsDir ${options.modelsDir}: ${errorMessage(error)}`,
            cause: error,
          });
        }
      }
      for (const entry of entries.sort()) {
        if (entry.toLowerCase().endsWith(".gguf")) await add(join(options.modelsDir, entry));
      }
    }
    return [...infos.values()];
  }

  async function addFamilies(infos: ModelInfo[]): Promise<ModelInfo[]> {
    let module: NodeLlamaCpp;
    try {
      module = await loadModule();
    } catch {
      return infos;
    }
    const paths = new Map<string, string>();
    if (options.modelPath) paths.set(basename(options.modelPath), resolve(options.modelPath));
    for (const info of infos) {
      const path = paths.get(info.name) ?? (options.modelsDir ? join(options.modelsDir, info.name) : undefined);
      if (!path) continue;
      try {
        const fileInfo = await module.readGgufFileInfo(path, { readTensorInfo: false, logWarnings: false });
        const architecture = fileInfo.metadata.general?.architecture;
        if (typeof architecture === "string") info.family = architecture;
        const sizeLabel = fileInfo.metadata.general?.size_label;
        if (typeof sizeLabel === "string") info.parameterSize = sizeLabel;
      } catch {
        // Not a readable GGUF: list it without details; loading it reports the problem.
      }
    }
    return infos;
  }

  const provider: LlamaProvider = {
    specificationVersion: "v1",
    id: "llama",
    capabilities: { nativeToolCalls: false, jsonSchema: true, embeddings: true, streaming: true },

    chat(chat) {
      return track(generate(chat));
    },

    async countTokens(chat) {
      throwIfAborted({ abortSignal: chat.abortSignal, provider: providerName });
      ensureOpen();
      const signal = anySignal([chat.abortSignal, closeController.signal]);
      const path = await raceModelAbort({ promise: resolveModelPath(chat.model), abortSignal: signal, provider: providerName });
      const loaded = await raceModelAbort({ promise: loadModel(path), abortSignal: signal, provider: providerName });
      const context = await raceModelAbort({ promise: getSequences(loaded).then(() => loaded.context!), abortSignal: signal, provider: providerName });
      const inputTokens = loaded.chatWrapper.generateContextState({ chatHistory: toChatHistory(chat) }).contextText.tokenize(loaded.model.tokenizer).length;
      return { inputTokens, contextTokens: context.contextSize };
    },

    async loadedModels() {
      const settled = await Promise.allSettled([...models.values()]);
      return settled.flatMap((entry) =>
        entry.status === "fulfilled" ? [{ path: entry.value.path, sizeBytes: entry.value.model.size, loadedAtMs: entry.value.loadedAtMs }] : [],
      );
    },

    async *streamChat(chat) {
      const queue = new AsyncQueue<string>();
      const consumerGone = new AbortController();
      const signal = anySignal([chat.abortSignal, consumerGone.signal]);
      const pending = track(generate({ ...chat, abortSignal: signal }, (text) => queue.push(text)));
      pending.then(
        () => queue.end(),
        (error: unknown) => queue.fail(error),
      );
      let finished = false;
      try {
        let streamed = "";
        for await (const text of queue) {
          if (text.length === 0) continue;
          streamed += text;
          yield { type: "text-delta", text } satisfies ChatStreamPart;
        }
        const result = await pending;
        // The finish text is exactly the concatenated deltas.
        let text = streamed;
        if (result.text !== streamed && result.text.startsWith(streamed)) {
          text = result.text;
          yield { type: "text-delta", text: result.text.slice(streamed.length) } satisfies ChatStreamPart;
        }
        finished = true;
        yield { type: "finish", result: { ...result, text } } satisfies ChatStreamPart;
      } finally {
        if (!finished) {
          consumerGone.abort(new Error("stream consumer stopped reading"));
          await pending.catch(() => undefined);
        }
      }
    },

    async embed({ model, input, abortSignal }) {
      throwIfAborted({ abortSignal, provider: providerName });
      ensureOpen();
      const work = (async () => {
        const signal = anySignal([abortSignal, closeController.signal]);
        const path = await raceModelAbort({ promise: resolveModelPath(model), abortSignal: signal, provider: providerName });
        const loaded = await raceModelAbort({ promise: loadModel(path), abortSignal: signal, provider: providerName });
        if (input.length === 0) return { embeddings: [], model };
        loaded.embedding ??= loaded.model
          .createEmbeddingContext({
            threads,
            contextSize: options.contextSize ?? {
              max: Math.min(defaultMaxContextSize, loaded.model.trainContextSize),
            },
          })
          .catch((error: unknown) => {
            loaded.embedding = undefined;
            throw createModelError({
              code: ModelErrorCode.ModelLoadFailed,
              message: `Could not create an embedding context for ${path}: ${errorMessage(error)}`,
              cause: error,
            });
          });
        const context = await raceModelAbort({ promise: loaded.embedding, abortSignal: signal, provider: providerName });
        // One embedding evaluation at a time per model. The next caller waits for both the
        // previous holder and this call, even when this call gives up early.
        const previous = loaded.embeddingLock;
        let unlock!: () => void;
        const mine = new Promise<void>((resolveLock) => {
          unlock = resolveLock;
        });
        loaded.embeddingLock = previous.then(() => mine);
        try {
          await raceModelAbort({ promise: previous, abortSignal: signal, provider: providerName });
          const embeddings: number[][] = [];
          for (const text of input) {
            throwIfAborted({ abortSignal: signal, provider: providerName });
            try {
              embeddings.push([...(await context.getEmbeddingFor(text)).vector]);
            } catch (error) {
              throw createModelError({
                code: ModelErrorCode.ModelRequestFailed,
                message: `llama.cpp embedding failed for ${model}: ${errorMessage(error)}`,
                hint: "inputs must fit in the context; split long texts",
                cause: error,
              });
            }
          }
          throwIfAborted({ abortSignal: signal, provider: providerName });
          return { embeddings, model };
        } finally {
          unlock();
        }
      })();
      return track(work);
    },

    async listModels({ abortSignal } = {}) {
      throwIfAborted({ abortSignal, provider: providerName });
      return addFamilies(await listModelInfos());
    },

    async preload(model, { abortSignal } = {}) {
      throwIfAborted({ abortSignal, provider: providerName });
      ensureOpen();
      const signal = anySignal([abortSignal, closeController.signal]);
      const path = await raceModelAbort({ promise: resolveModelPath(model), abortSignal: signal, provider: providerName });
      await raceModelAbort({ promise: loadModel(path), abortSignal: signal, provider: providerName });
    },

    unloadModels() {
      return freeLoadedModels();
    },

    close() {
      closing ??= (async () => {
        closeController.abort(new Error("llama provider closed"));
        await freeLoadedModels();
        grammars.clear();
        const llama = await llamaLoad?.catch(() => undefined);
        await llama?.dispose();
      })();
      return closing;
    },
  };
  return provider;
}

function anySignal(signals: Array<AbortSignal | undefined>): AbortSignal {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return mergeAbortSignals(...present) ?? new AbortController().signal;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function stem(file: string): string {
  return extname(file).toLowerCase() === ".gguf" ? file.slice(0, -".gguf".length) : file;
}
