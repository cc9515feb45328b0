import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import MiniSearch from "minisearch";
import { CoreErrorCode, TinyLLMError } from "@tinyllm/core";
import { decodeTextFile } from "./decode-text-file";
import { makeSnippet } from "./make-snippet";
import { raceSearchAbort, toAbortError } from "./to-abort-error";
import { requireQuery } from "./require-query";
import { resolveLimit } from "./resolve-limit";
import { SearchErrorCode } from "./search-error-codes";
import type { SearchOptions, SearchProvider, SearchResult } from "./search-result";
import { splitPassages } from "./split-passages";
import { normalizeSearchTerm, tokenizeSearchText } from "./tokenize-search-text";
import { walkTextFiles } from "./walk-text-files";

/** Options of {@link createLocalSearch}. */
export interface LocalSearchOptions {
  /** The folder to search, absolute or relative to the working directory. */
  dir: string;
  /** File extensions to index, case-insensitive. Default `.md`, `.markdown`, `.txt`. */
  extensions?: readonly string[];
  /** Larger files are skipped. Default 2 MiB. */
  maxFileBytes?: number;
  /** Most files to index; the rest are skipped and `stats().truncated` is set. Default 10,000. */
  maxFiles?: number;
}

/** What the current index holds. */
export interface LocalSearchStats {
  /** The searched folder, absolute and resolved. */
  dir: string;
  /** Files indexed. */
  files: number;
  /** Passages indexed (search results point at passages). */
  passages: number;
  /** Distinct terms in the index. */
  terms: number;
  /** Bytes of text read. */
  bytes: number;
  /** Files and links left out, by reason. */
  skipped: { binary: number; oversized: number; outside: number; unreadable: number };
  /** True when the folder holds more than `maxFiles` matching files. */
  truncated: boolean;
  /** How long the last build took, in milliseconds. */
  buildMs: number;
  /** When the last build finished. */
  builtAt: Date;
}

/** A {@link SearchProvider} over a folder of text and markdown files. */
export interface LocalSearch extends SearchProvider {
  /** Statistics of the index; builds it first if no search has yet. */
  stats(): Promise<LocalSearchStats>;
  /** Reads the folder again and replaces the index (the index never refreshes by itself). */
  refresh(): Promise<LocalSearchStats>;
}

/** Most results one search may ask for. */
const MAX_LIMIT = 50;
/** Query words beyond this are ignored; long prose queries only get slower, not better. */
const MAX_QUERY_TERMS = 32;
/** Files read at the same time while indexing. */
const READ_CONCURRENCY = 8;
const MARKDOWN_EXTENSIONS = new Set([".md", ".markdown", ".mdx"]);

interface IndexedPassage {
  id: number;
  title: string;
  /** Headings above the passage and the file path, as searchable context. */
  context: string;
  text: string;
  source: string;
}

interface BuiltIndex {
  miniSearch: MiniSearch<IndexedPassage>;
  passages: IndexedPassage[];
  stats: LocalSearchStats;
}

/**
 * Full-text search over a folder of markdown and text files, ranked with BM25+ (MiniSearch).
 * Files are split into passages of a few hundred characters that never cross a heading, so
 * each result points at one place: its `title` is the nearest heading (or the file name), its
 * `snippet` the text around the best match, its `source` the path relative to `dir` plus
 * `#L<line>`. Queries match exact words, prefixes (`config` → `configuration`) and, for longer
 * words, typos (`instalation`).
 *
 * The index is built on the first search (or `stats()`) and reused; call `refresh()` after
 * the files change. `node_modules`, dot-folders, binary files, files over `maxFileBytes` and
 * links out of the folder are skipped.
 *
 * Errors: `SEARCH_SOURCE_MISSING` when `dir` does not exist or is not a folder,
 * `SEARCH_QUERY_INVALID` for an empty query or a bad `limit`.
 *
 * @example
 * ```ts
 * const docs = createLocalSearch({ dir: "./docs" });
 * const [best] = await docs.search("configure timeouts", { limit: 3 });
 * // best → { title: "Timeouts", snippet: "…set timeoutMs on a node…", source: "guide/config.md#L42", score: 7.1 }
 * ```
 */
