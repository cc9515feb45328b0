import { describe, expect, it } from "vitest";
import { detectQueryShapes } from "./query-shapes";

describe("detectQueryShapes", () => {
  it("finds a fenced code block", () => {
    expect(detectQueryShapes("why does this hang?\n```js\nwhile (true) {}\n```")).toEqual(["code-fence"]);
    expect(detectQueryShapes("~~~\nSELECT 1;\n~~~")).toEqual(["code-fence"]);
  });

  it("finds stack traces of several languages", () => {
    const traces = [
      'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    main()\nKeyError: 1',
      "TypeError: x is not a function\n    at render (/srv/app/index.js:10:5)\n    at main (/srv/app/index.js:20:3)",
      'Exception in thread "main" java.lang.NullPointerException\n\tat com.acme.App.run(App.java:42)',
      "error[E0382]: borrow of moved value: `v`",
      "thread 'main' panicked at 'index out of bounds', src/main.rs:4:5",
      "src/main.cpp:12:7: error: expected ';' before '}' token",
    ];
    for (const trace of traces) expect(detectQueryShapes(trace), trace).toContain("stack-trace");
  });

  it("finds function signatures", () => {
    const signatures = [
      'def count_vowels(text: str) -> int:\n    """ Count the vowels.\n    >>> count_vowels("ab")\n    1\n    """\n',
      "async function load(url) { return fetch(url) }",
      "export function add<T>(a: T[], b: T[]): T[] {",
      "pub fn parse(input: &str) -> Result<Ast, Error>",
      "func (s *Server) Handle(w http.ResponseWriter, r *http.Request)",
      "public static int[] merge(int[] a, int[] b) {",
    ];
    for (const signature of signatures) expect(detectQueryShapes(signature), signature).toContain("function-signature");
  });

  it("finds bare arithmetic expressions, with or without a lead-in", () => {
    for (const query of ["2+2", "What is 17 × 24?", "(3/4) * 12 =", "solve 7x - 3 = 11", "calculate 2^10 - 24", "15% * 80"])
      expect(detectQueryShapes(query), query).toEqual(["bare-expression"]);
  });

  it("finds nothing in prose that mentions code or numbers", () => {
    const prose = [
      "Write a function to find the shared elements of two lists.",
      "Define the function f(x) = x^2 + 1 and find its minimum.",
      "Maria has 3 apples and buys 5 more. How many apples does she have?",
      "What happened in 1066?",
      "Pretend you are a pirate and describe your ship.",
      "at the end of the day (around 5:30) I feel tired",
      "2",
      "",
    ];
    for (const query of prose) expect(detectQueryShapes(query), query).toEqual([]);
  });
});
