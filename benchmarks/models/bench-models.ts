/**
 * Embedded-engine throughput: tokens/s through TinyLLM's llama provider against
 * node-llama-cpp called directly, same model, prompt and settings, in the same run; and the
 * time to first token of `tinyllm run` on the embedded model.
 *
 *   pnpm bench:models [--model-file ../shared/models/stories260K.gguf] [--rounds 15] [--tokens 200] [--smoke]
 *
 * Without --model-file it uses ../shared/models/stories260K.gguf when present, else a tiny
 * generated model. `--smoke`: 1 round of 16 tokens after 1 warm-up, and one `tinyllm run`.
 * Last line: one JSON object.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLlamaProvider } from "@tinyllm/models";
import { resolveTestModel } from "@tinyllm/models/testing";
import { GeneralChatWrapper, getLlama, LlamaChat, LlamaLogLevel } from "node-llama-cpp";
import { median, sizeFlag, smoke } from "../executor/stats";

const here = path.dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf("--model-file");
const modelFile = at >= 0 ? path.resolve(process.argv[at + 1] as string) : (await resolveTestModel()).path;
const rounds = sizeFlag("rounds", 15, 1);
const maxTokens = sizeFlag("tokens", 200, 16);
const prompt = "Once upon a time, there was a little girl named Lily.";

// TinyLLM's provider, with the same chat wrapper the direct path uses.
const provider = createLlamaProvider({ modelPath: modelFile, threads: 1, chatWrapper: "general", contextSize: 2048 });
// node-llama-cpp directly.
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: modelFile });
const context = await model.createContext({ threads: 1, contextSize: 2048 });
const sequence = context.getSequence();
const wrapper = new GeneralChatWrapper();

async function viaProvider(): Promise<{ tokens: number; ms: number }> {
  const start = performance.now();
  const result = await provider.chat({ model: modelFile, messages: [{ role: "user", content: prompt }], temperature: 0, maxTokens });
  return { tokens: result.usage.outputTokens, ms: performance.now() - start };
}

async function direct(): Promise<{ tokens: number; ms: number }> {
  const start = performance.now();
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: wrapper });
  let tokens = 0;
  await chat.generateResponse(
    [
      { type: "user", text: prompt },
      { type: "model", response: [] },
    ],
    {
      maxTokens,
      temperature: 0,
      onToken: (t) => {
        tokens += t.length;
      },
    },
  );
  chat.dispose({ disposeSequence: false });
  return { tokens, ms: performance.now() - start };
}

for (let i = 0; i < (smoke ? 1 : 3); i++) {
  await viaProvider();
  await direct();
}
const providerRates: number[] = [];
const directRates: number[] = [];
let providerTokens = 0;
let directTokens = 0;
for (let r = 0; r < rounds; r++) {
  // Alternate the order so neither side always runs on a warmer machine.
  const pair = r % 2 === 0 ? [await viaProvider(), await direct()] : [undefined, await direct()];
  if (r % 2 === 1) pair[0] = await viaProvider();
  const [p, d] = pair as [{ tokens: number; ms: number }, { tokens: number; ms: number }];
  providerRates.push((p.tokens / p.ms) * 1000);
  directRates.push((d.tokens / d.ms) * 1000);
  providerTokens = p.tokens;
  directTokens = d.tokens;
}
await provider.close();
await context.dispose();
await model.dispose();
await llama.dispose();

// Time to first token of `tinyllm run`, from process start to the first answer byte on stdout.
const bin = path.resolve(here, "../../apps/cli/dist/bin.js");
function ttft(): Promise<{ firstByteMs: number; inRunTtftMs: number | undefined }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [bin, "run", "Tell me a story about a cat.", "--model-file", modelFile, "--trace"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let first: number | undefined;
    let stderr = "";
    child.stdout.on("data", () => (first ??= performance.now() - start));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 || first === undefined) return reject(new Error(`tinyllm run failed (${code}): ${stderr}`));
      const match = /timeToFirstTokenMs=([\d.]+)/.exec(stderr);
      resolve({ firstByteMs: first, inRunTtftMs: match ? Number(match[1]) : undefined });
    });
  });
}
if (!smoke) await ttft();
const firstBytes: number[] = [];
const inRun: number[] = [];
for (let r = 0; r < Math.min(rounds, 5); r++) {
  const t = await ttft();
  firstBytes.push(t.firstByteMs);
  if (t.inRunTtftMs !== undefined) inRun.push(t.inRunTtftMs);
}

const providerTps = median(providerRates);
const directTps = median(directRates);
const overhead = 1 - providerTps / directTps;
console.log(
  `${smoke ? "SMOKE RUN, not a measurement: " : ""}model ${path.basename(modelFile)}; ${maxTokens} max tokens, greedy, 1 thread; medians of ${rounds} alternating rounds`,
);
console.log(`tinyllm provider: ${providerTps.toFixed(0)} tokens/s (${providerTokens} tokens/answer)`);
console.log(`node-llama-cpp direct: ${directTps.toFixed(0)} tokens/s (${directTokens} tokens/answer)`);
console.log(`provider overhead: ${(overhead * 100).toFixed(1)}%`);
console.log(
  `tinyllm run, process start to first answer byte: median ${median(firstBytes).toFixed(0)} ms; model call's own time to first token: median ${inRun.length ? median(inRun).toFixed(1) : "n/a"} ms`,
);
console.log(
  JSON.stringify({
    model: path.basename(modelFile),
    provider_tokens_per_s: Math.round(providerTps),
    direct_tokens_per_s: Math.round(directTps),
    provider_overhead: Number(overhead.toFixed(4)),
    run_first_byte_ms: Math.round(median(firstBytes)),
    run_model_ttft_ms: inRun.length ? Number(median(inRun).toFixed(1)) : null,
    ...(smoke ? { smoke: true } : {}),
  }),
);
