import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinNodeKinds, createNodeRegistry, loadGraph, runGraph, streamGraph, TinyLLMError } from "@tinyllm/core";
import { createLlamaProvider, type LlamaProvider } from "../provider/llama-provider";
import { loadPrompts, type PromptLibrary } from "../prompt/load-prompts";
import { resolveTestModel } from "../testing/test-model";
import { findRepoRoot } from "../testing/test-model";
import type { ModelResolver } from "@tinyllm/core";
import { createModelKind } from "./model-kind";
import { ANSWER_META_FIELD, CONVERSATION_FIELD, REVISION_FIELD, type PromptFitInput, type PromptFitter } from "@tinyllm/core";
import { createRouterKind } from "./router-kind";

let provider: LlamaProvider;
let prompts: PromptLibrary;
let resolveModel: ModelResolver;

beforeAll(async () => {
  const model = await resolveTestModel();
  provider = createLlamaProvider({ modelPath: model.path, threads: 1 });
  resolveModel = (ref) => ({ provider, model: model.path, ...(ref.tier ? { tier: ref.tier } : {}) });
  prompts = await loadPrompts({ dir: path.join(findRepoRoot({ from: import.meta.dirname ?? process.cwd() }) ?? process.cwd(), "prompts") });
});
afterAll(async () => {
  await provider?.close();
});

const routes = `
      routes:
        - name: code
          description: Programming questions.
          examples: [write a python function, fix this javascript error, sql query that joins two tables, how do I use git rebase]
        - name: math
          description: Mathematics.
          examples: [what is 15% of 80, solve 2x + 3 = 9, integrate x squared, probability of two sixes]
        - name: code_math
          labels: [code, math]
          priority: 10
          examples: [write python code that computes the nth prime, implement matrix multiplication in C]
        - name: general
          description: Everything else.
          examples: [capital of france, write a poem about rain, who painted the mona lisa, tips for sleeping better]
      default: general`;

function graph(routerExtra = "", specialist = "prompt: general, maxTokens: 24") {
  return `id: t
version: 1
entry: start
exits: [done]
nodes:
  - { id: start, kind: entry }
  - id: router
    kind: router
    config:
${routerExtra}${routes}
  - { id: answer, kind: model, config: { ${specialist} } }
  - { id: done, kind: exit }
edges:
  - { from: start, to: router }
  - { from: router, to: answer, condition: "route in ['code', 'math', 'general', 'code_math']" }
  - { from: answer, to: done }
`;
}

function registry(resolver: ModelResolver | undefined = resolveModel) {
  return createNodeRegistry([
    ...builtinNodeKinds,
    createRouterKind(resolver ? { resolveModel: resolver } : {}),
    createModelKind({ resolveModel: resolver ?? resolveModel, prompts }),
  ]);
}

async function compile(source: string, resolver?: ModelResolver) {
  const loaded = await loadGraph(source, { registry: registry(resolver) });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
  return loaded.graph;
}

describe("router node", () => {
  it("should decide on the fast path and record the decision in the trace", async () => {
    const g = await compile(graph("      llm: never\n"));
    const result = await runGraph(g, { input: "Write a Python function to check if a number is prime" });
    expect(result.status).toBe("ok");
    expect(result.state.decidedBy).toBe("fast");
    expect(["code", "code_math"]).toContain(result.state.route);
    const span = result.trace.spans.find((s) => s.name === "router");
    expect(span?.attributes).toMatchObject({ route: result.state.route, decidedBy: "fast" });
    expect(Object.keys(span?.attributes?.confidences as object).sort()).toEqual(["code", "general", "math"]);
  });

  it("should ask the LLM with schema-constrained JSON when the fast path is unsure", async () => {
    const g = await compile(graph("      threshold: 1\n"));
    const result = await runGraph(g, { input: "hmm" });
    expect(result.status).toBe("ok");
    expect(result.state.decidedBy).toBe("llm");
    const labels = result.state.labels as string[];
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(["code", "math", "general"]).toContain(label);
    const call = result.trace.spans.find((s) => s.kind === "model" && s.attributes?.purpose === "route");
    expect(call?.tokens?.output).toBeGreaterThan(0);
  });

  it("should fall back to the fast decision when the LLM is unavailable", async () => {
    const failing: ModelResolver = () => {
      throw new TinyLLMError({ code: "MODEL_UNAVAILABLE", message: "nothing here" });
    };
    const loaded = await loadGraph(graph("      threshold: 1\n"), {
      registry: createNodeRegistry([...builtinNodeKinds, createRouterKind({ resolveModel: failing }), createModelKind({ resolveModel, prompts })]),
    });
    if (!loaded.ok) throw new Error("graph should load");
    const result = await runGraph(loaded.graph, { input: "What is 15% of 80?" });
    expect(result.status).toBe("ok");
    expect(result.state.decidedBy).toBe("fast");
    expect(result.trace.spans.find((s) => s.name === "router")?.attributes?.llmError).toBe("nothing here");
  });

  it("should reject a router whose default is not a route", async () => {
    const loaded = await loadGraph(graph().replace("default: general", "default: nowhere"), { registry: registry() });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems[0]?.message).toContain("default route 'nowhere'");
  });
});

