import type { ConfigFlags, LoadConfigResult } from "@tinyllm/models";
import { CliError } from "./cli-error";

/** Flags every model-using command takes. */
export interface ModelFlags {
  config?: string;
  provider?: string;
  modelFile?: string;
  graph?: string;
  ollamaHost?: string;
  openaiBaseUrl?: string;
  threads?: string;
}

/** Loads `tinyllm.yaml`, the environment and the flags (flag > env > file > default). */
export async function loadCliConfig(flags: ModelFlags): Promise<LoadConfigResult> {
  const { loadConfig, TinyLLMError } = await Promise.all([import("@tinyllm/models"), import("@tinyllm/core")]).then(([m, c]) => ({ ...m, TinyLLMError: c.TinyLLMError }));
  const configFlags: ConfigFlags = {};
  for (const key of ["config", "provider", "modelFile", "graph", "ollamaHost", "openaiBaseUrl", "threads"] as const) {
    const value = flags[key];
    if (value !== undefined) configFlags[key] = value;
  }
  try {
    return await loadConfig({ flags: configFlags });
  } catch (error) {
    // A bad flag value is a usage error (exit 2); a bad file or environment variable is not.
    if (TinyLLMError.isInstance(error)) throw new CliError(error.message, /^--[a-z-]+ is /.test(error.message) ? 2 : 1, error.hint);
    throw error;
  }
}
