/**
 * Whose a long-term memory is: a `user`'s (recalled in all their sessions), one `session`'s, or
 * a `graph`'s (recalled by every run of it).
 */
export type MemoryScope = "user" | "session" | "graph";

/** One long-term memory: a fact, in one sentence or a few. */
export interface Memory {
  id: string;
  text: string;
  scope: MemoryScope;
  /** The user, session or graph id the scope refers to. */
  owner: string;
  /** Where it came from, e.g. `chat`, `remember`, `cli`, `import`. */
  source?: string;
  createdAtMs: number;
  updatedAtMs: number;
}

/** What {@link MemoryStore.add} takes. */
export interface MemoryInput {
  text: string;
  scope: MemoryScope;
  owner: string;
  source?: string;
}

/** One recalled memory with its fused score (higher is more relevant). */
export interface MemoryHit extends Memory {
  score: number;
}

/** Which memories a search or listing looks at: any of these scopes and owners. */
export interface MemoryFilter {
  /** Each entry selects one scope and owner; none selects all memories. */
  scopes?: { scope: MemoryScope; owner: string }[];
}

/** Options of {@link MemoryStore.search}. */
export interface MemorySearchOptions extends MemoryFilter {
  /** How many to return; default 5. */
  k?: number;
  abortSignal?: AbortSignal;
}

/**
 * Turns texts into vectors for recall by meaning. Which embedder wrote a vector is stored with
 * it (`id`), so vectors of different embedders are never compared.
 */
export interface Embedder {
  /** Names the embedding space, e.g. `ollama:nomic-embed-text`. Vectors are compared only within one id. */
  readonly id: string;
  /** Length of its vectors, once known (after the first call). */
  readonly dimensions?: number;
  embed(texts: string[], options?: { abortSignal?: AbortSignal }): Promise<number[][]>;
}

/**
 * Long-term memory: facts kept across sessions and recalled by relevance. The embedded default
 * is SQLite with sqlite-vec vectors fused with BM25 (`@tinyllm/memory`'s `openMemoryStore`);
 * recall works without an embedder, lexically. Every implementation passes the conformance
 * suite in `@tinyllm/memory/testing`.
 */
export interface MemoryStore {
  add(input: MemoryInput): Promise<Memory>;
  /** Replaces a memory's text (and re-embeds it). Resolves `undefined` for an unknown id. */
  update(id: string, text: string): Promise<Memory | undefined>;
  get(id: string): Promise<Memory | undefined>;
  /** Deletes it, vector included. Resolves `false` when there was none. */
  forget(id: string): Promise<boolean>;
  /** The memories most relevant to `query`, best first. */
  search(query: string, options?: MemorySearchOptions): Promise<MemoryHit[]>;
  /** Memories, newest first. */
  list(options?: MemoryFilter & { limit?: number }): Promise<Memory[]>;
  /** Deletes every memory of the filter (all when none), vectors included; resolves how many. */
  wipe(filter?: MemoryFilter): Promise<number>;
  close(): Promise<void>;
}