describe("model node", () => {
  it("should stream tokens as events and record a model span with token counts", async () => {
    const g = await compile(graph("      llm: never\n"));
    const stream = streamGraph(g, { input: "Once upon a time" });
    let streamed = "";
    for await (const event of stream) if (event.type === "token-delta") streamed += event.text;
    const result = await stream.result;
    expect(result.status).toBe("ok");
    expect(typeof result.output).toBe("string");
    expect((result.output as string).length).toBeGreaterThan(0);
    expect(streamed).toBe(result.output);
    const call = result.trace.spans.find((s) => s.kind === "model" && s.attributes?.prompt === "general");
    expect(call?.tokens?.input).toBeGreaterThan(0);
    expect(call?.tokens?.output).toBeGreaterThan(0);
    expect(call?.tokens?.output).toBeLessThanOrEqual(24);
  });

  it("should report an unknown prompt when the graph loads", async () => {
    const loaded = await loadGraph(graph("", "prompt: nosuch"), { registry: registry() });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.map((p) => p.message)).toContain("unknown prompt 'nosuch'");
  });

  it("should end the run as failed with the provider's error when the model is missing", async () => {
    const missing: ModelResolver = () => ({ provider, model: "/no/such/model.gguf" });
    const loaded = await loadGraph(graph("      llm: never\n"), {
      registry: createNodeRegistry([...builtinNodeKinds, createRouterKind(), createModelKind({ resolveModel: missing, prompts })]),
    });
    if (!loaded.ok) throw new Error("graph should load");
    const result = await runGraph(loaded.graph, { input: "hello" });
    expect(result.status).toBe("failed");
    expect(result.error?.nodeId).toBe("answer");
    expect(result.error?.code).toMatch(/^MODEL_/);
  });
});

