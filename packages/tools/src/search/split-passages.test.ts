import { describe, expect, it } from "vitest";
import { splitPassages } from "./split-passages";

const words = (n: number, word = "lorem") => Array.from({ length: n }, () => word).join(" ");

describe("splitPassages", () => {
  it("keeps passages inside headings, with the nearest heading as title and the heading trail", () => {
    const md = [
      "Intro text.",
      "",
      "# Guide",
      "",
      "Guide text.",
      "",
      "## Setup",
      "",
      "Setup text.",
      "",
      "### Linux",
      "Linux text.",
      "",
      "## Usage",
      "Usage text.",
    ].join("\n");
    expect(splitPassages(md, { markdown: true, title: "guide.md" })).toEqual([
      { title: "guide.md", headings: [], text: "Intro text.", line: 1 },
      { title: "Guide", headings: ["Guide"], text: "Guide text.", line: 5 },
      { title: "Setup", headings: ["Guide", "Setup"], text: "Setup text.", line: 9 },
      { title: "Linux", headings: ["Guide", "Setup", "Linux"], text: "Linux text.", line: 12 },
      { title: "Usage", headings: ["Guide", "Usage"], text: "Usage text.", line: 15 },
    ]);
  });

  it("reads setext headings, closing hashes and front matter titles", () => {
    const md = [
      "---",
      'title: "The Book"',
      "tags: [a]",
      "---",
      "Preface.",
      "",
      "Part one",
      "========",
      "",
      "Text one.",
      "",
      "## Part two ##",
      "Text two.",
    ].join("\n");
    expect(splitPassages(md, { markdown: true, title: "book.md" })).toEqual([
      { title: "The Book", headings: [], text: "Preface.", line: 5 },
      { title: "Part one", headings: ["Part one"], text: "Text one.", line: 10 },
      { title: "Part two", headings: ["Part one", "Part two"], text: "Text two.", line: 13 },
    ]);
  });

  it("does not take # lines in code fences for headings and keeps the code", () => {
    const md = ["# Shell", "", "```sh", "# install it", "", "npm i tinyllm", "```", "After."].join("\n");
    const passages = splitPassages(md, { markdown: true, title: "x.md" });
    expect(passages).toEqual([{ title: "Shell", headings: ["Shell"], text: "# install it\nnpm i tinyllm\nAfter.", line: 4 }]);
  });

  it("strips inline markdown", () => {
    const md = "- See [the docs](https://x.dev) and **bold** `code` <b>html</b>\n\n| a | b |\n|---|---|\n| 1 | 2 |";
    expect(splitPassages(md, { markdown: true, title: "x.md" })[0]?.text).toBe("See the docs and bold code html\na · b\n1 · 2");
  });

  it("drops HTML comments, also across lines", () => {
    const md = ["# API", "", "<!-- YAML", "added: v17.3.0", "-->", "", "Returns a signal. <!-- inline --> Done.", "Kept <!-- open", "closed --> after."].join(
      "\n",
    );
    expect(splitPassages(md, { markdown: true, title: "x.md" })).toEqual([
      { title: "API", headings: ["API"], text: "Returns a signal.  Done.\nKept\nafter.", line: 7 },
    ]);
  });

  it("packs paragraphs into passages of about 300–800 characters with the right lines", () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `${words(25, `p${i}`)}.`); // ~100 characters each
    const passages = splitPassages(paragraphs.join("\n\n"), { markdown: false, title: "t.txt" });
    expect(passages.length).toBeGreaterThan(2);
    for (const passage of passages) {
      expect(passage.text.length).toBeGreaterThanOrEqual(300);
      expect(passage.text.length).toBeLessThanOrEqual(800);
    }
    for (const passage of passages) {
      const index = Number(/^p(\d+)/u.exec(passage.text)?.[1]);
      expect(passage.line).toBe(index * 2 + 1);
    }
  });

  it("cuts an overlong paragraph at sentences and words, never above 800 characters", () => {
    const long = Array.from({ length: 80 }, (_, i) => `Sentence number ${i} is here.`).join(" ");
    const unbroken = "x".repeat(2000);
    for (const text of [long, `${long}\n${long}`, unbroken]) {
      const passages = splitPassages(text, { markdown: false, title: "t.txt" });
      expect(passages.length).toBeGreaterThan(1);
      for (const passage of passages) expect(passage.text.length).toBeLessThanOrEqual(800);
      expect(
        passages
          .map((p) => p.text)
          .join(" ")
          .replace(/\s+/gu, ""),
      ).toBe(text.replace(/\s+/gu, ""));
    }
  });

  it("folds a short tail into the passage before it", () => {
    const text = `${words(70)}.\n\nShort tail.`;
    expect(splitPassages(text, { markdown: false, title: "t.txt" })).toHaveLength(1);
  });

  it("treats short capitalized lines of plain text before a paragraph as titles", () => {
    const text = "Pancakes\n\nWhisk the eggs.\n\nnot a title\n\nMore text.\n\nTitle without body";
    expect(splitPassages(text, { markdown: false, title: "r.txt" })).toEqual([
      { title: "Pancakes", headings: ["Pancakes"], text: "Whisk the eggs.\nnot a title\nMore text.\nTitle without body", line: 3 },
    ]);
  });

  it("returns nothing for empty or blank files", () => {
    expect(splitPassages("", { markdown: true, title: "e.md" })).toEqual([]);
    expect(splitPassages("\n \n# Only a heading\n", { markdown: true, title: "e.md" })).toEqual([]);
  });
});
