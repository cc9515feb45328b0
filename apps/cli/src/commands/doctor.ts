import { existsSync } from "node:fs";
import { ollamaAnswers } from "../backend/select-backend";
import { loadCliConfig, type ModelFlags } from "../load-cli-config";
import { printJson } from "../output";

/** One line of the doctor's report. */
interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** `tinyllm doctor`: Node, config and provider, each failure with what to do; exit 1 if any. */
export async function doctor(options: ModelFlags & { json?: boolean }): Promise<number> {
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const nodeOk = major > 20 || (major === 20 && minor >= 19);
  checks.push({ name: "node", ok: nodeOk, detail: `Node ${process.versions.node}`, ...(nodeOk ? {} : { fix: "install Node.js 20.19 or newer" }) });

  let config;
  try {
    const loaded = await loadCliConfig(options);
    config = loaded.config;
    checks.push({ name: "config", ok: true, detail: loaded.file ? `read ${loaded.file}` : "no tinyllm.yaml: defaults, environment and flags", ...(loaded.file ? {} : { fix: "optional: `tinyllm init` writes a commented starter file" }) });
  } catch (error) {
    const e = error as { message: string; hint?: string; exitCode?: number };
    if (e.exitCode === 2) throw error;
    checks.push({ name: "config", ok: false, detail: e.message, fix: e.hint ?? "fix tinyllm.yaml" });
  }

  if (config) {
    const models = await import("@tinyllm/models");
    const wantOllama = config.provider === "ollama" || config.provider === undefined;
    const ollamaUp = wantOllama ? await ollamaAnswers(config.ollama.host, 1500) : false;
    if (config.provider === "ollama" || (config.provider === undefined && ollamaUp)) {
      if (!ollamaUp) {
        checks.push({ name: "ollama", ok: false, detail: `Ollama is not reachable at ${config.ollama.host}`, fix: "start it with `ollama serve`, or set OLLAMA_HOST" });
      } else {
        const provider = models.createOllamaProvider({ host: config.ollama.host });
        const present = new Set((await provider.listModels()).map((m) => m.name));
        checks.push({ name: "ollama", ok: true, detail: `Ollama answers at ${config.ollama.host} with ${present.size} model(s)` });
        for (const tier of ["T0", "T1", "T2", "T3"] as const) {
          const name = config.tiers[tier].ollama;
          if (!name) continue;
          const has = present.has(name) || present.has(`${name}:latest`);
          checks.push({ name: `tier ${tier}`, ok: has, detail: `${name}${has ? " is present" : " is missing"}`, ...(has ? {} : { fix: `run \`ollama pull ${name}\`` }) });
        }
      }
    }
    if (config.provider === "llama" || (config.provider === undefined && !ollamaUp)) {
      const file = config.llama.modelFile;
      if (!file && !config.llama.modelsDir) {
        checks.push({
          name: "provider",
          ok: false,
          detail: config.provider === "llama" ? "the llama provider has no model file" : `no provider: Ollama is not reachable at ${config.ollama.host} and no model file is set`,
          fix: "start Ollama (`ollama serve`), or pass --model-file X.gguf (or set TINYLLM_MODEL_FILE / llama.modelFile)",
        });
      } else if (file && !existsSync(file)) {
        checks.push({ name: "llama", ok: false, detail: `model file ${file} does not exist`, fix: "check the path, or download one with `tinyllm models pull hf:…`" });
      } else {
        const provider = models.createLlamaProvider({ ...(file ? { modelPath: file } : {}), ...(config.llama.modelsDir ? { modelsDir: config.llama.modelsDir } : {}), threads: config.llama.threads ?? 1 });
        try {
          const started = performance.now();
          const target = file ?? (await provider.listModels())[0]?.name ?? "";
          const result = await provider.chat({ model: target, messages: [{ role: "user", content: "Hello" }], maxTokens: 4, abortSignal: AbortSignal.timeout(60_000) });
          checks.push({ name: "llama", ok: true, detail: `embedded engine loaded ${target} and generated ${result.usage.outputTokens} token(s) in ${Math.round(performance.now() - started)} ms` });
        } catch (error) {
          const e = error as { message: string; hint?: string };
          checks.push({ name: "llama", ok: false, detail: e.message, fix: e.hint ?? "check the model file" });
        } finally {
          await provider.close();
        }
      }
    }
    if (config.provider === "openai") {
      const provider = models.createOpenAIProvider({ ...(config.openai.baseUrl ? { baseURL: config.openai.baseUrl } : {}), ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}) });
      try {
        const list = await provider.listModels({ abortSignal: AbortSignal.timeout(5000) });
        checks.push({ name: "openai", ok: true, detail: `${provider.baseURL} lists ${list.length} model(s)` });
      } catch (error) {
        const e = error as { message: string; hint?: string };
        checks.push({ name: "openai", ok: false, detail: e.message, fix: e.hint ?? "check OPENAI_BASE_URL and that the server runs" });
      } finally {
        await provider.close();
      }
    }
  }

  const ok = checks.every((c) => c.ok);
  if (options.json) printJson({ ok, checks });
  else {
    for (const check of checks) {
      process.stdout.write(`${check.ok ? "✓" : "✗"} ${check.name}: ${check.detail}\n`);
      if (check.fix && !check.ok) process.stdout.write(`  → ${check.fix}\n`);
    }
  }
  return ok ? 0 : 1;
}
