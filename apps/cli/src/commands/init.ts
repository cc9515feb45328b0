import path from "node:path";
import { CliError } from "../cli-error";
import { printJson } from "../output";

/** `tinyllm init`: writes a commented starter tinyllm.yaml; refuses to overwrite without --force. */
export async function init(options: { force?: boolean; path?: string; json?: boolean }): Promise<number> {
  const { writeStarterConfig } = await import("@tinyllm/runtime");
  const { TinyLLMError } = await import("@tinyllm/core");
  const file = path.resolve(options.path ?? "tinyllm.yaml");
  try {
    await writeStarterConfig({ path: file, force: options.force ?? false });
  } catch (error) {
    if (TinyLLMError.isInstance(error)) throw new CliError(error.message, 1, error.hint);
    throw error;
  }
  if (options.json) printJson({ ok: true, file });
  else process.stdout.write(`wrote ${file}\n`);
  return 0;
}