describe("model node with a conversation", () => {
  const conversation = {
    summary: "The user is called Ada and likes dragons.",
    turns: [
      { role: "user" as const, content: "Tell me about a dragon." },
      { role: "assistant" as const, content: "Once upon a time there was a big green dragon." },
    ],
    memories: ["Ada lives by the sea."],
  };

  it("sends the summary, memories and earlier turns with the prompt", async () => {
    const g = await compile(graph("      llm: never\n"));
    const plain = await runGraph(g, { input: "Once upon a time" });
    const withHistory = await runGraph(g, { input: "Once upon a time", state: { [CONVERSATION_FIELD]: conversation } });
    expect(withHistory.status).toBe("ok");
    const tokens = (result: typeof plain) => (result.state[ANSWER_META_FIELD] as { inputTokens: number }).inputTokens;
    // The tiny model's own tokenizer counts what was sent: the history makes the prompt longer.
    expect(tokens(withHistory)).toBeGreaterThan(tokens(plain) + 20);
  });

  it("lets the fitter size the prompt and records what it left out", async () => {
    const seen: PromptFitInput[] = [];
    const fitPrompt: PromptFitter = async (input) => {
      seen.push(input);
      // Keeps only the newest turn: the shape a real fitter gives when the context is small.
      return {
        system: `${input.system ?? ""}\nsummary: ${input.conversation.summary}`,
        messages: [...input.conversation.turns.slice(-1), ...input.messages],
        omittedTurns: 1,
      };
    };
    const loaded = await loadGraph(graph("      llm: never\n"), {
      registry: createNodeRegistry([...builtinNodeKinds, createRouterKind(), createModelKind({ resolveModel, prompts, fitPrompt })]),
    });
    if (!loaded.ok) throw new Error("graph should load");
    const result = await runGraph(loaded.graph, { input: "Once upon a time", state: { [CONVERSATION_FIELD]: conversation } });
    expect(result.status).toBe("ok");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.conversation.turns).toHaveLength(2);
    expect(seen[0]!.messages.at(-1)).toEqual({ role: "user", content: expect.stringContaining("Once upon a time") });
    expect(seen[0]!.reserveTokens).toBe(24);
    const call = result.trace.spans.find((s) => s.kind === "model");
    expect(call?.attributes?.conversation).toMatchObject({ turns: 1, omittedTurns: 1, summary: true, memories: 1 });
  });

  it("fails the node with the fitter's error when the message alone does not fit", async () => {
    const fitPrompt: PromptFitter = async () => {
      throw new TinyLLMError({ code: "CONTEXT_OVERFLOW", message: "the message alone takes 9000 tokens; the model's context is 2048", hint: "shorten it" });
    };
    const loaded = await loadGraph(graph("      llm: never\n"), {
      registry: createNodeRegistry([...builtinNodeKinds, createRouterKind(), createModelKind({ resolveModel, prompts, fitPrompt })]),
    });
    if (!loaded.ok) throw new Error("graph should load");
    const result = await runGraph(loaded.graph, { input: "Once upon a time", state: { [CONVERSATION_FIELD]: conversation } });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ nodeId: "answer", code: "CONTEXT_OVERFLOW" });
    expect(result.trace.spans.find((s) => s.kind === "model")?.status).toBe("error");
  });
});

describe("model node revisions", () => {
  it("writes answerMeta and shows its own revision's feedback and previous answer to the model", async () => {
    const g = await compile(graph("      llm: never\n"));
    const plain = await runGraph(g, { input: "Once upon a time" });
    expect(plain.state[ANSWER_META_FIELD]).toMatchObject({
      node: "answer",
      model: expect.any(String),
      provider: "llama",
      inputTokens: expect.any(Number),
      outputTokens: expect.any(Number),
    });
    const revision = { node: "answer", feedback: "Mention the dragon.", previousAnswer: "A cat sat.", attempt: 2 };
    const revised = await runGraph(g, { input: "Once upon a time", state: { [REVISION_FIELD]: revision } });
    const call = revised.trace.spans.find((s) => s.kind === "model");
    expect(String(call?.input)).toMatch(/Your previous answer was:\nA cat sat\.\n\nA reviewer rejected it: Mention the dragon\./);
    const other = await runGraph(g, { input: "Once upon a time", state: { [REVISION_FIELD]: { ...revision, node: "someone-else" } } });
    expect(String(other.trace.spans.find((s) => s.kind === "model")?.input)).not.toMatch(/reviewer/);
  });

  it("answers on its own tier, without the old answer, when the revision's tier cannot answer", async () => {
    const picky: ModelResolver = (ref) => {
      if (ref.tier === "T9") throw new Error("tier T9 is not configured");
      return resolveModel(ref);
    };
    const g = await compile(graph("      llm: never\n"), picky);
    const stream = streamGraph(g, {
      input: "Once upon a time",
      state: { [REVISION_FIELD]: { node: "answer", feedback: "Shorter.", previousAnswer: "A long story.", tier: "T9" } },
    });
    const infos: { name: string; data: Record<string, unknown> }[] = [];
    for await (const event of stream) if (event.type === "node-info") infos.push({ name: event.name, data: event.data });
    const result = await stream.result;
    expect(result.status).toBe("ok");
    expect(infos.find((i) => i.name === "revision-failed")?.data).toMatchObject({ tier: "T9", message: "tier T9 is not configured" });
    const call = result.trace.spans.find((s) => s.kind === "model");
    expect(String(call?.input)).toMatch(/A reviewer rejected your previous answer: Shorter\./);
    expect(String(call?.input)).not.toMatch(/A long story/);
  });
});

describe("prompts", () => {
  it("should load every prompt in prompts/", () => {
    expect([...prompts.keys()].sort()).toEqual(["code", "code_math", "general", "math"]);
    expect(prompts.get("math")?.system).toContain("Answer:");
  });
});
