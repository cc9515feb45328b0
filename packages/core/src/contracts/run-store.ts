import type { RunEvent } from "../events/run-event";
import type { RunError } from "../executor/run-result";
import type { SpanTokens } from "../trace/span";
import type { TraceJSON } from "../trace/trace";

/**
 * Where a recorded run stands: `running` until it is finished, then how it ended. `interrupted`
 * marks a run whose process went away before it could finish it (see
 * {@link RunStore.markInterrupted}).
 */
export type RunRecordStatus = "running" | "ok" | "failed" | "timeout" | "cancelled" | "interrupted";

/** The gate's verdict on a run's answer, as a run record keeps it (from the run state's `verdict`). */
export interface RunRecordVerdict {
  /** Whether the answer passed. */
  pass: boolean;
  /** The score in [0, 1], or `null` when no check could score the answer. */
  score: number | null;
  /** Which check decided (e.g. `math.calculator`, `judge`), or `null` when none could. */
  decidedBy: string | null;
}

/** What {@link RunStore.begin} takes: a run as it starts. */
export interface RunBeginInput {
  /** The run id (the runtime's `runId`): unique in the store. */
  id: string;
  /** The graph that runs. */
  graphId: string;
  /** The graph's version, when it has one. */
  graphVersion?: string;
  /** The run's input, as given. Stored as JSON; values JSON cannot hold are replaced, huge values capped. */
  input: unknown;
  /** Free text saying where the run came from, e.g. `cli`, `api/chat`, `v1/chat/completions`, `v1/runs`. */
  source?: string;
  /** When the run started, in ms since the Unix epoch. */
  startedAtMs: number;
  /** Who started the run, e.g. the name of an API key or `anonymous`. A label, never a secret. */
  key?: string;
}

/** What {@link RunStore.finish} takes: how a run ended. */
export interface RunFinishInput {
  /** How the run ended. */
  status: Exclude<RunRecordStatus, "running">;
  /** The run's answer (the `RunResult`'s `output`). */
  output?: unknown;
  /** Why it failed, when it did. */
  error?: RunError;
  /** The run's trace (the `RunResult`'s `trace`, with its spans). */
  trace: TraceJSON;
  /** The route the router chose (the run state's `route`). */
  route?: string;
  /** The gate's last verdict (the run state's `verdict`). */
  verdict?: RunRecordVerdict;
  /** Tokens the run's model calls read and wrote, summed over its spans. */
  tokens?: SpanTokens;
  /** When the run ended, in ms since the Unix epoch. */
  endedAtMs: number;
  /** How long it took, in ms. */
  durationMs: number;
}

/** One run in a {@link RunStore.list}: what a table of runs shows. */
export interface RunSummary {
  id: string;
  graphId: string;
  /** Where the run came from, when that was recorded. */
  source?: string;
  status: RunRecordStatus;
  /** When the run started, in ms since the Unix epoch. */
  startedAtMs: number;
  /** How long it took, once it has ended. */
  durationMs?: number;
  /** The route the router chose, when there was one. */
  route?: string;
  /** Whether the gate passed the answer; `null` when the run has no verdict. */
  verdictPass: boolean | null;
  /** Tokens read and written, once the run has ended. */
  tokens?: SpanTokens;
  /** The start of the input as one line of text, at most 200 characters. */
  inputPreview: string;
}

/** A whole recorded run: what it started with and, once it has ended, how it ended. */
export interface RunRecord {
  id: string;
  graphId: string;
  graphVersion?: string;
  source?: string;
  key?: string;
  status: RunRecordStatus;
  /** The input as stored (capped when it was huge; see {@link RunBeginInput.input}). */
  input: unknown;
  /** When the run started, in ms since the Unix epoch. */
  startedAtMs: number;
  /** When it ended (or was marked `interrupted`), in ms since the Unix epoch. */
  endedAtMs?: number;
  durationMs?: number;
  output?: unknown;
  error?: RunError;
  /** The trace, once the run has ended. */
  trace?: TraceJSON;
  route?: string;
  verdict?: RunRecordVerdict;
  tokens?: SpanTokens;
  /** How many events were appended (the highest sequence number). */
  eventCount: number;
}

/** One stored event with its sequence number. */
export interface NumberedRunEvent {
  /** 1 for a run's first event, then 2, 3, …: what SSE `Last-Event-ID` resumes from. */
  seq: number;
  event: RunEvent;
}

/** Options of {@link RunStore.events}. */
export interface RunEventsOptions {
  /** Only events after this sequence number. Default 0 (from the first). */
  afterSeq?: number;
  /** At most this many events. Default: all. */
  limit?: number;
}

/** Options of {@link RunStore.list}. */
export interface RunListOptions {
  /** At most this many runs. Default 50, at most 1000. */
  limit?: number;
  /** Only runs that started before this time (ms since the Unix epoch): the next page after a run's `startedAtMs`. */
  beforeMs?: number;
  /** Only runs with this status. */
  status?: RunRecordStatus;
  /** Only runs of this graph. */
  graphId?: string;
}

/**
 * A durable record of runs: how each started and ended, its numbered events and its trace. The
 * runtime records every run it makes in one (see `openRunStore` in `@tinyllm/runtime` for the
 * SQLite store; every backend passes `runStoreConformance` from `@tinyllm/runtime/testing`).
 *
 * Every method is async. Errors are `TinyLLMError`s: `INVALID_ARGUMENT` for bad arguments,
 * `RUN_NOT_FOUND` for a run the store does not have, `RUN_STORE_CONFLICT` for a run that already
 * exists or has already ended, `RUN_STORE_FAILED` when the store cannot do its work (closed,
 * locked, disk full).
 */
export interface RunStore {
  /** Records a run as `running`. Throws `RUN_STORE_CONFLICT` when the store already has a run with this id. */
  begin(run: RunBeginInput): Promise<void>;
  /**
   * Appends events to a run, numbered on from its last one (the first event of a run is 1), all
   * in one write. Values JSON cannot hold are replaced; an event too large to keep whole is kept as
   * its `type`, `runId`, `timeMs` and a `preview`. Throws `RUN_NOT_FOUND` for an unknown run and
   * `RUN_STORE_CONFLICT` for one that has ended (`interrupted` runs still take events).
   */
  appendEvents(id: string, events: RunEvent[]): Promise<void>;
  /**
   * Records how a run ended. Throws `RUN_NOT_FOUND` for an unknown run and `RUN_STORE_CONFLICT`
   * for one that has already ended (`interrupted` runs may still be finished).
   */
  finish(id: string, end: RunFinishInput): Promise<void>;
  /** The whole run, with its trace once it has ended, or undefined when the store has no such run. */
  get(id: string): Promise<RunRecord | undefined>;
  /** A run's events in order, after `afterSeq`; empty for an unknown run. */
  events(id: string, options?: RunEventsOptions): Promise<NumberedRunEvent[]>;
  /** Runs newest first (by `startedAtMs`). */
  list(options?: RunListOptions): Promise<RunSummary[]>;
  /**
   * Marks `interrupted` every `running` run whose process is gone (it died before finishing
   * them), and returns how many. Stores call it when they open. A backend that cannot tell whether
   * a process is alive marks every `running` run not begun through this store object.
   */
  markInterrupted(): Promise<number>;
  /** Closes the store. Calling it again does nothing; any other call afterwards throws `RUN_STORE_FAILED`. */
  close(): Promise<void>;
}
