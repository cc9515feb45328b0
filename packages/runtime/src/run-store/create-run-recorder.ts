import { toTinyLLMError, type RunBeginInput, type RunEvent, type RunResult, type RunStore, type TinyLLMError } from "@tinyllm/core";
import { runFinishOf } from "./run-finish-of";

/** Options of {@link createRunRecorder}. */
export interface RunRecorderOptions {
  store: RunStore;
  /** The run as it starts; the recorder begins it at once. */
  run: RunBeginInput;
  /** Called with the first write that fails; the run's later writes are dropped. */
  onFailure: (error: TinyLLMError) => void;
  /** How long events wait in the buffer before they are written, in ms. Default 200. */
  flushEveryMs?: number;
}

/** Records one run in a {@link RunStore} while it goes. */
export interface RunRecorder {
  /** Buffers an event; buffered events are written together within `flushEveryMs`. Cheap and synchronous. */
  event(event: RunEvent): void;
  /** Writes the buffered events, then how the run ended. Resolves when written; never rejects. */
  finish(result: RunResult): Promise<void>;
  /** Writes the buffered events and ends the run `failed` with `error` (a run that could not start or whose result was lost). Never rejects. */
  abandon(error: unknown): Promise<void>;
}

/**
 * Begins `run` in `store` and returns a recorder for its events and its end. Writes go to the
 * store one after another (begin, event batches, finish), off the run's path: a write that fails
 * is reported once through `onFailure` and never reaches the run.
 *
 * @internal
 */
export function createRunRecorder({ store, run, onFailure, flushEveryMs = 200 }: RunRecorderOptions): RunRecorder {
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  let buffer: RunEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = (work: () => Promise<void>): Promise<void> => {
    chain = chain.then(async () => {
      if (failed) return;
      try {
        await work();
      } catch (error) {
        failed = true;
        onFailure(toTinyLLMError(error));
      }
    });
    return chain;
  };
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    void write(() => store.appendEvents(run.id, batch));
  };
  void write(() => store.begin(run));
  return {
    event(event) {
      if (failed) return;
      buffer.push(event);
      timer ??= setTimeout(flush, flushEveryMs);
    },
    finish(result) {
      flush();
      return write(() => store.finish(run.id, runFinishOf(result, Date.now())));
    },
    abandon(error) {
      flush();
      const { code, message } = toTinyLLMError(error);
      const endedAtMs = Date.now();
      const trace = { version: 1 as const, runId: run.id, graphId: run.graphId, startedAt: new Date(run.startedAtMs).toISOString(), spans: [] };
      return write(() =>
        store.finish(run.id, { status: "failed", error: { code, message }, trace, endedAtMs, durationMs: Math.max(0, endedAtMs - run.startedAtMs) }),
      );
    },
  };
}
