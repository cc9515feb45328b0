import { existsSync } from "node:fs";
import { tierIds } from "@tinyllm/models";
import { ollamaAnswers } from "../backend/ollama-answers";
import type { Runtime } from "../runtime";

/** One line of a set-up check. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about it. */
  fix?: string;
}

/**
 * Checks the model set-up the runtime's configuration describes: whether Ollama answers and has
 * the tier models, whether the embedded engine loads the model file and generates, whether an
 * OpenAI-compatible server lists models. Never throws; every failure comes with a fix.
 */
export async function diagnose(runtime: Runtime, { ollamaTimeoutMs = 1500 }: { ollamaTimeoutMs?: number } = {}): Promise<DoctorCheck[]> {
  const { config } = runtime;
  const checks: DoctorCheck[] = [];
  const wantOllama = config.provider === "ollama" || config.provider === undefined;
  const ollamaUp = wantOllama ? await ollamaAnswers(config.ollama.host, ollamaTimeoutMs) : false;
  if (config.provider === "ollama" || (config.provider === undefined && ollamaUp)) {
    if (!ollamaUp) {
      checks.push({
        name: "ollama",
        ok: false,
        detail: `Ollama is not reachable at ${config.ollama.host}`,
        fix: "start it with `ollama serve`, or set OLLAMA_HOST",
      });
    } else {
      try {
        const present = new Set((await runtime.provider("ollama").listModels({ abortSignal: AbortSignal.timeout(10_000) })).map((model) => model.name));
        checks.push({ name: "ollama", ok: true, detail: `Ollama answers at ${config.ollama.host} with ${present.size} model(s)` });
        for (const tier of tierIds) {
          const name = config.tiers[tier].ollama;
          if (!name) continue;
          const has = present.has(name) || present.has(`${name}:latest`);
          checks.push({
            name: `tier ${tier}`,
            ok: has,
            detail: `${name}${has ? " is present" : " is missing"}`,
            ...(has ? {} : { fix: `run \`ollama pull ${name}\`` }),
          });
        }
      } catch (error) {
        const failure = error as { message: string; hint?: string };
        checks.push({ name: "ollama", ok: false, detail: failure.message, fix: failure.hint ?? "check the Ollama server" });
      }
    }
  }
  if (config.provider === "llama" || (config.provider === undefined && !ollamaUp)) {
    const file = config.llama.modelFile;
    if (!file && !config.llama.modelsDir) {
      checks.push({
        name: "provider",
        ok: false,
        detail:
          config.provider === "llama"
            ? "the llama provider has no model file"
            : `no provider: Ollama is not reachable at ${config.ollama.host} and no model file is set`,
        fix: "start Ollama (`ollama serve`), or pass --model-file X.gguf (or set TINYLLM_MODEL_FILE / llama.modelFile)",
      });
    } else if (file && !existsSync(file)) {
      checks.push({
        name: "llama",
        ok: false,
        detail: `model file ${file} does not exist`,
        fix: "check the path, or download one with `tinyllm models pull hf:…`",
      });
    } else {
      const provider = runtime.provider("llama");
      try {
        const started = performance.now();
        const target = file ?? (await provider.listModels())[0]?.name ?? "";
        const result = await provider.chat({
          model: target,
          messages: [{ role: "user", content: "Hello" }],
          maxTokens: 4,
          abortSignal: AbortSignal.timeout(60_000),
        });
        checks.push({
          name: "llama",
          ok: true,
          detail: `embedded engine loaded ${target} and generated ${result.usage.outputTokens} token(s) in ${Math.round(performance.now() - started)} ms`,
        });
      } catch (error) {
        const failure = error as { message: string; hint?: string };
        checks.push({ name: "llama", ok: false, detail: failure.message, fix: failure.hint ?? "check the model file" });
      }
    }
  }
  if (config.provider === "openai") {
    const provider = runtime.provider("openai");
    try {
      const list = await provider.listModels({ abortSignal: AbortSignal.timeout(5000) });
      checks.push({ name: "openai", ok: true, detail: `${provider.baseURL} lists ${list.length} model(s)` });
    } catch (error) {
      const failure = error as { message: string; hint?: string };
      checks.push({ name: "openai", ok: false, detail: failure.message, fix: failure.hint ?? "check OPENAI_BASE_URL and that the server runs" });
    }
  }
  return checks;
}
