import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TinyLLMError } from "@tinyllm/core";
import { createLocalSearch } from "./create-local-search";

const INSTALL = `---
title: Installation guide
---
# Installation

TinyLLM runs on Linux, macOS and Windows. You need Node.js 20 or newer and about 2 GB of free disk space for the smallest model.

## Linux

On Debian and Ubuntu, install the build tools first with \`sudo apt-get install build-essential python3\`. Then run \`npm install -g tinyllm\`. Fedora users get \`gcc-c++\` and \`make\` with dnf instead.

## macOS

Install the Xcode command line tools with \`xcode-select --install\`, then use [Homebrew](https://brew.sh): \`brew install node\` followed by \`npm install -g tinyllm\`. Apple Silicon machines use the **Metal** backend automatically.

## Windows

Use winget to get Node.js, then open PowerShell as administrator. The Visual Studio Build Tools are required for native addons such as the llama.cpp bindings.
`;

const CONFIGURATION = `# Configuration

TinyLLM reads \`tinyllm.yaml\` from the project folder, then the user folder. Every key has a default, so an empty file is a valid configuration.

## Timeouts

Every node has a \`timeoutMs\`. When a model call takes longer, the node fails with NODE_TIMEOUT and its retry policy decides whether to try again. Slow laptops may need a larger timeout for the first call, which loads the model.

## Logging

Set \`logLevel\` to \`debug\` to print every prompt and completion. Logs go to stderr, so they never mix with the answer; \`quiet\` reduces the verbosity to errors only.
`;

const RECIPES = `Sourdough bread

Feed the starter with equal weights of flour and water twelve hours before baking. A lively starter doubles in size and smells pleasantly sour. Mix it with more flour, water and salt, fold the dough four times, and bake it in a hot covered pot.

Pancakes

Whisk two eggs with milk and flour, rest the batter for ten minutes, and fry small rounds in butter over medium heat until bubbles appear. Turn them once, keep the finished ones warm in a low oven, and serve them with maple syrup, berries or lemon and sugar. Thin batter makes crêpes; a spoon of baking powder makes them fluffy.
`;

const README = `# TinyLLM

Small local language models as the neurons of a graph. See the installation guide to install it, and the configuration page for settings.
`;

/** One long paragraph with a rare word in its middle, to test snippet placement. */
const filler = (n: number) =>
  Array.from({ length: n }, (_, i) => `Sentence ${i} talks about graphs, nodes and edges in general terms without anything special.`).join(" ");
const GLOSSARY = `# Glossary\n\n${filler(12)} The quokka is a small marsupial that serves as the project's mascot. ${filler(12)}\n`;

