import { z } from "zod";
import { TinyLLMError } from "../error/tinyllm-error";
import { builtinNodeKinds } from "../kinds/builtin-node-kinds";
import { defineNodeKind, type NodeContext, type RunState } from "../node-kind/node-kind";
import { createNodeRegistry } from "../node-kind/node-registry";

/** Hooks tests install to watch deterministic test kinds. @internal */
export interface Probe {
  calls: Map<string, number>;
  signals: Map<string, AbortSignal>;
  active: number;
  peak: number;
  /** Resolvers of `wait` nodes still blocked, by node id. */
  release: Map<string, () => void>;
  waiting: Map<string, Promise<void>>;
}

/** A fresh probe. @internal */
export function createProbe(): Probe {
  return { calls: new Map(), signals: new Map(), active: 0, peak: 0, release: new Map(), waiting: new Map() };
}

/** Deterministic kinds for executor tests, plus the built-ins. @internal */
export function createTestRegistry(probe: Probe) {
  const count = (context: NodeContext) => {
    const n = (probe.calls.get(context.nodeId) ?? 0) + 1;
    probe.calls.set(context.nodeId, n);
    probe.signals.set(context.nodeId, context.abortSignal);
    return n;
  };
  const wait = defineNodeKind({
    kind: "wait",
    description: "Blocks until released or aborted; honours the signal.",
    configSchema: z.strictObject({ set: z.record(z.string(), z.unknown()).default({}), ignoreSignal: z.boolean().default(false) }),
    writes: (config) => Object.keys(config.set),
    create: (config) => async (_state: RunState, context: NodeContext) => {
      count(context);
      probe.active++;
      probe.peak = Math.max(probe.peak, probe.active);
      let started!: () => void;
      probe.waiting.set(context.nodeId, new Promise<void>((resolve) => (started = resolve)));
      try {
        await new Promise<void>((resolve, reject) => {
          probe.release.set(context.nodeId, resolve);
          started();
          if (!config.ignoreSignal) context.abortSignal.addEventListener("abort", () => reject(context.abortSignal.reason), { once: true });
        });
      } finally {
        probe.active--;
      }
      return { patch: config.set };
    },
  });
  const flaky = defineNodeKind({
    kind: "flaky",
    description: "Fails `failures` times, then succeeds.",
    configSchema: z.strictObject({
      failures: z.int().min(0),
      retryable: z.boolean().default(true),
      throwValue: z.enum(["error", "string", "null"]).default("error"),
    }),
    writes: () => ["attempts"],
    create: (config) => (_state: RunState, context: NodeContext) => {
      const n = count(context);
      if (n <= config.failures) {
        if (config.throwValue === "string") throw "plain string failure";
        if (config.throwValue === "null") throw null;
        throw new TinyLLMError({ code: "FLAKY", message: `failure ${n}`, isRetryable: config.retryable });
      }
      return { patch: { attempts: n } };
    },
  });
  const yieldKind = defineNodeKind({
    kind: "yield",
    description: "Counts concurrency across an await, then sets fields.",
    configSchema: z.strictObject({ set: z.record(z.string(), z.unknown()).default({}), turns: z.int().min(1).default(3) }),
    writes: (config) => Object.keys(config.set),
    create: (config) => async (_state: RunState, context: NodeContext) => {
      count(context);
      probe.active++;
      probe.peak = Math.max(probe.peak, probe.active);
      for (let i = 0; i < config.turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      probe.active--;
      return { patch: config.set };
    },
  });
  const emitter = defineNodeKind({
    kind: "emitter",
    description: "Streams tokens and a tool call, and records a model span.",
    configSchema: z.strictObject({ text: z.string() }),
    writes: () => ["output"],
    create: (config) => (_state: RunState, context: NodeContext) => {
      const span = context.span.startChild({ kind: "model", name: "test-model", input: config.text });
      for (const piece of config.text.split(" ")) context.emit({ type: "token-delta", text: `${piece} ` });
      context.emit({ type: "tool-call", callId: "c1", toolName: "calc", input: { expression: "1+1" } });
      context.emit({ type: "tool-result", callId: "c1", toolName: "calc", output: 2, durationMs: 0 });
      span.end({ output: config.text, tokens: { input: 3, output: 4 } });
      return { patch: { output: config.text } };
    },
  });
  return createNodeRegistry([...builtinNodeKinds, wait, flaky, yieldKind, emitter]);
}
