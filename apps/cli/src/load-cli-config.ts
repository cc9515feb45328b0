import type { ConfigFlags, Runtime } from "@tinyllm/runtime";
import { CliError } from "./cli-error";

/** Flags every model-using command takes, as commander hands them over (text). */
export type ModelFlags = Omit<ConfigFlags, "threads"> & { threads?: string };

/** Options of {@link openRuntime}. */
export interface OpenRuntimeOptions {
  /** Record verdicts in the verdict store. Default false. */
  verdicts?: boolean;
  /** Record model calls into, or replay them from, a cassette (`--record`, `--replay`). */
  cassette?: { path: string; mode: "record" | "replay" | "replay-or-live" };
}

/**
 * The runtime for a command: configuration from flags, environment and `tinyllm.yaml` (flag >
 * env > file > default). A bad flag value is a usage error (exit 2); a bad file or environment
 * variable exits 1.
 */
export async function openRuntime(flags: ModelFlags, { verdicts = false, cassette }: OpenRuntimeOptions = {}): Promise<Runtime> {
  const [{ createRuntime }, { TinyLLMError }] = await Promise.all([import("@tinyllm/runtime"), import("@tinyllm/core")]);
  const configFlags: ConfigFlags = {};
  for (const key of ["config", "provider", "modelFile", "graph", "ollamaHost", "openaiBaseUrl", "threads"] as const) {
    const value = flags[key];
    if (value !== undefined) configFlags[key] = value;
  }
  try {
    return await createRuntime({
      flags: configFlags,
      verdictStore: verdicts,
      ...(cassette ? { cassette } : {}),
      onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    });
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw new CliError(error.message, /^--[a-z-]+ is /.test(error.message) ? 2 : 1, error.hint);
    throw error;
  }
}

/** Runs `action` with a runtime and closes it afterwards. */
export async function withRuntime<T>(flags: ModelFlags, options: OpenRuntimeOptions, action: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(flags, options);
  try {
    return await action(runtime);
  } finally {
    await runtime.close();
  }
}