let root: string;
let outside: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "tinyllm-local-search-"));
  outside = await mkdtemp(path.join(tmpdir(), "tinyllm-local-outside-"));
  const write = async (relative: string, content: string | Uint8Array) => {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), content);
  };
  await write("docs/install.md", INSTALL);
  await write("docs/configuration.md", CONFIGURATION);
  await write("notes/recipes.txt", RECIPES);
  await write("README.md", README);
  await write("guide/glossary.md", GLOSSARY);
  await write("guide/windows-notes.TXT", "Line one.\r\n\r\nOcelots\r\n\r\nThe ocelot appears on line five, in a section of its own.\r\n");
  // Left out: binary, not UTF-8, wrong extension, node_modules, dot-folders, too large.
  await write("data/blob.txt", Buffer.concat([Buffer.from("zebrafish "), Buffer.from([0, 1, 2, 3, 0, 255])]));
  await write("data/latin1.txt", Buffer.from("caf\xe9 zebrafish", "latin1"));
  await write("data/table.csv", "zebrafish,1,2\n");
  await write("node_modules/pkg/readme.md", "# wombat\n\nwombat package docs");
  await write(".obsidian/notes.md", "# wombat\n\nwombat settings");
  await write("big/huge.md", `# Huge\n\n${"narwhal ".repeat(3000)}`);
  // Links: a loop back to the root, a link loop, a link out of the folder, a file alias.
  await writeFile(path.join(outside, "secret.md"), "# Platypus\n\nplatypus outside the folder");
  await symlink(root, path.join(root, "notes/loop"));
  await symlink(path.join(root, "a-link"), path.join(root, "b-link"));
  await symlink(path.join(root, "b-link"), path.join(root, "a-link"));
  await symlink(outside, path.join(root, "escape"));
  await symlink(path.join(outside, "secret.md"), path.join(root, "escape.md"));
  await symlink(path.join(root, "docs/install.md"), path.join(root, "alias.md"));
  await symlink(path.join(root, "node_modules"), path.join(root, "deps"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("createLocalSearch relevance", () => {
  const cases: { query: string; source: string; title: string; terms: string[] }[] = [
    { query: "install on macOS with homebrew", source: "docs/install.md#L14", title: "macOS", terms: ["homebrew", "install"] },
    { query: "sourdough starter flour", source: "notes/recipes.txt#L3", title: "Sourdough bread", terms: ["starter", "flour"] },
    { query: "log verbosity debug", source: "docs/configuration.md#L11", title: "Logging", terms: ["debug", "verbosity"] },
    { query: "NODE_TIMEOUT retry", source: "docs/configuration.md#L7", title: "Timeouts", terms: ["node_timeout", "retry"] },
    { query: "winget powershell administrator", source: "docs/install.md#L18", title: "Windows", terms: ["winget", "powershell"] },
    { query: "apt-get ubuntu", source: "docs/install.md#L10", title: "Linux", terms: ["apt-get", "ubuntu"] },
    { query: "pancake batter eggs", source: "notes/recipes.txt#L7", title: "Pancakes", terms: ["batter", "eggs"] },
  ];

  for (const { query, source, title, terms } of cases) {
    it(`ranks the right passage first for "${query}"`, async () => {
      const search = createLocalSearch({ dir: root });
      const [first, ...rest] = await search.search(query);
      expect(first).toMatchObject({ source, title });
      expect(first?.score).toBeGreaterThan(rest[0]?.score ?? 0);
      for (const term of terms) expect(first?.snippet.toLowerCase()).toContain(term);
    });
  }

  it("finds typos and prefixes", async () => {
    const search = createLocalSearch({ dir: root });
    expect((await search.search("instalation"))[0]?.title).toBe("Installation");
    expect((await search.search("config"))[0]?.title).toBe("Configuration");
    expect((await search.search("Sourdugh"))[0]?.source).toBe("notes/recipes.txt#L3");
  });

  it("matches without accents and case", async () => {
    const search = createLocalSearch({ dir: root });
    expect((await search.search("MACÖS XCODE"))[0]?.title).toBe("macOS");
  });

  it("cuts a snippet around the match inside a long passage", async () => {
    const search = createLocalSearch({ dir: root });
    const [first] = await search.search("quokka mascot");
    expect(first?.source).toMatch(/^guide\/glossary\.md#L\d+$/u);
    expect(first?.title).toBe("Glossary");
    expect(first?.snippet).toContain("quokka");
    expect(first?.snippet).toContain("mascot");
    expect(first?.snippet.startsWith("…")).toBe(true);
    expect(first?.snippet.length).toBeLessThanOrEqual(300);
  });

  it("keeps every snippet short and markdown-free", async () => {
    const search = createLocalSearch({ dir: root });
    const results = await search.search("node model graph install", { limit: 20 });
    expect(results.length).toBeGreaterThan(5);
    for (const result of results) {
      expect(result.snippet.length).toBeLessThanOrEqual(300);
      expect(result.snippet).not.toMatch(/\]\(|`|\*\*/u);
      expect(result.source).toMatch(/^[^/].*#L\d+$/u);
    }
  });

  it("reads title lines of plain text, CRLF line ends and upper-case extensions", async () => {
    const search = createLocalSearch({ dir: root });
    expect(await search.search("ocelot")).toMatchObject([{ title: "Ocelots", source: "guide/windows-notes.TXT#L5" }]);
    expect(await search.search("line one")).toContainEqual(expect.objectContaining({ title: "windows-notes.TXT", source: "guide/windows-notes.TXT#L1" }));
  });

  it("honours limit and orders by score", async () => {
    const search = createLocalSearch({ dir: root });
    const results = await search.search("install", { limit: 2 });
    expect(results).toHaveLength(2);
    expect(results[0]?.score).toBeGreaterThanOrEqual(results[1]?.score ?? Infinity);
    expect(await search.search("install")).toHaveLength(5);
  });
});

describe("createLocalSearch folder walk", () => {
  it("skips binary, non-UTF-8, oversized, node_modules, dot-folder files and links out of the folder", async () => {
    const search = createLocalSearch({ dir: root, maxFileBytes: 10_000 });
    expect(await search.search("zebrafish")).toEqual([]);
    expect(await search.search("narwhal")).toEqual([]);
    expect(await search.search("wombat")).toEqual([]);
    expect(await search.search("platypus")).toEqual([]);
    const stats = await search.stats();
    expect(stats).toMatchObject({ dir: expect.stringContaining("tinyllm-local-search-"), files: 6, truncated: false });
    expect(stats.skipped).toMatchObject({ binary: 2, oversized: 1, outside: 2 });
    expect(stats.skipped.unreadable).toBeGreaterThanOrEqual(2); // the a-link ↔ b-link loop
  });

  it("indexes a file reached by a link once, under its own path, and ends link loops", async () => {
    const search = createLocalSearch({ dir: root });
    const results = await search.search("xcode homebrew", { limit: 50 });
    expect(results.map((r) => r.source)).toEqual(["docs/install.md#L14"]);
    expect(results.every((r) => !r.source.includes("loop"))).toBe(true);
  });

  it("indexes large files when maxFileBytes allows", async () => {
    const search = createLocalSearch({ dir: root });
    expect((await search.search("narwhal"))[0]?.source).toMatch(/^big\/huge\.md#L\d+$/u);
  });

  it("stops at maxFiles and says so", async () => {
    const stats = await createLocalSearch({ dir: root, maxFiles: 2 }).stats();
    expect(stats).toMatchObject({ files: 2, truncated: true });
  });

  it("indexes only the given extensions", async () => {
    const search = createLocalSearch({ dir: root, extensions: ["csv"] });
    expect(await search.search("zebrafish")).toMatchObject([{ source: "data/table.csv#L1" }]);
  });
});

describe("createLocalSearch lifecycle and errors", () => {
  it("builds the index lazily once and reuses it until refresh()", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tinyllm-local-refresh-"));
    try {
      await writeFile(path.join(dir, "a.md"), "# Alpha\n\nalpha text");
      const search = createLocalSearch({ dir });
      const [first, second] = await Promise.all([search.stats(), search.stats()]);
      expect(first).toBe(second);
      await writeFile(path.join(dir, "b.md"), "# Beta\n\nbeta text");
      expect(await search.search("beta")).toEqual([]);
      expect((await search.stats()).builtAt).toBe(first.builtAt);
      const refreshed = await search.refresh();
      expect(refreshed.files).toBe(2);
      expect(await search.search("beta")).toMatchObject([{ title: "Beta", source: "b.md#L3" }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports a missing folder on first use, with a hint, and retries later", async () => {
    const dir = path.join(tmpdir(), `tinyllm-missing-${process.pid}-${Date.now()}`);
    const search = createLocalSearch({ dir });
    const error = await search.search("anything").catch((e: unknown) => e);
    expect(TinyLLMError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "SEARCH_SOURCE_MISSING", message: expect.stringContaining(dir), hint: expect.stringContaining("dir") });
    await mkdir(dir);
    try {
      await writeFile(path.join(dir, "late.txt"), "arrived late");
      expect(await search.search("late")).toMatchObject([{ source: "late.txt#L1" }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects a file given as the folder", async () => {
    await expect(createLocalSearch({ dir: path.join(root, "README.md") }).search("x")).rejects.toMatchObject({ code: "SEARCH_SOURCE_MISSING" });
  });

  it("rejects empty and wordless queries and bad limits", async () => {
    const search = createLocalSearch({ dir: root });
    await expect(search.search("")).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID", hint: expect.any(String) });
    await expect(search.search("   \n")).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID" });
    await expect(search.search("?!")).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID" });
    await expect(search.search("install", { limit: 0 })).rejects.toMatchObject({ code: "SEARCH_QUERY_INVALID" });
    expect(() => createLocalSearch({ dir: "" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("returns nothing for a query of stop words only", async () => {
    expect(await createLocalSearch({ dir: root }).search("the and of")).toEqual([]);
  });

  it("stops waiting when aborted", async () => {
    const search = createLocalSearch({ dir: root });
    await expect(search.search("install", { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({ code: "SEARCH_ABORTED" });
  });
});

describe("createLocalSearch at scale", () => {
  it("indexes 2,000 files in reasonable time", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tinyllm-local-scale-"));
    try {
      const words = "graph node edge model prompt token router tool search index passage heading retry timeout budget cache stream vector score limit".split(
        " ",
      );
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const paragraph = () => Array.from({ length: 60 }, () => words[Math.floor(random() * words.length)]).join(" ") + ".";
      for (let folder = 0; folder < 20; folder++) {
        await mkdir(path.join(dir, `part-${folder}`));
        await Promise.all(
          Array.from({ length: 100 }, (_, i) => {
            const n = folder * 100 + i;
            const marker = n === 1234 ? "\n\nThe axolotl regenerates its limbs.\n" : "";
            return writeFile(
              path.join(dir, `part-${folder}`, `doc-${n}.md`),
              `# Document ${n}\n\n${paragraph()}\n\n## Details\n\n${paragraph()}\n\n${paragraph()}${marker}\n`,
            );
          }),
        );
      }
      const search = createLocalSearch({ dir });
      const started = performance.now();
      const stats = await search.stats();
      const buildMs = performance.now() - started;
      const searchStarted = performance.now();
      const [hit] = await search.search("axolotl limbs");
      const common = await search.search("retry timeout budget", { limit: 10 });
      const searchMs = (performance.now() - searchStarted) / 2;
      console.log(
        `local search: ${stats.files} files, ${stats.passages} passages, ${stats.terms} terms, ${(stats.bytes / 1e6).toFixed(1)} MB indexed in ${buildMs.toFixed(0)} ms; search ${searchMs.toFixed(1)} ms`,
      );
      expect(stats.files).toBe(2000);
      expect(hit?.source).toBe("part-12/doc-1234.md#L9");
      expect(common).toHaveLength(10);
      expect(buildMs).toBeLessThan(20_000);
      expect(searchMs).toBeLessThan(1_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