export function createLocalSearch({
  dir,
  extensions = [".md", ".markdown", ".txt"],
  maxFileBytes = 2 * 1024 * 1024,
  maxFiles = 10_000,
}: LocalSearchOptions): LocalSearch {
  if (typeof dir !== "string" || !dir.trim())
    throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: "createLocalSearch needs a folder path in `dir`" });
  if (!Number.isFinite(maxFileBytes) || maxFileBytes <= 0)
    throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: `maxFileBytes must be a positive number, got ${maxFileBytes}` });
  if (!Number.isInteger(maxFiles) || maxFiles <= 0)
    throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: `maxFiles must be a positive integer, got ${maxFiles}` });
  const extensionSet = new Set(extensions.map((ext) => (ext.startsWith(".") ? ext : `.${ext}`).toLowerCase()));
  if (extensionSet.size === 0) throw new TinyLLMError({ code: CoreErrorCode.InvalidArgument, message: "extensions must list at least one file extension" });
  const absolute = path.resolve(dir);
  let current: Promise<BuiltIndex> | undefined;

  const rebuild = () => {
    const building = buildIndex(dir, absolute, extensionSet, maxFileBytes, maxFiles);
    current = building;
    // A failed build is forgotten, so the next call tries again.
    building.catch(() => {
      if (current === building) current = undefined;
    });
    return building;
  };
  const ready = () => current ?? rebuild();

  return {
    async search(query: string, { limit, abortSignal }: SearchOptions = {}): Promise<SearchResult[]> {
      if (abortSignal?.aborted) throw toAbortError(abortSignal);
      const text = requireQuery(query);
      const count = resolveLimit(limit, MAX_LIMIT);
      if (tokenizeSearchText(text).length === 0) {
        throw new TinyLLMError({
          code: SearchErrorCode.SearchQueryInvalid,
          message: `the search query has no words: ${JSON.stringify(text)}`,
          hint: 'use letters or digits, e.g. "retry policy"',
        });
      }
      const { miniSearch, passages } = await raceSearchAbort(ready(), abortSignal);
      return miniSearch
        .search(text)
        .slice(0, count)
        .flatMap((hit) => {
          const passage = passages[hit.id as number];
          if (!passage) return [];
          return [{ title: passage.title, snippet: makeSnippet(passage.text, hit.terms), source: passage.source, score: Math.round(hit.score * 1000) / 1000 }];
        });
    },
    stats: async () => (await ready()).stats,
    refresh: async () => (await rebuild()).stats,
  };
}

async function buildIndex(given: string, absolute: string, extensions: ReadonlySet<string>, maxFileBytes: number, maxFiles: number): Promise<BuiltIndex> {
  const started = performance.now();
  const root = await resolveFolder(given, absolute);
  const walk = await walkTextFiles(root, { extensions, maxFileBytes, maxFiles });
  const miniSearch = new MiniSearch<IndexedPassage>({
    fields: ["title", "context", "text"],
    tokenize: tokenizeSearchText,
    processTerm: normalizeSearchTerm,
    searchOptions: {
      boost: { title: 2, context: 0.75, text: 1 },
      tokenize: (query) => tokenizeSearchText(query).slice(0, MAX_QUERY_TERMS),
      // Prefix matching from three letters; typo tolerance of 1 edit from 5 letters, 2 from 9.
      prefix: (term) => term.length >= 3,
      fuzzy: (term) => (term.length >= 9 ? 2 : term.length >= 5 ? 1 : false),
      maxFuzzy: 2,
    },
  });
  const passages: IndexedPassage[] = [];
  const skipped = { binary: 0, ...walk.skipped };
  let bytes = 0;
  let files = 0;

  // Read a few files at a time, but index them in walk order so ids and ties are stable.
  for (let i = 0; i < walk.files.length; i += READ_CONCURRENCY) {
    const batch = walk.files.slice(i, i + READ_CONCURRENCY);
    const contents = await Promise.all(batch.map((file) => readFile(file.path).catch(() => undefined)));
    batch.forEach((file, j) => {
      const raw = contents[j];
      if (raw === undefined) {
        skipped.unreadable++;
        return;
      }
      const content = decodeTextFile(raw);
      if (content === undefined) {
        skipped.binary++;
        return;
      }
      files++;
      bytes += raw.byteLength;
      const fileName = path.posix.basename(file.relativePath);
      const markdown = MARKDOWN_EXTENSIONS.has(path.extname(fileName).toLowerCase());
      const location = file.relativePath.replace(/\.[^./]+$/u, "");
      const first = passages.length;
      const added: IndexedPassage[] = splitPassages(content, { markdown, title: fileName }).map((passage, k) => ({
        id: first + k,
        title: passage.title,
        context: [...passage.headings.slice(0, -1), location].join(" "),
        text: passage.text,
        source: `${file.relativePath}#L${passage.line}`,
      }));
      passages.push(...added);
      miniSearch.addAll(added);
    });
  }
  const buildMs = Math.round(performance.now() - started);
  return {
    miniSearch,
    passages,
    stats: {
      dir: root,
      files,
      passages: passages.length,
      terms: miniSearch.termCount,
      bytes,
      skipped,
      truncated: walk.truncated,
      buildMs,
      builtAt: new Date(),
    },
  };
}

/** The real path of the search folder; `SEARCH_SOURCE_MISSING` when it is absent or not a folder. */
async function resolveFolder(given: string, absolute: string): Promise<string> {
  const shown = given === absolute ? absolute : `${given} (${absolute})`;
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new TinyLLMError({
        code: SearchErrorCode.SearchSourceMissing,
        message: `the search folder does not exist: ${shown}`,
        hint: "create it, or point `dir` at an existing folder of markdown or text files (relative paths start at the working directory)",
        cause: error,
      });
    }
    throw new TinyLLMError({
      code: SearchErrorCode.SearchFailed,
      message: `cannot read the search folder ${shown}: ${code ?? String(error)}`,
      hint: "check the folder's permissions",
      cause: error,
    });
  }
  if (!info.isDirectory()) {
    throw new TinyLLMError({
      code: SearchErrorCode.SearchSourceMissing,
      message: `the search path is a file, not a folder: ${shown}`,
      hint: "point `dir` at the folder that holds the files",
    });
  }
  return realpath(absolute);
}
